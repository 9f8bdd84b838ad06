"""The change log: one record per changed object, with its state before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field

from catalog.models.base import Model, UTCDateTime, text_field, utcnow


class ChangeRecord(Model, table=True):
    __tablename__ = "change_record"
    __table_args__ = (
        Index("ix_change_record_object", "object_kind", "object_id"),
        Index("ix_change_record_instansi_at", "instansi_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    actor_name: str = Field(max_length=200)
    source: str = Field(max_length=32, description="cli, api, web, import, demo, system")
    request_id: str | None = Field(default=None, max_length=64, index=True)
    action: str = Field(max_length=32)
    object_kind: str = Field(max_length=32)
    object_id: int
    object_code: str | None = Field(default=None, max_length=64)
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id")
    owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    note: str | None = text_field()
    # For relation changes: both ends as "kind:id", so an item's history finds the links
    # made and unmade to it with an index instead of a scan of every change.
    source_ref: str | None = Field(default=None, max_length=48, index=True)
    target_ref: str | None = Field(default=None, max_length=48, index=True)
