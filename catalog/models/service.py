"""Domain Layanan (RAL)."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import ServiceMethod
from catalog.models.base import ItemColumns, Versioned, enum_field, text_field
from catalog.models.items import DomainItemBase


class ServiceBase(DomainItemBase):
    purpose: str | None = text_field(description="Tujuan layanan")
    function: str | None = text_field(description="Fungsi layanan")
    target: str | None = Field(
        default=None, max_length=32, description="Sasaran pengguna (data lookup service_target)"
    )
    method: ServiceMethod = enum_field(ServiceMethod.ELEKTRONIK)
    url: str | None = Field(default=None, max_length=500)


class Service(ItemColumns, ServiceBase, Versioned, table=True):
    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_service_code"),
        Index("ix_service_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_service_name", "name"),
    )

    executing_unit_id: int | None = Field(
        default=None, foreign_key="organisation.id", description="Unit pelaksana"
    )
