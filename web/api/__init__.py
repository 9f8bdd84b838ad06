"""The JSON API, mounted under /api/v1."""

from fastapi import APIRouter

from web.api import account, analysis, catalogue, exchange, items, references, writes

router = APIRouter()
router.include_router(catalogue.router)
router.include_router(account.router)
router.include_router(references.router)
router.include_router(items.router)
router.include_router(writes.router)
router.include_router(exchange.router)
router.include_router(analysis.router)
