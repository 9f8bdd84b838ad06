"""Shared fixtures: fresh catalogues on SQLite (always) and PostgreSQL (when reachable).

Building and seeding a catalogue takes a second or two, so each kind of catalogue is built
once per test session into a template and copied for every test (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL): tests stay independent and fast.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from catalog import migrate
from catalog.db import make_engine
from catalog.services.context import Actor, system_actor
from catalog.services.seed import seed
from catalog.settings import Settings

PG_URL = os.environ.get(
    "KATALOG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("KATALOG_REQUIRE_POSTGRES") == "1"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def build_sqlite(path: Path, *, demo: str | None = None) -> None:
    eng = make_engine(f"sqlite:///{path}")
    migrate.upgrade(eng)
    with Session(eng) as s:
        seed(s, system_actor())
        if demo:
            from catalog.demo import generate

            generate(s, Actor(name="demo", source="demo"), scale=demo, seed=1)
    eng.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "seeded.sqlite3"
    build_sqlite(path)
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "katalog.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


def _pg_admin() -> Engine | None:
    try:
        eng = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        return eng
    except Exception:
        return None


@pytest.fixture
def pg_admin(pg_template: str) -> Iterator[Engine]:
    """An AUTOCOMMIT connection to the PostgreSQL server, for creating databases."""
    admin = _pg_admin()
    assert admin is not None
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """Name of a migrated and seeded PostgreSQL template database."""
    admin = _pg_admin()
    if admin is None:
        if REQUIRE_PG:
            pytest.fail(
                f"PostgreSQL is required (KATALOG_REQUIRE_POSTGRES=1) but {PG_URL} is unreachable"
            )
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set KATALOG_TEST_POSTGRES_URL)")
    name = f"katalog_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    eng = make_engine(url)
    migrate.upgrade(eng)
    with Session(eng) as s:
        seed(s, system_actor())
    eng.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    admin = _pg_admin()
    assert admin is not None
    name = f"katalog_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A seeded catalogue on each supported backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def actor() -> Actor:
    return Actor(name="penguji", source="test")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def client(engine: Engine):  # type: ignore[no-untyped-def]
    from tests_support import client_for

    with client_for(engine) as c:
        yield c


@pytest.fixture(scope="session")
def demo_city_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "city.sqlite3"
    build_sqlite(path, demo="city")
    return path


@pytest.fixture
def demo_city_engine(demo_city_template: Path, tmp_path: Path) -> Iterator[Engine]:
    target = tmp_path / "city.sqlite3"
    shutil.copyfile(demo_city_template, target)
    eng = make_engine(f"sqlite:///{target}")
    yield eng
    eng.dispose()
