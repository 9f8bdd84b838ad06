"""Models and migrations agree, on SQLite and on PostgreSQL (house rule 6)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from catalog import migrate
from catalog.db import make_engine


def test_sqlite_upgrade_matches_models(tmp_path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert migrate.is_empty(eng)
    migrate.upgrade(eng)
    assert migrate.current_revision(eng) == migrate.head_revision()
    assert migrate.differences(eng) == []
    with eng.connect() as conn:
        # WAL and foreign keys are on for every connection.
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert "search_fts" in inspect(conn).get_table_names()


def test_sqlite_downgrade_to_base_and_back(tmp_path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}")
    migrate.upgrade(eng)
    migrate.downgrade(eng, "base")
    assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(eng)
    assert migrate.differences(eng) == []


@pytest.mark.postgres
def test_postgres_upgrade_matches_models(pg_admin, pg_template: str) -> None:
    admin = pg_admin
    name = "katalog_mig_" + pg_template[-10:]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        eng = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
        migrate.upgrade(eng)
        assert migrate.differences(eng) == []
        with eng.connect() as conn:
            indexes = {i["name"] for i in inspect(conn).get_indexes("search_entry")}
        assert "ix_search_entry_fts" in indexes
        migrate.downgrade(eng, "base")
        migrate.upgrade(eng)
        assert migrate.differences(eng) == []
        eng.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_require_current_names_the_fix(tmp_path) -> None:
    from catalog.errors import ConfigurationError

    eng = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(eng, "0001")
    with pytest.raises(ConfigurationError) as err:
        migrate.require_current(eng)
    assert "katalog db upgrade" in err.value.message
