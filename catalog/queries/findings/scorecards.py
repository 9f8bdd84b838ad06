"""The scorecards stored with the cached findings, as last computed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.models import AnalysisRun, Instansi, Organisation


@dataclass
class StoredScorecard:
    """The scorecard stored with an instansi's findings (see
    :mod:`catalog.analysis.scorecards` for its keys)."""

    instansi_id: int
    computed_at: datetime
    card: dict[str, Any]

    def unit(self, org: Organisation) -> dict[str, Any] | None:
        """The card of the OPD a unit belongs to (a sub-unit is scored with its OPD)."""
        chain = [int(p) for p in (org.path or "").strip("/").split("/") if p.isdigit()]
        wanted = [org.id, *reversed(chain)]
        by_id = {u.get("unit_id"): u for u in self.card.get("units", [])}
        return next((by_id[i] for i in wanted if i in by_id), None)


def stored_scorecards(
    session: Session, instansi_ids: Sequence[int] | None = None
) -> list[StoredScorecard]:
    """Scorecards as last computed, by instansi code order; none is computed here."""
    stmt = (
        select(AnalysisRun.instansi_id, AnalysisRun.computed_at, AnalysisRun.scorecard)
        .join(Instansi, Instansi.id == AnalysisRun.instansi_id)
        .where(AnalysisRun.scorecard.is_not(None))
        .order_by(Instansi.code)
    )
    if instansi_ids is not None:
        stmt = stmt.where(AnalysisRun.instansi_id.in_(sorted(instansi_ids)))
    return [
        StoredScorecard(i, when, card)
        for i, when, card in session.execute(stmt)
        if card  # JSON null is stored as a value on some backends
    ]


__all__ = ["StoredScorecard", "stored_scorecards"]
