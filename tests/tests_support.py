"""Helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from catalog import migrate
from catalog.db import make_engine
from catalog.services.context import system_actor
from catalog.services.seed import seed


def fresh_sqlite(path: Path) -> Engine:
    """A migrated and seeded catalogue in a new SQLite file."""
    eng = make_engine(f"sqlite:///{path}")
    migrate.upgrade(eng)
    with Session(eng) as s:
        seed(s, system_actor())
    return eng


def client_for(engine: Engine):  # type: ignore[no-untyped-def]
    """An HTTP client for the app on a given engine (use as a context manager)."""
    from fastapi.testclient import TestClient

    from catalog.settings import Settings
    from web.app import create_app

    settings = Settings(secret_key="test-secret-" + "x" * 32)
    return TestClient(create_app(settings=settings, engine=engine))


PASSWORD = "kata-sandi-uji-123"


def make_user(
    engine: Engine,
    username: str,
    role: str | None,
    *,
    instansi_id: int | None = None,
    organisation_id: int | None = None,
) -> tuple[int, str]:
    """A user with one role and an API token; returns (user id, token)."""
    from catalog.enums import Role
    from catalog.services.accounts import create_token, create_user, grant_role
    from catalog.services.context import Actor

    actor = Actor(name="penguji", source="test")
    with Session(engine, expire_on_commit=False) as s:
        user = create_user(s, actor, username, username.title(), PASSWORD)
        if role is not None:
            grant_role(
                s,
                actor,
                user.id,
                Role(role),
                instansi_id=instansi_id,
                organisation_id=organisation_id,
            )
        token = create_token(s, actor, user.id, "uji").token
    return user.id, token  # type: ignore[return-value]


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}
