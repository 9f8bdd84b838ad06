"""Accounts: hashed passwords, sign-in that reveals nothing, slowed-down guessing,
sessions and tokens that stop when they should."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.cli import app as cli
from catalog.models import ApiToken, AuditEvent, ChangeRecord, User
from catalog.services.accounts import revoke_token, set_active, set_password
from catalog.services.context import Actor
from tests_support import PASSWORD, bearer, client_for, make_user


def login(c, username: str, password: str):  # type: ignore[no-untyped-def]
    return c.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(demo_city_engine) -> None:
    make_user(demo_city_engine, "budi", "pimpinan")
    with Session(demo_city_engine) as s:
        user = s.execute(select(User).where(User.username == "budi")).scalar_one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        token = s.execute(select(ApiToken)).scalars().first()
        assert len(token.token_hash) == 64 and token.prefix.startswith("kspbe_")
        created = s.execute(
            select(ChangeRecord).where(ChangeRecord.object_kind == "user")
        ).scalar_one()
        assert "password_hash" not in created.after


def test_sign_in_failures_reveal_nothing(demo_city_engine) -> None:
    make_user(demo_city_engine, "budi", "pimpinan")
    with client_for(demo_city_engine) as c:
        wrong = login(c, "budi", "bukan-sandinya")
        unknown = login(c, "tidak-ada", "bukan-sandinya")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["message"] == unknown.json()["message"]
        assert login(c, "budi", PASSWORD).status_code == 200
    with Session(demo_city_engine) as s:
        events = [e.event for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert events == ["login_failed", "login_failed", "login"]


def test_repeated_failures_are_slowed_down(demo_city_engine) -> None:
    make_user(demo_city_engine, "budi", "pimpinan")
    with client_for(demo_city_engine) as c:
        answers = [login(c, "budi", f"salah-{i}").status_code for i in range(6)]
        assert answers[:6] == [401] * 6
        blocked = login(c, "budi", PASSWORD)  # even the right password waits now
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) >= 1
        assert "detik" in blocked.json()["message"] and "seconds" in blocked.json()["message_en"]


def test_disabling_or_a_new_password_ends_sessions_and_tokens(demo_city_engine) -> None:
    user_id, token = make_user(demo_city_engine, "budi", "pimpinan")
    admin = Actor(name="admin", source="test")
    with client_for(demo_city_engine) as c:
        assert login(c, "budi", PASSWORD).status_code == 200
        assert c.get("/api/v1/me").json()["username"] == "budi"
        with Session(demo_city_engine) as s:
            set_password(s, admin, user_id, "kata-sandi-baru-456")
        assert c.get("/api/v1/me").json()["id"] is None  # the old cookie no longer works
        assert login(c, "budi", "kata-sandi-baru-456").status_code == 200
        assert c.get("/api/v1/me", headers=bearer(token)).json()["username"] == "budi"
        with Session(demo_city_engine) as s:
            set_active(s, admin, user_id, False)
        assert c.get("/api/v1/me").json()["id"] is None
        assert c.get("/api/v1/me", headers=bearer(token)).status_code == 401
        assert login(c, "budi", "kata-sandi-baru-456").status_code == 401


def test_revoked_and_expired_tokens(demo_city_engine) -> None:
    _, token = make_user(demo_city_engine, "budi", "pimpinan")
    with client_for(demo_city_engine) as c:
        assert c.get("/api/v1/me", headers=bearer(token)).status_code == 200
        with Session(demo_city_engine) as s:
            record = s.execute(select(ApiToken)).scalars().first()
            revoke_token(s, Actor(name="admin", source="test"), record.id)
        assert c.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_only_admins_manage_accounts(demo_city_engine) -> None:
    from catalog.access import ANONYMOUS
    from catalog.errors import Forbidden
    from catalog.services.accounts import create_user

    with Session(demo_city_engine) as s, pytest.raises(Forbidden):
        create_user(s, Actor(name="x", source="api", principal=ANONYMOUS), "mallory", "M", "x" * 12)


def test_user_commands(demo_city_engine, tmp_path) -> None:
    url = str(demo_city_engine.url)
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--database", url, *args], input=stdin, catch_exceptions=False)

    added = run(
        "user",
        "add",
        "admin",
        "--name",
        "Administrator",
        "--role",
        "admin",
        "--password-stdin",
        stdin="rahasia-admin-99\n",
    )
    assert added.exit_code == 0, added.output
    short = run("user", "add", "siti", "--name", "Siti", "--password-stdin", stdin="pendek\n")
    assert short.exit_code == 1 and "10" in short.output
    with Session(demo_city_engine) as s:
        from catalog.models import Organisation

        unit = (
            s.execute(select(Organisation).where(Organisation.parent_id.is_(None)))
            .scalars()
            .first()
        )
    assert (
        run(
            "user",
            "add",
            "siti",
            "--name",
            "Siti",
            "--role",
            "operator",
            "--opd",
            unit.code,
            "--instansi",
            "semua" if False else unit_instansi(demo_city_engine, unit),
            "--password-stdin",
            stdin="kata-sandi-siti-1\n",
        ).exit_code
        == 0
    )
    no_unit = run("user", "set-role", "siti", "operator")
    assert no_unit.exit_code == 1 and "--opd" in no_unit.output
    listing = run("user", "list").output
    assert "admin" in listing and "operator@" in listing
    token = run("user", "token", "siti", "--name", "skrip").output
    assert "kspbe_" in token
    assert "skrip" in run("user", "token", "siti", "--list").output
    assert run("user", "disable", "siti").exit_code == 0
    assert "tidak" in run("user", "list").output
    assert run("user", "set-role", "siti", "operator", "--remove").exit_code == 0


def unit_instansi(engine, unit) -> str:  # type: ignore[no-untyped-def]
    from catalog.models import Instansi

    with Session(engine) as s:
        return s.get(Instansi, unit.instansi_id).code
