"""Columns and column types shared by every table.

Each domain kind follows the SQLModel family pattern: ``XBase`` holds the fields a
person edits (the schemas package builds request/response shapes on it), ``X`` is the
table. System columns (ids, timestamps, version) live in mixins so that every kind
gets exactly the same ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text, TypeDecorator
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def text_field(default: str | None = None, **kw: Any) -> Any:
    """An optional long text column (descriptions, notes)."""
    return Field(default=default, sa_type=Text, **kw)


def json_list_field() -> Any:
    return Field(default_factory=list, sa_type=JSON)


class EnumString(TypeDecorator[Any]):
    """An enumeration stored as a plain string (a new value needs no DDL), read back as
    the enum member so that rows and their serialised forms agree."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        try:
            return self.enum(value)
        except ValueError:
            # A value written by a newer version of the code: keep it readable.
            return value


def enum_field(default: StrEnum, *, index: bool = False) -> Any:
    return Field(default=default, sa_type=EnumString(type(default)), index=index)


class Versioned:
    """Optimistic concurrency: SQLAlchemy checks and bumps ``version`` on every update,
    so a write based on a stale read fails instead of overwriting someone's change."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Model(SQLModel):
    """The root of every model here. Pydantic builds a model's validator when it is first
    used rather than when the class is defined (``defer_build``): a command that only
    reads the tables (``katalog analyze``) never validates through them, and building
    every table's validator at import was a fifth of the models' import time."""

    model_config = SQLModelConfig(defer_build=True)


class SystemColumns(Model):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EnvelopeBase(Model):
    """What every catalogue item carries, whatever its kind."""

    code: str = Field(max_length=64, description="Kode unik per instansi dan jenis")
    name: str = Field(max_length=300, description="Nama")
    description: str | None = text_field(description="Uraian")
    source_key: str | None = Field(
        default=None, max_length=128, index=True, description="Kunci baris sumber impor"
    )
    is_internal: bool = Field(default=False, description="Hanya untuk internal instansi")


class ItemColumns(SystemColumns):
    """System columns of a catalogue item: where it belongs and who owns it."""

    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    owner_id: int = Field(foreign_key="organisation.id", index=True)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


__all__ = [
    "EnvelopeBase",
    "ItemColumns",
    "SystemColumns",
    "UTCDateTime",
    "Versioned",
    "date",
    "enum_field",
    "json_list_field",
    "text_field",
    "utcnow",
]
