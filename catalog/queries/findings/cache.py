"""How current the cached findings of a scope are, and an instansi's last run."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from catalog.models import AnalysisRun


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


def latest_run(session: Session, instansi_id: int) -> AnalysisRun | None:
    return session.get(AnalysisRun, instansi_id)


__all__ = ["CacheInfo", "cache_info", "latest_run"]
