"""Who owns things: government bodies (instansi) and their units (OPD and sub-units)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import InstansiKind
from catalog.models.base import Model, SystemColumns, UTCDateTime, Versioned, enum_field


class InstansiBase(Model):
    code: str = Field(
        max_length=32, description="Kode instansi (kode wilayah Kemendagri atau singkatan)"
    )
    name: str = Field(max_length=300, description="Nama instansi")
    short_name: str | None = Field(default=None, max_length=100, description="Nama singkat")
    kind: InstansiKind = enum_field(InstansiKind.KOTA)
    parent_code: str | None = Field(
        default=None, max_length=32, description="Kode provinsi induk (untuk kabupaten/kota)"
    )
    website: str | None = Field(default=None, max_length=300)


class Instansi(SystemColumns, InstansiBase, Versioned, table=True):
    __tablename__ = "instansi"
    __table_args__ = (UniqueConstraint("code", name="uq_instansi_code"),)

    @property
    def is_national(self) -> bool:
        return self.kind == InstansiKind.PUSAT


class OrganisationBase(Model):
    code: str = Field(max_length=32, description="Kode unit (mis. 6 digit)")
    name: str = Field(max_length=300, description="Nama unit")
    short_name: str | None = Field(default=None, max_length=100, description="Nama singkat")
    kind: str | None = Field(default=None, max_length=32, description="Jenis unit (data lookup)")


class Organisation(SystemColumns, OrganisationBase, Versioned, table=True):
    """An OPD or one of its sub-units; the tree is kept as a materialised path so that
    "this OPD and everything below it" is one indexed prefix query."""

    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_organisation_code"),
        Index("ix_organisation_path", "path"),
    )

    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    path: str = Field(default="/", max_length=512)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
