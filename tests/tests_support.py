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
