"""Reference architecture answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ReferenceSetOut(BaseModel):
    id: int
    key: str
    version: str
    title: str
    legal_basis: str | None = None
    notes: str | None = None
    is_active: bool
    loaded_at: datetime
    activated_at: datetime | None = None
    schemes: dict[str, Any]


class ReferenceNodeOut(BaseModel):
    code: str
    name: str
    scheme: str
    level: int
    parent_code: str | None = None
    confidence: str | None = None
    status: str
    replaced_by: str | None = None
    is_local: bool
    instansi_id: int | None = None
    item_count: int | None = None
