"""What one instansi's cached findings were computed from, and how the cache stands
against the catalogue now (see the package docstring)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import load_only
from sqlmodel import Session

import catalog.analysis as analysis_package
from catalog.analysis.engine import ANALYSIS_VERSION
from catalog.enums import InstansiKind
from catalog.models import (
    AnalysisRun,
    ChangeRecord,
    Instansi,
    ReferenceSet,
)


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
