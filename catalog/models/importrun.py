"""Import runs: which files came in, by whom, with what outcome. Every change an import
makes carries the run's id as its request id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field

from catalog.models.base import Model, UTCDateTime, utcnow


class ImportRun(Model, table=True):
    __tablename__ = "import_run"

    id: str = Field(primary_key=True, max_length=32)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    actor_name: str = Field(max_length=200)
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id", index=True)
    # [{"name": …, "sha256": …, "bytes": …}]
    files: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    mapping: str | None = Field(default=None, max_length=200)
    dry_run: bool = Field(default=False)
    # applied | rejected | dry_run
    outcome: str = Field(max_length=16)
    counts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    problem_count: int = Field(default=0)
