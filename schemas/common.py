"""Small shapes shared by every response."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Links(BaseModel):
    self: str = Field(description="Alamat JSON objek ini")
    html: str | None = Field(default=None, description="Halaman web objek ini")


class InstansiRef(BaseModel):
    id: int
    code: str
    name: str
    kind: str


class OrganisationRef(BaseModel):
    id: int
    code: str
    name: str
    short_name: str | None = None
    retired: bool = False


class ReferenceRef(BaseModel):
    code: str
    name: str
    level: int
    confidence: str | None = None
    status: str | None = None
    is_local: bool = False


class PageLinks(BaseModel):
    self: str
    next: str | None = None
    prev: str | None = None
    html: str | None = None


class ProblemOut(BaseModel):
    code: str
    message: str
    message_en: str
    field: str | None = None
    value: Any = None


class ErrorOut(BaseModel):
    """Every error answer: a message in Indonesian, one in English, and each problem."""

    code: str
    message: str
    message_en: str
    problems: list[ProblemOut] = []
