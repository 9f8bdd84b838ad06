"""Every other edge an architect draws, stored once in its canonical direction.

The relation vocabulary (names, inverse names, allowed kinds) is in
``catalog.relation_types``; both directions are derived from it in one place.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.models.base import Model, UTCDateTime, text_field, utcnow


class Relation(Model, table=True):
    __tablename__ = "relation"
    __table_args__ = (
        UniqueConstraint(
            "type", "source_kind", "source_id", "target_kind", "target_id", name="uq_relation"
        ),
        Index("ix_relation_source", "source_kind", "source_id"),
        # Covers the impact walk's look-up of what needs an item (catalog.queries.impact):
        # one index seek per item, no table row read.
        Index("ix_relation_target", "target_kind", "target_id", "source_kind", "source_id", "type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=32)
    source_kind: str = Field(max_length=32)
    source_id: int
    target_kind: str = Field(max_length=32)
    target_id: int
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    note: str | None = text_field()
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
