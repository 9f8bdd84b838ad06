"""The JSON API, mounted under /api/v1."""

from fastapi import APIRouter

from web.api import catalogue, items, references

router = APIRouter()
router.include_router(catalogue.router)
router.include_router(references.router)
router.include_router(items.router)
