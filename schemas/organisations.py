"""Instansi and unit answers."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.common import Links


class InstansiOut(BaseModel):
    id: int
    code: str
    name: str
    short_name: str | None = None
    kind: str
    kind_label: str
    parent_code: str | None = None
    is_national: bool
    counts: dict[str, int] | None = None
    links: Links


class OrganisationOut(BaseModel):
    id: int
    instansi_id: int
    code: str
    name: str
    short_name: str | None = None
    kind: str | None = None
    parent_id: int | None = None
    depth: int
    retired: bool
    version: int
    counts: dict[str, int] | None = None
    links: Links


class SearchHitOut(BaseModel):
    kind: str
    kind_label: str
    id: int
    code: str
    name: str
    description: str | None = None
    instansi_id: int
    retired: bool
    links: Links


class StatsOut(BaseModel):
    instansi: str | None = None
    counts: dict[str, int]
    labels: dict[str, str]
