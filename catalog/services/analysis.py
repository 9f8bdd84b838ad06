"""Keeping the findings cache current.

Findings are computed **per instansi** (duplicates and gaps never cross one; the national
catalogue is context for every one of them) and stored in ``analysis_run`` /
``analysis_finding`` / ``analysis_subject`` together with a *fingerprint* of what they were
computed from:

- the instansi's latest change record (every write to its items, relations, units and
  local reference codes leaves one),
- the national catalogue's latest change record (the central instansi's items are the
  context of every analysis),
- the active reference set,
- the analysis code (a digest of its source: a rule changed, added or removed changes
  what is found) and :data:`~catalog.analysis.engine.ANALYSIS_VERSION`.

A cached result whose fingerprint still matches is served as is; otherwise the instansi is
analysed again. Many instansi are analysed in a process pool, each worker loading one
snapshot for its batch and splitting it per instansi, so that a result never depends on
which other instansi happened to share the batch (an instansi refreshed alone on demand
gets exactly the findings it would get in a national run).

Cache writes are not catalogue changes: they leave no change record.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only
from sqlmodel import Session

import catalog.analysis as analysis_package
from catalog.access import RESTRICTED_CLASSES
from catalog.analysis.engine import ANALYSIS_VERSION, analyze, load_rules
from catalog.analysis.findings import SEVERITIES, Finding
from catalog.analysis.rules import RULES, Context
from catalog.analysis.snapshot import Snapshot
from catalog.enums import InstansiKind
from catalog.kinds import KINDS
from catalog.models import (
    AnalysisFinding,
    AnalysisRun,
    AnalysisSubject,
    ChangeRecord,
    Instansi,
    ReferenceSet,
)
from catalog.models.base import utcnow
from catalog.queries.findings import key_digest
from catalog.services.bulk import insert_plain, inserted_ids
from catalog.services.tx import transaction

# A process pool costs its start-up; below this many stale instansi one process is faster.
POOL_THRESHOLD = 8
# Batches per worker: enough to balance the load and show progress, few enough that the
# fixed cost of loading a snapshot (the national context, the reference set) stays small.
BATCHES_PER_WORKER = 4
# From this many items a snapshot is frozen out of the collector's sight while analysed.
FREEZE_ITEMS = 20_000

Progress = Callable[[int, int], None]


# -- fingerprints ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """The analysis code itself (every module of :mod:`catalog.analysis`, read as text):
    a changed rule, a new family module or a retuned matcher makes every cached result
    stale. Read, not imported: serving a fresh cache (``katalog analyze`` on an unchanged
    catalogue, every findings page) must not pay for loading the rules and NetworkX."""
    root = Path(analysis_package.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _scorecards() -> Callable[..., dict[str, Any]] | None:
    """The scorecard function, when its module is installed."""
    try:
        from catalog.analysis.scorecards import scorecards
    except ImportError:
        return None
    return scorecards


@dataclass(frozen=True)
class Inputs:
    """What one instansi's findings depend on."""

    instansi_change: int | None
    national_change: int | None
    reference_set: int | None
    rules: str
    version: str = ANALYSIS_VERSION

    def as_dict(self) -> dict[str, Any]:
        return {
            "instansi_change": self.instansi_change,
            "national_change": self.national_change,
            "reference_set": self.reference_set,
            "rules": self.rules,
            "version": self.version,
        }

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def central_ids(session: Session) -> list[int]:
    return list(
        session.execute(
            select(Instansi.id).where(Instansi.kind == InstansiKind.PUSAT).order_by(Instansi.id)
        ).scalars()
    )


def local_ids(session: Session) -> list[int]:
    return list(
        session.execute(
            select(Instansi.id).where(Instansi.kind != InstansiKind.PUSAT).order_by(Instansi.id)
        ).scalars()
    )


# Change records that say nothing about what an analysis reads: verdicts on findings
# (a verdict must not make its own finding stale) and accounts.
IGNORED_CHANGES = ("review", "withdraw_review", "user", "role_membership", "api_token")


def _latest_changes(session: Session, instansi_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(latest relevant change id, number of changes) per instansi."""
    # max(id) per instansi is one pass over the (instansi_id, at) index, which holds the
    # id; filtering the kind there would visit every row. So: the latest of all first,
    # then again, filtered, only where that latest one is a verdict or an account change.
    stmt = select(ChangeRecord.instansi_id, func.max(ChangeRecord.id), func.count(ChangeRecord.id))
    if len(instansi_ids) <= 200:
        stmt = stmt.where(ChangeRecord.instansi_id.in_(instansi_ids))
    else:
        # Most of the catalogue: one scan of the index beats a long IN list.
        stmt = stmt.where(ChangeRecord.instansi_id.is_not(None))
    wanted = set(instansi_ids)
    latest = {
        inst: (last, count)
        for inst, last, count in session.execute(stmt.group_by(ChangeRecord.instansi_id))
        if inst in wanted
    }
    kinds = dict(
        session.execute(
            select(ChangeRecord.id, ChangeRecord.object_kind).where(
                ChangeRecord.id.in_([last for last, _ in latest.values()])
            )
        ).all()
    )
    for inst, (last, count) in list(latest.items()):
        if kinds.get(last) in IGNORED_CHANGES:
            relevant = session.execute(
                select(func.max(ChangeRecord.id)).where(
                    ChangeRecord.instansi_id == inst,
                    ChangeRecord.object_kind.not_in(IGNORED_CHANGES),
                )
            ).scalar()
            latest[inst] = (relevant, count)
    return latest


def current_inputs(session: Session, instansi_ids: Sequence[int]) -> dict[int, Inputs]:
    """The inputs each instansi's findings would be computed from now (a few cheap
    queries, whatever the number of instansi)."""
    central = central_ids(session)
    national = (
        session.execute(
            select(func.max(ChangeRecord.id)).where(ChangeRecord.instansi_id.in_(central))
        ).scalar()
        if central
        else None
    )
    reference_set = session.execute(
        select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True))
    ).scalar()
    digest = rules_digest()
    latest = _latest_changes(session, instansi_ids)
    return {
        inst: Inputs(latest.get(inst, (None, 0))[0], national, reference_set, digest)
        for inst in instansi_ids
    }


@dataclass
class CacheState:
    """How the cache of some instansi stands against the catalogue now."""

    inputs: dict[int, Inputs]
    runs: dict[int, AnalysisRun]

    @property
    def missing(self) -> list[int]:
        return [i for i in self.inputs if i not in self.runs]

    @property
    def stale(self) -> list[int]:
        """Analysed before, on inputs that have changed since."""
        return [
            i
            for i, inputs in self.inputs.items()
            if i in self.runs and self.runs[i].fingerprint != inputs.fingerprint
        ]

    @property
    def outdated(self) -> list[int]:
        """Missing or stale: what a refresh would analyse."""
        return [
            i
            for i, inputs in self.inputs.items()
            if i not in self.runs or self.runs[i].fingerprint != inputs.fingerprint
        ]

    def reasons(self, instansi_id: int) -> list[str]:
        """Which inputs changed since the cached analysis (``instansi_change``,
        ``national_change``, ``reference_set``, ``rules``, ``version``)."""
        run = self.runs.get(instansi_id)
        if run is None:
            return ["missing"]
        now = self.inputs[instansi_id].as_dict()
        return [k for k, v in now.items() if run.inputs.get(k) != v]


def cache_state(session: Session, instansi_ids: Sequence[int] | None = None) -> CacheState:
    ids = list(instansi_ids) if instansi_ids is not None else local_ids(session)
    # What a freshness check reads; the summaries and scorecards (large JSON, one per
    # instansi) load only if asked for.
    stmt = select(AnalysisRun).options(
        load_only(
            AnalysisRun.instansi_id,
            AnalysisRun.fingerprint,
            AnalysisRun.inputs,
            AnalysisRun.computed_at,
        )
    )
    if len(ids) <= 200:
        stmt = stmt.where(AnalysisRun.instansi_id.in_(ids))
    wanted = set(ids)
    runs = {r.instansi_id: r for r in session.execute(stmt).scalars() if r.instansi_id in wanted}
    return CacheState(current_inputs(session, ids), runs)


# -- computing ---------------------------------------------------------------------------


def _parts(snapshot: Snapshot, instansi_ids: Iterable[int]) -> Iterator[tuple[int, Snapshot]]:
    """One snapshot per instansi out of a batch snapshot: its own items, units and links
    plus the national context, in the order the loader gave them, so that a batch yields
    the very snapshots that loading each instansi alone would (rules may depend on the
    order they meet items in)."""
    context = {p for p, place in snapshot.places.items() if place.is_central}

    def grouped(rows: Iterable[tuple[int | None, Any]]) -> dict[int | None, list[Any]]:
        """Rows grouped by instansi (None: the national context), each group keeping
        the rows' original positions for merging."""
        out: dict[int | None, list[Any]] = defaultdict(list)
        for n, (inst, row) in enumerate(rows):
            out[None if inst in context else inst].append((n, row))
        return out

    items = grouped((item.instansi_id, (key, item)) for key, item in snapshot.items.items())
    owner_of = {key: item.instansi_id for key, item in snapshot.items.items()}

    def link_place(link: Any) -> int | None:
        # A relation is stored with its source's instansi: the part of the source's
        # instansi gets it, as loading that instansi alone would (dangling end included).
        for end in (link.source, link.target):
            inst = owner_of.get(end)
            if inst is not None and inst not in context:
                return inst
        return None

    links = grouped((link_place(link), link) for link in snapshot.links)
    units = grouped((unit.instansi_id, unit) for unit in snapshot.units.values())
    local_refs = grouped((inst, ((inst, code), ref)) for (inst, code), ref in _local_refs(snapshot))
    for inst in instansi_ids:
        # replace(): whatever else a snapshot carries (the reference set…) is shared.
        yield (
            inst,
            replace(
                snapshot,
                items=dict(_merged(items.get(inst, []), items.get(None, []))),
                links=list(_merged(links.get(inst, []), links.get(None, []))),
                units={u.id: u for u in _merged(units.get(inst, []), units.get(None, []))},
                scope=frozenset({inst}),
                **(
                    {
                        "local_references": dict(
                            _merged(local_refs.get(inst, []), local_refs.get(None, []))
                        )
                    }
                    if hasattr(snapshot, "local_references")
                    else {}
                ),
            ),
        )


def _local_refs(snapshot: Snapshot) -> Iterator[tuple[tuple[int, str], Any]]:
    """Each instansi's own reference codes (absent from older snapshots)."""
    yield from getattr(snapshot, "local_references", {}).items()


def _merged(a: list[tuple[int, Any]], b: list[tuple[int, Any]]) -> Iterator[Any]:
    return (row for _, row in heapq.merge(a, b, key=lambda pair: pair[0]))


@dataclass
class Computed:
    """One instansi's analysis, ready to store (serialised in the process that made it)."""

    instansi_id: int
    duration_ms: int
    summary: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    scorecard: dict[str, Any] | None = None
    # per finding (same order): subject rows without the finding id
    subjects: list[list[dict[str, Any]]] = field(default_factory=list)


def summary_of(findings: Iterable[Finding]) -> dict[str, Any]:
    by_rule: dict[str, int] = defaultdict(int)
    by_severity: dict[str, int] = defaultdict(int)
    by_family: dict[str, int] = defaultdict(int)
    total = 0
    for f in findings:
        total += 1
        by_rule[f.rule] += 1
        by_severity[f.severity] += 1
        by_family[RULES[f.rule].family if f.rule in RULES else f.rule.split(".")[0]] += 1
    return {
        "total": total,
        "by_rule": dict(sorted(by_rule.items())),
        "by_severity": {s: by_severity[s] for s in SEVERITIES if by_severity.get(s)},
        "by_family": dict(sorted(by_family.items())),
    }


def _restricted_items(session: Session, instansi_ids: Sequence[int]) -> set[tuple[str, int]]:
    """Items of these instansi (and the national ones) the public may not see; few, so
    one query per kind."""
    wanted = sorted(set(instansi_ids) | set(central_ids(session)))
    out: set[tuple[str, int]] = set()
    for kind, spec in KINDS.items():
        model: Any = spec.model
        hidden = model.is_internal.is_(True)
        if kind == "dataset":
            hidden = hidden | model.classification.in_(RESTRICTED_CLASSES)
        stmt = select(model.id).where(hidden)
        if len(wanted) <= 500:
            stmt = stmt.where(model.instansi_id.in_(wanted))
        out.update((kind, i) for i in session.execute(stmt).scalars())
    return out


def _computed(
    instansi_id: int,
    snapshot: Snapshot,
    findings: list[Finding],
    restricted: set[tuple[str, int]],
    duration_ms: int,
) -> Computed:
    out = Computed(instansi_id, duration_ms, summary_of(findings))
    for position, f in enumerate(findings):
        body = f.to_dict()
        family = RULES[f.rule].family if f.rule in RULES else f.rule.split(".")[0]
        rows: dict[tuple[str, int], dict[str, Any]] = {}
        for s in f.subjects:
            item = snapshot.items.get((s.kind, s.id))
            unit = snapshot.units.get(s.id) if s.kind == "organisation" else None
            if item is not None:
                place, owner = item.instansi_id, item.owner_id
            elif unit is not None:
                # A finding about a unit itself (an OPD without the SPL…) is that unit's.
                place, owner = unit.instansi_id, unit.id
            else:
                place, owner = instansi_id, None
            rows.setdefault(
                (s.kind, s.id),
                {
                    "kind": s.kind,
                    "item_id": s.id,
                    "finding_instansi_id": instansi_id,
                    "item_instansi_id": place,
                    "owner_id": owner,
                    "restricted": (s.kind, s.id) in restricted,
                },
            )
        out.findings.append(
            {
                "instansi_id": instansi_id,
                "position": position,
                "rule": f.rule,
                "family": family,
                "severity": f.severity,
                "severity_rank": SEVERITIES.index(f.severity),
                "key_hash": key_digest(f.key),
                "evidence_hash": f.evidence_hash,
                "score": f.score,
                "restricted": any(r["restricted"] for r in rows.values()),
                # orjson: the ~54,000 bodies of a national run serialise ~10x faster than
                # with json (same JSON, without the spaces).
                "body": orjson.dumps(
                    body, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
                ).decode(),
            }
        )
        out.subjects.append(list(rows.values()))
    return out


def compute(session: Session, instansi_ids: Sequence[int]) -> list[Computed]:
    """Analyse some instansi in this process (one snapshot for all of them)."""
    from catalog.queries.snapshot import load_snapshot

    load_rules()
    snapshot = load_snapshot(session, instansi_ids=list(instansi_ids))
    restricted = _restricted_items(session, instansi_ids)
    # The snapshot lives until the end and holds no cycles worth collecting: out of the
    # collector's sight, the automatic collections do not walk its ~200,000 objects again
    # for every instansi analysed. (A city's snapshot is too small to be worth the full
    # collection this costs first.)
    large = len(snapshot.items) >= FREEZE_ITEMS
    if large:
        gc.collect()
        gc.freeze()
    try:
        return _analysed(snapshot, instansi_ids, restricted)
    finally:
        if large:
            gc.unfreeze()


def _analysed(
    snapshot: Snapshot, instansi_ids: Sequence[int], restricted: set[tuple[str, int]]
) -> list[Computed]:
    out = []
    score = _scorecards()
    for inst, part in _parts(snapshot, instansi_ids):
        started = time.perf_counter()
        # One context for the rules and the scorecards: they share clusters and coverage.
        context = Context(part)
        findings = analyze(part, context=context)
        computed = _computed(inst, part, findings, restricted, 0)
        if score is not None:
            computed.scorecard = score(context, inst)
        computed.duration_ms = int((time.perf_counter() - started) * 1000)
        out.append(computed)
    return out


def _compute_batch(url: str, instansi_ids: list[int]) -> list[Computed]:
    """Worker: its own engine and session (connections do not cross processes)."""
    from catalog.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return compute(session, instansi_ids)
    finally:
        engine.dispose()


# -- storing -----------------------------------------------------------------------------


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


# -- refreshing --------------------------------------------------------------------------


@dataclass
class RefreshReport:
    analysed: list[int] = field(default_factory=list)
    fresh: list[int] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1


def _batches(ids: list[int], weights: dict[int, int], n: int) -> list[list[int]]:
    """``n`` batches of about equal weight (largest first into the lightest batch)."""
    n = max(1, min(n, len(ids)))
    batches: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for inst in sorted(ids, key=lambda i: -weights.get(i, 1)):
        lightest = load.index(min(load))
        batches[lightest].append(inst)
        load[lightest] += weights.get(inst, 1)
    return [sorted(b) for b in batches if b]


def refresh(
    session: Session,
    instansi_ids: Sequence[int] | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Analyse again every instansi (of ``instansi_ids``, every local one by default)
    whose cached findings are missing or stale (all of them with ``force``)."""
    started = time.perf_counter()
    ids = list(instansi_ids) if instansi_ids is not None else local_ids(session)
    state = cache_state(session, ids)
    todo = ids if force else state.outdated
    report = RefreshReport(fresh=[i for i in ids if i not in set(todo)])
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    if progress:
        progress(0, len(todo))
    pool_size = workers if workers is not None else min(2, os.cpu_count() or 1)
    if pool_size <= 1 or len(todo) < POOL_THRESHOLD:
        done = 0
        for batch in _batches(todo, {}, max(1, len(todo) // 50)):
            computed = compute(session, batch)
            _store(session, computed, state.inputs)
            done += len(batch)
            if progress:
                progress(done, len(todo))
        report.workers = 1
    else:
        weights = {i: n for i, (_, n) in _latest_changes(session, todo).items()}
        batches = _batches(todo, weights, pool_size * BATCHES_PER_WORKER)
        url = session.get_bind().engine.url.render_as_string(hide_password=False)
        # End this session's read before forking: the workers open their own connections.
        session.rollback()
        done = 0
        with multiprocessing.get_context(_start_method()).Pool(pool_size) as pool:
            # Each batch is stored as soon as it comes back, whatever its order.
            for computed in pool.imap_unordered(_compute_args, [(url, b) for b in batches]):
                _store(session, computed, state.inputs)
                done += len(computed)
                if progress:
                    progress(done, len(todo))
        report.workers = pool_size
    report.analysed = list(todo)
    report.seconds = time.perf_counter() - started
    return report


def _start_method() -> str:
    # fork is the cheapest start (no re-import of the rules); elsewhere the default.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _compute_args(args: tuple[str, list[int]]) -> list[Computed]:
    return _compute_batch(*args)


def ensure_fresh(session: Session, instansi_id: int) -> bool:
    """Analyse one instansi again if its cached findings are stale (a city takes well
    under a second). True when it was analysed. Someone else refreshing the same
    instansi at the same moment is not an error: their result is as good as ours."""
    state = cache_state(session, [instansi_id])
    if not state.outdated:
        return False
    try:
        _store(session, compute(session, [instansi_id]), state.inputs)
    except IntegrityError:
        session.rollback()
    return True


__all__ = [
    "CacheState",
    "Computed",
    "Inputs",
    "RefreshReport",
    "cache_state",
    "central_ids",
    "compute",
    "current_inputs",
    "ensure_fresh",
    "local_ids",
    "refresh",
    "rules_digest",
    "summary_of",
]
