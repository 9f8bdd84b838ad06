"""The findings cache: what the last analysis of each instansi found, and on which inputs.

Analyses run per instansi (duplicates and gaps never cross one) and their findings are
stored here with a *fingerprint* of their inputs (see :mod:`catalog.services.analysis`).
Pages, the API and the CLI read these tables; an instansi is analysed again only when its
fingerprint no longer matches. Nothing here is history: a refresh replaces an instansi's
rows wholesale, so these tables carry no change records.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field

from catalog.models.base import Model, UTCDateTime, utcnow


class AnalysisRun(Model, table=True):
    """The latest analysis of one instansi."""

    __tablename__ = "analysis_run"

    instansi_id: int = Field(
        foreign_key="instansi.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    fingerprint: str = Field(max_length=64)
    # The parts of the fingerprint, to say *why* a cached result is stale.
    inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    analysis_version: str = Field(max_length=32)
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    duration_ms: int = Field(default=0)
    finding_count: int = Field(default=0)
    # Counts by rule, severity and family.
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The instansi's and its OPD's scorecards (catalog.analysis.scorecards), computed with
    # the findings from the same snapshot; None when the scorecard module is absent.
    scorecard: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class AnalysisFinding(Model, table=True):
    """One cached finding. The columns are what lists filter and sort on; ``body`` is the
    finding itself (:meth:`~catalog.analysis.findings.Finding.to_dict`) as JSON text,
    serialised once in the process that computed it."""

    __tablename__ = "analysis_finding"
    __table_args__ = (
        Index("ix_analysis_finding_place", "instansi_id", "position"),
        # A finding by its key (a review names only the key), and joined with its verdict.
        Index("ix_analysis_finding_key", "key_hash", "instansi_id"),
        # Lists across every instansi: most severe first, walking this index.
        Index("ix_analysis_finding_order", "severity_rank", "rule", "instansi_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id")
    # Place in the instansi's list (the engine's order: severity, rule, score, key).
    position: int
    rule: str = Field(max_length=64)
    family: str = Field(max_length=32)
    severity: str = Field(max_length=8)
    severity_rank: int
    key_hash: str = Field(max_length=32)
    evidence_hash: str = Field(max_length=64)
    score: float | None = None
    # Whether a subject is hidden from the public (internal item, restricted data set).
    restricted: bool = Field(default=False)
    body: str = Field(sa_type=Text)


class AnalysisSubject(Model, table=True):
    """An item a cached finding names: findings by unit (OPD filter), by item (an item's
    page), and hidden from people who may not see the item."""

    __tablename__ = "analysis_subject"
    __table_args__ = (
        Index("ix_analysis_subject_item", "kind", "item_id"),
        Index("ix_analysis_subject_owner", "owner_id"),
        Index("ix_analysis_subject_instansi", "finding_instansi_id"),
    )

    finding_id: int = Field(foreign_key="analysis_finding.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=32, primary_key=True)
    item_id: int = Field(primary_key=True)
    # The finding's instansi (a refresh deletes by it); the item's own is item_instansi_id.
    finding_instansi_id: int
    item_instansi_id: int
    owner_id: int | None = None
    restricted: bool = Field(default=False)


__all__ = ["AnalysisFinding", "AnalysisRun", "AnalysisSubject"]
