"""Reference architecture as versioned data (Perpres 132/2022 and its successors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint, text
from sqlmodel import Field

from catalog.enums import ReferenceStatus
from catalog.models.base import Model, UTCDateTime, enum_field, text_field, utcnow


class ReferenceSet(Model, table=True):
    __tablename__ = "reference_set"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_reference_set_version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    version: str = Field(max_length=64)
    title: str = Field(max_length=300)
    legal_basis: str | None = text_field()
    notes: str | None = text_field()
    source: str | None = Field(default=None, max_length=300)
    checksum: str = Field(max_length=64)
    # Per scheme: domain name, coordinator, confidence per level, first local level.
    schemes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    is_active: bool = Field(default=False)
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    activated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReferenceNode(Model, table=True):
    """One code of a reference list. National nodes belong to a set; local extensions
    (level 4 and below, defined by one instansi) have no set and survive set changes."""

    __tablename__ = "reference_node"
    __table_args__ = (
        Index(
            "uq_reference_node_set_code",
            "set_id",
            "code",
            unique=True,
            sqlite_where=text("set_id IS NOT NULL"),
            postgresql_where=text("set_id IS NOT NULL"),
        ),
        Index(
            "uq_reference_node_local_code",
            "instansi_id",
            "code",
            unique=True,
            sqlite_where=text("set_id IS NULL"),
            postgresql_where=text("set_id IS NULL"),
        ),
        Index("ix_reference_node_scheme_level", "set_id", "scheme", "level"),
        Index("ix_reference_node_code", "code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    set_id: int | None = Field(default=None, foreign_key="reference_set.id")
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id")
    scheme: str = Field(max_length=8)
    code: str = Field(max_length=64)
    name: str = Field(max_length=500)
    level: int
    parent_code: str | None = Field(default=None, max_length=64)
    confidence: str | None = Field(default=None, max_length=100)
    status: ReferenceStatus = enum_field(ReferenceStatus.ACTIVE)
    replaced_by: str | None = Field(default=None, max_length=64)
    is_local: bool = Field(default=False)
