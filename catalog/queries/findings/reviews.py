"""The verdicts given on findings: a finding's history, its current verdict, and those
of related findings."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from catalog.models import ReviewDecision
from catalog.queries.findings.filters import D
from catalog.queries.findings.rows import FindingRow


def review_history(session: Session, instansi_id: int, key_hash: str) -> list[ReviewDecision]:
    """Every verdict given on one finding, newest first."""
    return list(
        session.execute(
            select(D)
            .where(D.instansi_id == instansi_id, D.key_hash == key_hash)
            .order_by(D.revision.desc())
        ).scalars()
    )


def related_reviews(session: Session, row: FindingRow) -> list[ReviewDecision]:
    """Current verdicts on *other* findings of the same rule whose items all belong to this
    one, or which hold all of this one's: a duplicate cluster that grew (or shrank) since it
    was judged is a new finding, and shows what was decided about its members."""
    mine = {(s.get("kind"), s.get("id")) for s in row.subjects}
    if not mine:
        return []
    out = []
    for d in session.execute(
        select(D)
        .where(
            D.instansi_id == row.instansi_id,
            D.rule == row.rule,
            D.is_current.is_(True),
            D.key_hash != row.key_hash,
        )
        .order_by(D.decided_at.desc())
    ).scalars():
        theirs = {(s.get("kind"), s.get("id")) for s in d.subjects}
        if len(theirs) > 1 and (theirs <= mine or mine <= theirs):
            out.append(d)
    return out


def current_review(session: Session, key_hash: str) -> ReviewDecision | None:
    return session.execute(
        select(D).where(D.key_hash == key_hash, D.is_current.is_(True)).order_by(D.id.desc())
    ).scalar()


__all__ = ["current_review", "related_reviews", "review_history"]
