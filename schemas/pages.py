"""Paged list answers."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

from schemas.common import PageLinks

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int
    links: PageLinks
