"""Review verdicts: an architect's word on an analysis finding.

A verdict attaches to the finding's :attr:`~catalog.analysis.findings.Finding.key` (rule and
subjects, stable across runs) and remembers the evidence it was given on
(``evidence_hash``): while the evidence stays the same the finding is silent; when it
changes, the finding comes back with the old verdict beside it.

Verdicts are never overwritten: a new verdict on the same finding adds a row with the next
``revision`` and ends the previous one (``superseded``); withdrawing ends the current one
(``withdrawn``). The rows of one key are that finding's review history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field

from catalog.enums import ReviewVerdict
from catalog.models.base import EnumString, Model, UTCDateTime, text_field, utcnow


class ReviewDecision(Model, table=True):
    __tablename__ = "review_decision"
    __table_args__ = (
        # Two verdicts given at the same moment on one finding collide here instead of
        # both becoming current.
        UniqueConstraint("instansi_id", "key_hash", "revision", name="uq_review_revision"),
        Index("ix_review_decision_key", "key_hash", "is_current"),
    )

    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id")
    # Keys of large clusters are long: the full key is kept, the digest is what is indexed.
    finding_key: str = Field(sa_type=Text)
    key_hash: str = Field(max_length=32)
    rule: str = Field(max_length=64, index=True)
    verdict: ReviewVerdict = Field(sa_type=EnumString(ReviewVerdict))
    reason: str = Field(sa_type=Text)
    evidence_hash: str = Field(max_length=64)
    # The finding as it was when judged, so that a returning finding can show what the
    # verdict was about.
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    subjects: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    revision: int = Field(default=1)
    is_current: bool = Field(default=True)
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_by_name: str = Field(max_length=200)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_by_name: str | None = Field(default=None, max_length=200)
    # superseded (a newer verdict) or withdrawn
    end_reason: str | None = Field(default=None, max_length=16)
    withdraw_note: str | None = text_field()


__all__ = ["ReviewDecision"]
