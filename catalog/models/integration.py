"""Integrations between applications: a first-class object, because the SPL rule
(exchange through the integration bus, not point to point) is judged on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import IntegrationDirection, IntegrationMechanism, IntegrationStatus
from catalog.models.base import EnvelopeBase, ItemColumns, Model, UTCDateTime, Versioned, enum_field


class IntegrationBase(EnvelopeBase):
    consumer_external: str | None = Field(
        default=None,
        max_length=300,
        description="Sistem eksternal penerima bila tidak ada di katalog",
    )
    mechanism: IntegrationMechanism = enum_field(IntegrationMechanism.REST_API)
    direction: IntegrationDirection = enum_field(IntegrationDirection.ONE_WAY)
    status: IntegrationStatus = enum_field(IntegrationStatus.PROPOSED, index=True)
    endpoint: str | None = Field(default=None, max_length=500, description="Alamat API / layanan")
    started_on: date | None = Field(default=None, description="Mulai berlaku")
    ended_on: date | None = Field(default=None, description="Berakhir")
    confirmed_by_provider: bool = Field(default=False)
    confirmed_by_consumer: bool = Field(default=False)


class Integration(ItemColumns, IntegrationBase, Versioned, table=True):
    __tablename__ = "integration"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="uq_integration_code"),
        Index("ix_integration_instansi_name", "instansi_id", "name"),
        # Lists across every instansi are ordered by name: walk this index, do not sort.
        Index("ix_integration_name", "name"),
    )

    provider_id: int = Field(foreign_key="application.id", index=True)
    consumer_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    intermediary_id: int | None = Field(
        default=None, foreign_key="infrastructure_item.id", index=True
    )
    provider_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consumer_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IntegrationDataSet(Model, table=True):
    """The data sets an integration carries."""

    __tablename__ = "integration_data_set"
    __table_args__ = (
        # The integrations carrying a data set without reading the table (the impact walk).
        Index("ix_integration_data_set_data_set_id", "data_set_id", "integration_id"),
    )

    integration_id: int = Field(foreign_key="integration.id", primary_key=True)
    data_set_id: int = Field(foreign_key="data_set.id", primary_key=True)
