"""Writing analysed instansi into the findings cache."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert
from sqlmodel import Session

from catalog.analysis.engine import ANALYSIS_VERSION
from catalog.models import (
    AnalysisFinding,
    AnalysisRun,
    AnalysisSubject,
)
from catalog.models.base import utcnow
from catalog.services.analysis.computing import Computed
from catalog.services.analysis.fingerprints import Inputs
from catalog.services.bulk import insert_plain, inserted_ids
from catalog.services.tx import transaction


def _store(session: Session, computed: Sequence[Computed], inputs: dict[int, Inputs]) -> None:
    """Replace the cached results of these instansi (one transaction)."""
    ids = [c.instansi_id for c in computed]
    with transaction(session):
        # The run rows first: two refreshes of one instansi at once then collide on its
        # primary key right away, and the later one rolls back whole.
        session.execute(delete(AnalysisRun).where(AnalysisRun.instansi_id.in_(ids)))
        session.execute(delete(AnalysisSubject).where(AnalysisSubject.finding_instansi_id.in_(ids)))
        session.execute(delete(AnalysisFinding).where(AnalysisFinding.instansi_id.in_(ids)))
        now = utcnow()
        session.execute(
            insert(AnalysisRun),
            [
                {
                    "instansi_id": c.instansi_id,
                    "fingerprint": inputs[c.instansi_id].fingerprint,
                    "inputs": inputs[c.instansi_id].as_dict(),
                    "analysis_version": ANALYSIS_VERSION,
                    "computed_at": now,
                    "duration_ms": c.duration_ms,
                    "finding_count": len(c.findings),
                    "summary": c.summary,
                    "scorecard": c.scorecard,
                }
                for c in computed
            ],
        )
        rows = [row for c in computed for row in c.findings]
        if session.get_bind().dialect.name == "sqlite" and rows:
            # The first id SQLite gives, then the rest in order (see inserted_ids).
            first = inserted_ids(session, AnalysisFinding, rows[:1])[0]
            finding_ids = list(range(first, first + len(rows)))
            insert_plain(
                session,
                AnalysisFinding.__table__,  # type: ignore[attr-defined]
                [{**row, "id": i} for row, i in zip(rows[1:], finding_ids[1:], strict=True)],
            )
        else:
            finding_ids = inserted_ids(session, AnalysisFinding, rows)
        subjects = [
            {**subject, "finding_id": fid}
            for fid, subs in zip(
                finding_ids, (s for c in computed for s in c.subjects), strict=True
            )
            for subject in subs
        ]
        insert_plain(session, AnalysisSubject.__table__, subjects)  # type: ignore[attr-defined]
