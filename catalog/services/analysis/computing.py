"""Analysing instansi: rules and scorecards over each one's snapshot, results serialised
for the cache in the process that made them."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import RESTRICTED_CLASSES
from catalog.analysis.collector import collector_paused
from catalog.analysis.engine import analyze, load_rules
from catalog.analysis.findings import SEVERITIES, Finding
from catalog.analysis.rules import RULES, Context
from catalog.analysis.snapshot import Snapshot
from catalog.kinds import KINDS
from catalog.queries.findings import key_digest
from catalog.services.analysis.fingerprints import central_ids
from catalog.services.analysis.parts import _parts


def _scorecards() -> Callable[..., dict[str, Any]] | None:
    """The scorecard function, when its module is installed."""
    try:
        from catalog.analysis.scorecards import scorecards
    except ImportError:
        return None
    return scorecards


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
    # The snapshot (some 50,000 objects per batch of the national run) and what the rules
    # build on it live until the batch is done: automatic collections would walk them
    # again and again (half the load time) to find next to nothing.
    # Whatever cycles the rules leave are collected once the batch is done.
    with collector_paused():
        snapshot = load_snapshot(session, instansi_ids=list(instansi_ids))
        restricted = _restricted_items(session, instansi_ids)
        return _analysed(snapshot, instansi_ids, restricted)


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
