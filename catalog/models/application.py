"""Domain Aplikasi (RAA)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import AppType, NationalRole
from catalog.models.base import ItemColumns, Versioned, enum_field, json_list_field, text_field
from catalog.models.items import DomainItemBase


class ApplicationBase(DomainItemBase):
    acronym: str | None = Field(default=None, max_length=64, description="Singkatan")
    function: str | None = text_field(description="Fungsi")
    output: str | None = text_field(description="Luaran")
    app_type: AppType = enum_field(AppType.KHUSUS, index=True)
    national_role: NationalRole = enum_field(NationalRole.NONE, index=True)
    platform: str | None = Field(default=None, max_length=32, description="Basis (lookup)")
    licence_type: str | None = Field(default=None, max_length=32, description="Tipe lisensi")
    programming_language: str | None = Field(default=None, max_length=100)
    framework: str | None = Field(default=None, max_length=100)
    database: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=500)
    year_built: int | None = Field(default=None, description="Tahun pembuatan")
    funding_source: str | None = Field(default=None, max_length=32, description="Sumber dana")
    contract_value: int | None = Field(
        default=None, sa_type=BigInteger, description="Nilai kontrak (rupiah)"
    )
    developer_name: str | None = Field(default=None, max_length=300, description="Pengembang")
    hosting_note: str | None = Field(default=None, max_length=300, description="Lokasi hosting")
    legal_basis: str | None = text_field(description="Dasar hukum")
    aliases: list[str] = json_list_field()
    # Addresses the system had before (a ministry renamed, a host moved): rows of older
    # inventories still carry them, and they identify the system as well as its url.
    former_urls: list[str] = json_list_field()


class Application(ItemColumns, ApplicationBase, Versioned, table=True):
    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_application_code"),
        Index("ix_application_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_application_name", "name"),
    )

    developer_unit_id: int | None = Field(
        default=None, foreign_key="organisation.id", description="Unit pengembang"
    )
    operator_unit_id: int | None = Field(
        default=None, foreign_key="organisation.id", description="Unit operasional"
    )
