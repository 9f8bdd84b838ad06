"""Reading cached findings with their review state, for pages, the API and the CLI.

A finding's *state* comes from the current verdict on its key (see
:mod:`catalog.models.review`): none → ``open``; one given on the same evidence →
``reviewed`` (silent unless asked for); one given on other evidence → ``reopened``
("bukti berubah"). Lists show ``open`` and ``reopened`` findings unless told otherwise.

A finding that names an item the viewer may not see (an internal item, a restricted data
set: :mod:`catalog.access`) is not shown to them at all.
"""

from __future__ import annotations

from catalog.queries.findings.cache import CacheInfo, cache_info
from catalog.queries.findings.counts import Counts, count_findings, counts_by_unit
from catalog.queries.findings.filters import ALL, PENDING, STATES, FindingFilter
from catalog.queries.findings.keys import find_by_key, key_digest
from catalog.queries.findings.listing import (
    get_finding,
    instansi_codes,
    iter_findings,
    list_findings,
)
from catalog.queries.findings.reviews import current_review, related_reviews, review_history
from catalog.queries.findings.rows import FindingRow
from catalog.queries.findings.scorecards import stored_scorecards

__all__ = [
    "ALL",
    "PENDING",
    "STATES",
    "CacheInfo",
    "Counts",
    "FindingFilter",
    "FindingRow",
    "cache_info",
    "count_findings",
    "counts_by_unit",
    "current_review",
    "find_by_key",
    "get_finding",
    "instansi_codes",
    "iter_findings",
    "key_digest",
    "list_findings",
    "related_reviews",
    "review_history",
    "stored_scorecards",
]
