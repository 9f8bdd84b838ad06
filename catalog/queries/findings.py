"""Reading cached findings with their review state, for pages, the API and the CLI.

A finding's *state* comes from the current verdict on its key (see
:mod:`catalog.models.review`): none → ``open``; one given on the same evidence →
``reviewed`` (silent unless asked for); one given on other evidence → ``reopened``
("bukti berubah"). Lists show ``open`` and ``reopened`` findings unless told otherwise.

A finding that names an item the viewer may not see (an internal item, a restricted data
set: :mod:`catalog.access`) is not shown to them at all.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from catalog.access import SYSTEM, Principal, is_restricted
from catalog.analysis.findings import SEVERITIES
from catalog.enums import FindingState
from catalog.errors import InvalidInput
from catalog.kinds import KINDS
from catalog.models import (
    AnalysisFinding,
    AnalysisRun,
    AnalysisSubject,
    Instansi,
    Organisation,
    ReviewDecision,
)
from catalog.queries.items import Page, paginate

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


@dataclass
class FindingRow:
    """A cached finding, its state and the verdict behind that state."""

    id: int
    instansi_id: int
    rule: str
    family: str
    severity: str
    key_hash: str
    evidence_hash: str
    score: float | None
    body: dict[str, Any]
    review: ReviewDecision | None = None

    @property
    def state(self) -> FindingState:
        if self.review is None:
            return FindingState.OPEN
        if self.review.evidence_hash == self.evidence_hash:
            return FindingState.REVIEWED
        return FindingState.REOPENED

    @property
    def key(self) -> str:
        return str(self.body.get("key", ""))

    @property
    def subjects(self) -> list[dict[str, Any]]:
        return list(self.body.get("subjects", []))

    @property
    def evidence(self) -> dict[str, Any]:
        return dict(self.body.get("evidence", {}))

    def to_dict(self, instansi_code: str, *, review_details: bool = True) -> dict[str, Any]:
        """The finding as the CLI and the API give it (``schemas/findings.schema.json``).
        Without ``review_details``, only the verdict itself: who decided and why is for
        people who read the instansi."""
        out = dict(self.body)
        out["instansi"] = instansi_code
        out["family"] = self.family
        out["state"] = self.state.value
        out["review"] = (
            review_dict(self.review, details=review_details) if self.review is not None else None
        )
        return out


def review_dict(review: ReviewDecision, *, details: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "verdict": str(review.verdict),
        "evidence_hash": review.evidence_hash,
        "decided_at": review.decided_at.isoformat(),
        "revision": review.revision,
    }
    if details:
        out["reason"] = review.reason
        out["decided_by"] = review.decided_by_name
    return out


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


def _filtered(session: Session, flt: FindingFilter, *columns: Any) -> Select[Any]:
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


def _row(finding: AnalysisFinding, review: ReviewDecision | None) -> FindingRow:
    return FindingRow(
        id=finding.id,  # type: ignore[arg-type]
        instansi_id=finding.instansi_id,
        rule=finding.rule,
        family=finding.family,
        severity=finding.severity,
        key_hash=finding.key_hash,
        evidence_hash=finding.evidence_hash,
        score=finding.score,
        body=json.loads(finding.body),
        review=review,
    )


def list_findings(
    session: Session, flt: FindingFilter, *, page: int = 1, per_page: int = 50
) -> Page:
    """One page of findings (:class:`FindingRow`), most severe first."""
    stmt = _filtered(session, flt, F.id)
    result = paginate(session, stmt, list(ORDER), page, per_page, key=F.id)
    ids = list(result.items)
    rows = _rows_by_id(session, ids)
    result.items = still_visible(session, flt.principal, [rows[i] for i in ids if i in rows])
    return result


def _rows_by_id(session: Session, ids: Sequence[int]) -> dict[int, FindingRow]:
    if not ids:
        return {}
    stmt = (
        select(F, D)
        .outerjoin(
            D,
            and_(D.key_hash == F.key_hash, D.instansi_id == F.instansi_id, D.is_current.is_(True)),
        )
        .where(F.id.in_(list(ids)))
    )
    return {f.id: _row(f, d) for f, d in session.execute(stmt)}


_ROW_COLUMNS = (
    F.id,
    F.instansi_id,
    F.rule,
    F.family,
    F.severity,
    F.key_hash,
    F.evidence_hash,
    F.score,
    F.body,
)


def iter_findings(session: Session, flt: FindingFilter) -> Iterator[FindingRow]:
    """Every matching finding, in list order, streamed (CLI output, downloads)."""
    # Plain columns, not AnalysisFinding objects: a national listing streams ~50,000 rows
    # and building an ORM object for each costs more than the rest of the listing.
    stmt = _filtered(session, flt, *_ROW_COLUMNS, D).order_by(*ORDER)
    rows = (
        FindingRow(
            id=v[0],
            instansi_id=v[1],
            rule=v[2],
            family=v[3],
            severity=v[4],
            key_hash=v[5],
            evidence_hash=v[6],
            score=v[7],
            body=json.loads(v[8]),
            review=v[9],
        )
        for v in session.execute(stmt.execution_options(yield_per=2000))
    )
    if flt.principal.is_admin or flt.principal.read_all:
        yield from rows
        return
    batch: list[FindingRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 500:
            yield from still_visible(session, flt.principal, batch)
            batch = []
    yield from still_visible(session, flt.principal, batch)


def still_visible(
    session: Session, principal: Principal, rows: list[FindingRow]
) -> list[FindingRow]:
    """The rows whose subjects the principal may see *now*. The cache's flags were set
    when the finding was computed; an item made internal since must not show in a list
    served from an older cache (national lists do not wait for every instansi)."""
    if principal.is_admin or principal.read_all or not rows:
        return rows
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for s in row.subjects:
            if s.get("kind") in KINDS:
                wanted[s["kind"]].add(int(s["id"]))
    hidden: set[tuple[str, int]] = set()
    for kind, ids in wanted.items():
        model: Any = KINDS[kind].model
        columns = [model.id, model.instansi_id, model.is_internal]
        if kind == "dataset":
            columns.append(model.classification)
        for values in session.execute(select(*columns).where(model.id.in_(sorted(ids)))):
            item = dict(values._mapping)
            if is_restricted(kind, item) and not principal.can_read_instansi(item["instansi_id"]):
                hidden.add((kind, item["id"]))
    if not hidden:
        return rows
    return [r for r in rows if not any((s.get("kind"), s.get("id")) in hidden for s in r.subjects)]


def get_finding(
    session: Session, instansi_id: int, key_hash: str, principal: Principal = SYSTEM
) -> FindingRow | None:
    """The cached finding with this key in this instansi, if the principal may see it."""
    flt = FindingFilter(
        principal=principal, instansi_ids=[instansi_id], key_hash=key_hash, state=ALL
    )
    stmt = _filtered(session, flt, F, D).order_by(*ORDER).limit(1)
    found = session.execute(stmt).first()
    if found is None:
        return None
    rows = still_visible(session, principal, [_row(found[0], found[1])])
    return rows[0] if rows else None


def find_by_key(session: Session, key: str) -> AnalysisFinding | None:
    """The cached finding with this key, in whichever instansi (a key names its subjects'
    instansi, and findings never cross one)."""
    return session.execute(
        select(F).where(F.key_hash == key_digest(key)).order_by(F.instansi_id, F.position).limit(1)
    ).scalar_one_or_none()


def key_digest(key: str) -> str:
    """The indexed form of a finding key (keys of big clusters are long).

    >>> key_digest("x|application:35.78/APL-1") == key_digest("x|application:35.78/APL-1")
    True
    >>> len(key_digest("x"))
    32
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


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
    stmt = _filtered(
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
        _filtered(session, flt, AnalysisSubject.owner_id, F.rule, F.id)
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


@dataclass
class CacheInfo:
    """How current the cached findings of a scope are."""

    instansi_ids: list[int]
    analysed: int
    outdated: list[int]
    oldest: datetime | None
    newest: datetime | None
    fingerprint: str
    refreshed: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.outdated


def cache_info(
    session: Session, instansi_ids: Sequence[int] | None, refreshed: Sequence[int] = ()
) -> CacheInfo:
    from catalog.services.analysis import cache_state

    state = cache_state(session, instansi_ids)
    runs = state.runs.values()
    combined = "\n".join(f"{i}:{state.runs[i].fingerprint}" for i in sorted(state.runs))
    return CacheInfo(
        instansi_ids=list(state.inputs),
        analysed=len(state.runs),
        outdated=state.outdated,
        oldest=min((r.computed_at for r in runs), default=None),
        newest=max((r.computed_at for r in runs), default=None),
        fingerprint=hashlib.sha256(combined.encode()).hexdigest()[:32],
        refreshed=list(refreshed),
    )


def instansi_codes(session: Session, ids: Collection[int] | None = None) -> dict[int, str]:
    stmt = select(Instansi.id, Instansi.code)
    if ids is not None and len(ids) <= 500:
        stmt = stmt.where(Instansi.id.in_(sorted(ids)))
    return {i: c for i, c in session.execute(stmt)}


def latest_run(session: Session, instansi_id: int) -> AnalysisRun | None:
    return session.get(AnalysisRun, instansi_id)


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


__all__ = [
    "ALL",
    "PENDING",
    "STATES",
    "CacheInfo",
    "Counts",
    "FindingFilter",
    "FindingRow",
    "StoredScorecard",
    "cache_info",
    "count_findings",
    "counts_by_unit",
    "current_review",
    "find_by_key",
    "get_finding",
    "instansi_codes",
    "iter_findings",
    "key_digest",
    "latest_run",
    "list_findings",
    "related_reviews",
    "review_dict",
    "review_history",
    "still_visible",
    "stored_scorecards",
]
