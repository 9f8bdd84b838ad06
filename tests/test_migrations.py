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


def test_head_revision_constant_follows_the_migrations() -> None:
    """The everyday schema check compares with HEAD_REVISION instead of asking alembic:
    adding a migration means moving the constant to it."""
    from alembic.script import ScriptDirectory

    from catalog.schema_version import HEAD_REVISION

    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert head == HEAD_REVISION, (
        f"catalog/schema_version.py says {HEAD_REVISION!r} but the newest migration is "
        f"{head!r}: update HEAD_REVISION"
    )


def test_require_current_reads_the_version_table(tmp_path) -> None:
    from catalog.errors import ConfigurationError
    from catalog.schema_version import HEAD_REVISION

    eng = make_engine(f"sqlite:///{tmp_path / 'versions.sqlite3'}")
    assert migrate.stored_revisions(eng) is None
    migrate.upgrade(eng)
    assert migrate.stored_revisions(eng) == [HEAD_REVISION]
    migrate.require_current(eng)
    # Behind: the message names both revisions, as alembic reports them.
    migrate.downgrade(eng, "0001")
    assert migrate.stored_revisions(eng) == ["0001"]
    with pytest.raises(ConfigurationError) as err:
        migrate.require_current(eng)
    assert err.value.message == (
        f"Skema basis data pada revisi 0001, sedangkan kode ini membutuhkan {HEAD_REVISION}. "
        "Jalankan: katalog db upgrade"
    )
    assert err.value.message_en == (
        f"The database schema is at revision 0001 but this code needs {HEAD_REVISION}. "
        "Run: katalog db upgrade"
    )
    # Tables but no version record (made by hand, or by another tool).
    migrate.upgrade(eng)
    with eng.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    with pytest.raises(ConfigurationError) as err:
        migrate.require_current(eng)
    assert "revisi kosong" in err.value.message and "revision none" in err.value.message_en


def test_require_current_defers_to_alembic_when_the_constant_disagrees(
    tmp_path, monkeypatch
) -> None:
    """A database at alembic's head is accepted even if the constant were left behind
    (the test above keeps them equal; this is the safe direction when they are not)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'stale.sqlite3'}")
    migrate.upgrade(eng)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0001")
    migrate.require_current(eng)


def test_schema_check_on_every_backend(engine) -> None:  # type: ignore[no-untyped-def]
    """The plain-SQL read of the version table agrees with alembic on SQLite and PostgreSQL
    (whose version table lives in the default schema, as alembic puts it)."""
    from catalog.errors import ConfigurationError
    from catalog.schema_version import HEAD_REVISION

    assert migrate.stored_revisions(engine) == [HEAD_REVISION] == [migrate.current_revision(engine)]
    migrate.require_current(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    assert migrate.stored_revisions(engine) == ["0004"]
    with pytest.raises(ConfigurationError) as err:
        migrate.require_current(engine)
    assert f"revisi 0004, sedangkan kode ini membutuhkan {HEAD_REVISION}" in err.value.message
