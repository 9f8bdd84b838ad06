"""Which findings a list asks for: the states, :class:`FindingFilter`, and the query
that applies it (scope, rules, severities, state, and what the viewer may see)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from catalog.access import SYSTEM, Principal
from catalog.enums import FindingState
from catalog.errors import InvalidInput
from catalog.models import AnalysisFinding, AnalysisSubject, Organisation, ReviewDecision

# What a list may ask for: one state, every state, or (the default) what needs attention.
PENDING = "pending"
ALL = "all"
STATES = (PENDING, "open", "reopened", "reviewed", ALL)

F = AnalysisFinding
D = ReviewDecision
ORDER = (F.severity_rank, F.rule, F.instansi_id, F.position)


@dataclass
class FindingFilter:
    principal: Principal = SYSTEM
    instansi_ids: Sequence[int] | None = None  # None: every instansi
    owner_id: int | None = None  # a unit and the units below it
    rules: Collection[str] | None = None  # rule ids (families expanded by the caller)
    severities: Collection[str] | None = None
    state: str = PENDING
    item: tuple[str, int] | None = None  # findings naming this item
    key_hash: str | None = None


def _visible(principal: Principal) -> Any:
    """Findings every subject of which the principal may see."""
    if principal.is_admin or principal.read_all:
        return None
    # An alias, correlated to the finding only: a query that itself joins the subjects
    # (counts per unit) would otherwise correlate them away and leave no FROM.
    sub = aliased(AnalysisSubject)
    hidden = select(literal(1)).where(sub.finding_id == F.id, sub.restricted.is_(True)).correlate(F)
    if principal.readable:
        hidden = hidden.where(sub.item_instansi_id.not_in(principal.readable))
    # Most findings name nothing restricted: the flag spares them the subquery.
    return or_(F.restricted.is_(False), ~exists(hidden))


def _state_clause(state: str) -> Any:
    if state not in STATES:
        raise InvalidInput(
            f"Status temuan '{state}' tidak dikenal. Pilihan: {', '.join(STATES)}.",
            f"Unknown finding state '{state}'. Choose one of: {', '.join(STATES)}.",
            field="state",
            value=state,
        )
    if state == ALL:
        return None
    if state == FindingState.OPEN:
        return D.id.is_(None)
    if state == FindingState.REVIEWED:
        return and_(D.id.is_not(None), D.evidence_hash == F.evidence_hash)
    if state == FindingState.REOPENED:
        return and_(D.id.is_not(None), D.evidence_hash != F.evidence_hash)
    return or_(D.id.is_(None), D.evidence_hash != F.evidence_hash)  # pending


def filtered(session: Session, flt: FindingFilter, *columns: Any) -> Select[Any]:
    stmt = select(*columns).outerjoin(
        D, and_(D.key_hash == F.key_hash, D.instansi_id == F.instansi_id, D.is_current.is_(True))
    )
    if flt.instansi_ids is not None:
        stmt = stmt.where(F.instansi_id.in_(list(flt.instansi_ids)))
    if flt.rules is not None:
        stmt = stmt.where(F.rule.in_(sorted(flt.rules)))
    if flt.severities:
        stmt = stmt.where(F.severity.in_(sorted(flt.severities)))
    if flt.key_hash:
        stmt = stmt.where(F.key_hash == flt.key_hash)
    if flt.owner_id is not None:
        org = session.get(Organisation, flt.owner_id)
        subtree = select(Organisation.id).where(
            Organisation.path.startswith(org.path if org else "/-1/")
        )
        stmt = stmt.where(
            F.id.in_(
                select(AnalysisSubject.finding_id).where(AnalysisSubject.owner_id.in_(subtree))
            )
        )
    if flt.item is not None:
        kind, item_id = flt.item
        stmt = stmt.where(
            F.id.in_(
                select(AnalysisSubject.finding_id).where(
                    AnalysisSubject.kind == kind, AnalysisSubject.item_id == item_id
                )
            )
        )
    for clause in (_state_clause(flt.state), _visible(flt.principal)):
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


__all__ = ["ALL", "ORDER", "PENDING", "STATES", "D", "F", "FindingFilter", "filtered"]
