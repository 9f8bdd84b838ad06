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

from catalog.services.analysis.computing import Computed, compute, summary_of
from catalog.services.analysis.fingerprints import (
    CacheState,
    Inputs,
    cache_state,
    central_ids,
    current_inputs,
    local_ids,
    rules_digest,
)
from catalog.services.analysis.parts import _parts as _parts
from catalog.services.analysis.refreshing import RefreshReport, ensure_fresh, refresh

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
