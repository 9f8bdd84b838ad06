"""Alembic, driven from code: ``katalog db upgrade`` and the self-upgrade of
``katalog serve`` both come through here. No alembic.ini is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlmodel import SQLModel

import catalog.models  # noqa: F401  (registers every table)
from catalog.db import table_names
from catalog.errors import ConfigurationError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

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
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_empty(engine: Engine) -> bool:
    return not table_names(engine)


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def differences(engine: Engine) -> list[Any]:
    """What the models describe that the database lacks, or the reverse."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        return compare_metadata(ctx, SQLModel.metadata)


def require_current(engine: Engine) -> None:
    """Refuse to run on a database whose schema is behind or ahead of this code."""
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
