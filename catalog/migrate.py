"""Alembic, driven from code: ``katalog db upgrade`` and the self-upgrade of
``katalog serve`` both come through here. No alembic.ini is needed.

Alembic (and the models, which only the migrations and the schema comparison need) are
imported inside the functions that use them: every command checks the schema before it
runs, and on the usual path (database at :data:`~catalog.schema_version.HEAD_REVISION`)
that check is one plain query, not ~0.4 s of imports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text

from catalog.db import table_names
from catalog.errors import ConfigurationError
from catalog.schema_version import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Alembic's default; env.py does not change it.
VERSION_TABLE = "alembic_version"

# Backend-specific full-text objects that the models do not describe on purpose.
_UNMODELLED_PREFIXES = ("search_fts", "ix_search_entry_fts")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (name and name.startswith(_UNMODELLED_PREFIXES))


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy ones, so that migrations never
    import model code (which keeps changing after the migration is written)."""
    if type_ == "type":
        from sqlmodel.sql.sqltypes import AutoString

        from catalog.models.base import EnumString, UTCDateTime

        if isinstance(obj, UTCDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(obj, EnumString):
            return "sa.String(length=32)"
        if isinstance(obj, AutoString):
            return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest migration, as alembic reads it from the migration files."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revisions(engine: Engine) -> list[str] | None:
    """The revisions recorded in the database (``None`` without a version table), read
    with plain SQLAlchemy so that the everyday schema check needs no alembic import."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        return list(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


def is_empty(engine: Engine) -> bool:
    return not table_names(engine)


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def differences(engine: Engine) -> list[Any]:
    """What the models describe that the database lacks, or the reverse."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import catalog.models  # noqa: F401  (registers every table)

    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        return compare_metadata(ctx, SQLModel.metadata)


def require_current(engine: Engine) -> None:
    """Refuse to run on a database whose schema is behind or ahead of this code."""
    if stored_revisions(engine) == [HEAD_REVISION]:
        return
    # Anything else (behind, ahead, no version table, several heads, or a constant
    # that was not moved with a new migration) is settled by alembic itself, which
    # also gives the exact revisions for the message.
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        raise ConfigurationError(
            f"Skema basis data pada revisi {current or 'kosong'}, sedangkan kode ini "
            f"membutuhkan {head}. Jalankan: katalog db upgrade",
            f"The database schema is at revision {current or 'none'} but this code needs "
            f"{head}. Run: katalog db upgrade",
            field="database",
            value=current,
        )
