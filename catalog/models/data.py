"""Domain Data dan Informasi (RAD), with Satu Data Indonesia metadata."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import DataClassification
from catalog.models.base import ItemColumns, Versioned, enum_field, text_field
from catalog.models.items import DomainItemBase


class DataSetBase(DomainItemBase):
    purpose: str | None = text_field(description="Tujuan")
    classification: DataClassification = enum_field(DataClassification.TERBUKA, index=True)
    data_type: str | None = Field(default=None, max_length=32, description="Jenis data (lookup)")
    update_schedule: str | None = Field(
        default=None, max_length=32, description="Jadwal pemutakhiran (lookup)"
    )
    format: str | None = Field(default=None, max_length=32, description="Format (lookup)")
    interoperable: bool = Field(default=False, description="Interoperabel")
    is_master: bool = Field(default=False, description="Data induk")
    is_reference: bool = Field(default=False, description="Kode referensi")


class DataSet(ItemColumns, DataSetBase, Versioned, table=True):
    __tablename__ = "data_set"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_data_set_code"),
        Index("ix_data_set_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_data_set_name", "name"),
    )

    producer_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, description="Produsen data"
    )
    steward_id: int | None = Field(
        default=None, foreign_key="organisation.id", description="Walidata"
    )
    authoritative_application_id: int | None = Field(
        default=None,
        foreign_key="application.id",
        index=True,
        description="Aplikasi sumber otoritatif",
    )
