"""Response shapes of catalogue items, one family per kind (``XPublic``, ``XDetail``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import SQLModel

from catalog.models import (
    ApplicationBase,
    BusinessProcessBase,
    DataSetBase,
    InfrastructureItemBase,
    IntegrationBase,
    SecurityControlBase,
    ServiceBase,
)
from schemas.common import InstansiRef, Links, OrganisationRef, ReferenceRef


class ItemOut(SQLModel):
    """What every item answer carries besides its kind's own fields."""

    id: int
    kind: str
    version: int
    created_at: datetime
    updated_at: datetime
    retired_at: datetime | None = None
    instansi: InstansiRef
    owner: OrganisationRef | None = None
    links: Links


class ItemRef(BaseModel):
    kind: str
    id: int
    code: str
    name: str
    status: str | None = None
    owner: OrganisationRef | None = None
    links: Links


class RelationOut(BaseModel):
    relation_id: int
    type: str
    label: str
    label_en: str
    direction: str
    item: ItemRef


class IntegrationBrief(BaseModel):
    id: int
    code: str
    name: str
    status: str
    mechanism: str
    via_spl: bool
    provider: ItemRef | None = None
    consumer: ItemRef | None = None
    consumer_external: str | None = None
    confirmed_by_provider: bool
    confirmed_by_consumer: bool
    links: Links


class DetailOut(SQLModel):
    classification: list[ReferenceRef] = []
    relations: list[RelationOut] = []
    integrations: list[IntegrationBrief] = []
    integration_total: int = 0


class ProcessPublic(BusinessProcessBase, ItemOut):
    pass


class ServicePublic(ServiceBase, ItemOut):
    executing_unit: OrganisationRef | None = None


class DataSetPublic(DataSetBase, ItemOut):
    producer: OrganisationRef | None = None
    steward: OrganisationRef | None = None
    authoritative_application: ItemRef | None = None


class ApplicationPublic(ApplicationBase, ItemOut):
    developer_unit: OrganisationRef | None = None
    operator_unit: OrganisationRef | None = None


class InfrastructurePublic(InfrastructureItemBase, ItemOut):
    pass


class SecurityControlPublic(SecurityControlBase, ItemOut):
    pass


class IntegrationPublic(IntegrationBase, ItemOut):
    provider: ItemRef | None = None
    consumer: ItemRef | None = None
    intermediary: ItemRef | None = None
    provider_confirmed_at: datetime | None = None
    consumer_confirmed_at: datetime | None = None


class ProcessDetail(DetailOut, ProcessPublic):
    pass


class ServiceDetail(DetailOut, ServicePublic):
    pass


class DataSetDetail(DetailOut, DataSetPublic):
    pass


class ApplicationDetail(DetailOut, ApplicationPublic):
    pass


class InfrastructureDetail(DetailOut, InfrastructurePublic):
    pass


class SecurityControlDetail(DetailOut, SecurityControlPublic):
    pass


class IntegrationDetail(DetailOut, IntegrationPublic):
    data_sets: list[ItemRef] = []


PUBLIC: dict[str, type[ItemOut]] = {
    "process": ProcessPublic,
    "service": ServicePublic,
    "dataset": DataSetPublic,
    "application": ApplicationPublic,
    "infrastructure": InfrastructurePublic,
    "security": SecurityControlPublic,
    "integration": IntegrationPublic,
}
DETAIL: dict[str, type[ItemOut]] = {
    "process": ProcessDetail,
    "service": ServiceDetail,
    "dataset": DataSetDetail,
    "application": ApplicationDetail,
    "infrastructure": InfrastructureDetail,
    "security": SecurityControlDetail,
    "integration": IntegrationDetail,
}
# Names of the unit references each kind shows, keyed by the id column they come from.
UNIT_REFS: dict[str, dict[str, str]] = {
    "service": {"executing_unit_id": "executing_unit"},
    "dataset": {"producer_id": "producer", "steward_id": "steward"},
    "application": {"developer_unit_id": "developer_unit", "operator_unit_id": "operator_unit"},
}
