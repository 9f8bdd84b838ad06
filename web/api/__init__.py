"""The JSON API, mounted under /api/v1."""

from typing import Any

from fastapi import APIRouter

from web.api import (
    account,
    catalogue,
    diagrams,
    exchange,
    findings,
    impact,
    items,
    references,
    reviews,
    rules,
    scorecards,
    writes,
)

# The analysis routes share one heading in the API documentation.
ANALYSIS_TAGS: list[Any] = ["Analisis / Analysis"]

router = APIRouter()
router.include_router(catalogue.router)
router.include_router(account.router)
router.include_router(references.router)
router.include_router(items.router)
router.include_router(writes.router)
router.include_router(exchange.router)
router.include_router(diagrams.router)
for analysis in (findings, reviews, rules, scorecards, impact):
    router.include_router(analysis.router, tags=ANALYSIS_TAGS)
