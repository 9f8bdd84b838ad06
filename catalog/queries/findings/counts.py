"""How many findings match: by rule, severity, family and state, and per owning unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from catalog.analysis.findings import SEVERITIES
from catalog.enums import FindingState
from catalog.models import AnalysisSubject
from catalog.queries.findings.filters import D, F, FindingFilter, filtered


@dataclass
class Counts:
    total: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    by_family: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_rule": self.by_rule,
            "by_severity": self.by_severity,
            "by_family": self.by_family,
            "by_state": self.by_state,
        }


def count_findings(session: Session, flt: FindingFilter) -> Counts:
    """How many findings match, by rule, severity, family and state (one grouped query;
    visibility by the cached flags)."""
    reviewed = and_(D.id.is_not(None), D.evidence_hash == F.evidence_hash)
    reopened = and_(D.id.is_not(None), D.evidence_hash != F.evidence_hash)
    stmt = filtered(
        session,
        flt,
        F.rule,
        F.family,
        F.severity,
        func.count(F.id),
        func.sum(_as_int(reviewed)),
        func.sum(_as_int(reopened)),
    ).group_by(F.rule, F.family, F.severity)
    counts = Counts()
    by_rule: dict[str, int] = defaultdict(int)
    by_severity: dict[str, int] = defaultdict(int)
    by_family: dict[str, int] = defaultdict(int)
    by_state: dict[str, int] = defaultdict(int)
    for rule, family, severity, n, n_reviewed, n_reopened in session.execute(stmt):
        counts.total += n
        by_rule[rule] += n
        by_severity[severity] += n
        by_family[family] += n
        by_state[FindingState.REVIEWED.value] += int(n_reviewed or 0)
        by_state[FindingState.REOPENED.value] += int(n_reopened or 0)
        by_state[FindingState.OPEN.value] += n - int(n_reviewed or 0) - int(n_reopened or 0)
    counts.by_rule = dict(sorted(by_rule.items()))
    counts.by_severity = {s: by_severity[s] for s in SEVERITIES if by_severity.get(s)}
    counts.by_family = dict(sorted(by_family.items()))
    counts.by_state = {s.value: by_state[s.value] for s in FindingState if by_state.get(s.value)}
    return counts


def _as_int(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def counts_by_unit(session: Session, flt: FindingFilter) -> dict[int, dict[str, int]]:
    """Matching findings per owning unit of their subjects and per rule (a finding about
    items of two units counts for both)."""
    pairs = (
        filtered(session, flt, AnalysisSubject.owner_id, F.rule, F.id)
        .join(AnalysisSubject, AnalysisSubject.finding_id == F.id)
        .where(AnalysisSubject.owner_id.is_not(None))
        .distinct()
        .subquery()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for owner, rule, n in session.execute(
        select(pairs.c.owner_id, pairs.c.rule, func.count()).group_by(
            pairs.c.owner_id, pairs.c.rule
        )
    ):
        out[owner][rule] = n
    return dict(out)


__all__ = ["Counts", "count_findings", "counts_by_unit"]
