"""Domain Keamanan (RAK)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import SecurityControlType
from catalog.models.base import ItemColumns, Versioned, enum_field, text_field
from catalog.models.items import DomainItemBase


class SecurityControlBase(DomainItemBase):
    control_type: SecurityControlType = enum_field(SecurityControlType.STANDARD, index=True)
    assessment_type: str | None = Field(default=None, max_length=100, description="Jenis")
    performed_on: date | None = Field(default=None, description="Tanggal")
    valid_until: date | None = Field(default=None, description="Berlaku sampai")
    result: str | None = text_field(description="Hasil")
    follow_up: str | None = text_field(description="Tindak lanjut")
    standard: str | None = Field(default=None, max_length=200, description="Standar acuan")


class SecurityControl(ItemColumns, SecurityControlBase, Versioned, table=True):
    __tablename__ = "security_control"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_security_control_code"),
        Index("ix_security_control_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_security_control_name", "name"),
    )
