"""Domain Infrastruktur (RAI): typed by the twelve official object kinds."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import InfraType
from catalog.models.base import ItemColumns, Versioned, enum_field, text_field
from catalog.models.items import DomainItemBase


class InfrastructureItemBase(DomainItemBase):
    infra_type: InfraType = enum_field(InfraType.SERVER, index=True)
    location: str | None = Field(default=None, max_length=300, description="Lokasi")
    provider: str | None = Field(default=None, max_length=300, description="Penyedia")
    specification: str | None = text_field(description="Spesifikasi / kapasitas")
    deployment: str | None = Field(
        default=None, max_length=32, description="Fisik / virtual / awan (lookup)"
    )
    tier: str | None = Field(default=None, max_length=32, description="Tier pusat data")
    licence_type: str | None = Field(default=None, max_length=32)
    product_version: str | None = Field(default=None, max_length=100)
    quantity: int = Field(default=1)
    url: str | None = Field(default=None, max_length=500)


class InfrastructureItem(ItemColumns, InfrastructureItemBase, Versioned, table=True):
    __tablename__ = "infrastructure_item"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_infrastructure_item_code"),
        Index("ix_infrastructure_item_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_infrastructure_item_name", "name"),
    )
