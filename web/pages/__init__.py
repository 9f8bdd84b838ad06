"""Server-rendered pages (Bahasa Indonesia first, usable without JavaScript)."""

from fastapi import APIRouter

from web.pages import home, items, organisations, references, search

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(search.router)
router.include_router(references.router)
router.include_router(organisations.router)
router.include_router(items.router)
