"""Server-rendered pages (Bahasa Indonesia first, usable without JavaScript)."""

from fastapi import APIRouter

from web.pages import (
    account,
    edit,
    exchange,
    findings,
    gaps,
    history,
    home,
    impact,
    items,
    organisations,
    references,
    relations,
    reviews,
    rules,
    scorecards,
    search,
)

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(search.router)
router.include_router(references.router)
router.include_router(organisations.router)
router.include_router(account.router)
router.include_router(exchange.router)
# Before the item pages, so that "/aplikasi/baru" is not taken for an item id.
router.include_router(edit.router)
router.include_router(relations.router)
router.include_router(history.router)
# The analysis pages, also before the item pages ("/aplikasi/3/dampak").
for analysis in (findings, gaps, reviews, impact, rules, scorecards):
    router.include_router(analysis.router)
router.include_router(items.router)
