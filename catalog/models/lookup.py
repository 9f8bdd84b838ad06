"""Editable vocabularies that differ between regions (platforms, licences, schedules…)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from catalog.models.base import Model


class LookupValue(Model, table=True):
    __tablename__ = "lookup_value"
    __table_args__ = (UniqueConstraint("category", "value", name="uq_lookup_value"),)

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=32)
    value: str = Field(max_length=32)
    label: str = Field(max_length=200)
    label_en: str = Field(max_length=200)
    sort_order: int = Field(default=0)
    is_active: bool = Field(default=True)
