"""One text row per item for full-text search across kinds.

The full-text index itself is backend-specific and created by the migration: an FTS5
table kept in sync by triggers on SQLite, a GIN expression index on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Index, Text, UniqueConstraint, false
from sqlmodel import Field

from catalog.models.base import Model


class SearchEntry(Model, table=True):
    __tablename__ = "search_entry"
    __table_args__ = (
        UniqueConstraint("kind", "item_id", name="uq_search_entry_item"),
        Index("ix_search_entry_instansi", "instansi_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    item_id: int
    instansi_id: int = Field(foreign_key="instansi.id")
    body: str = Field(sa_type=Text)
    # Hidden from the public (internal item, or data that is terbatas/tertutup): kept
    # here so that search can filter without reading every kind's table.
    restricted: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
