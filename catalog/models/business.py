"""Domain Proses Bisnis (RAB)."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint

from catalog.enums import ProcessState
from catalog.models.base import ItemColumns, Versioned, enum_field, text_field
from catalog.models.items import DomainItemBase


class BusinessProcessBase(DomainItemBase):
    goal: str | None = text_field(description="Sasaran")
    indicator: str | None = text_field(description="Indikator kinerja")
    state: ProcessState = enum_field(ProcessState.AS_IS)


class BusinessProcess(ItemColumns, BusinessProcessBase, Versioned, table=True):
    __tablename__ = "business_process"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_business_process_code"),
        Index("ix_business_process_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_business_process_name", "name"),
    )
