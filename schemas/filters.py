"""Query parameters of the list endpoints, one model per kind (common ones first)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog.enums import (
    AppType,
    DataClassification,
    InfraType,
    IntegrationMechanism,
    IntegrationStatus,
    LifecycleStatus,
    NationalRole,
    ProcessState,
    SecurityControlType,
    ServiceMethod,
)

ALL_INSTANSI = ("semua", "all", "*")


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instansi: str | None = Field(
        default=None,
        description="Kode instansi. Kosong: instansi lokal satu-satunya bila hanya ada satu, "
        "selain itu semua; 'semua' untuk semua instansi termasuk instansi pusat.",
    )
    opd: str | None = Field(default=None, description="Kode atau id OPD (termasuk sub-unitnya)")
    reference: str | None = Field(
        default=None, description="Kode referensi; termasuk kode di bawahnya (mis. RAB.04)"
    )
    status: LifecycleStatus | None = Field(default=None, description="Status siklus hidup")
    q: str | None = Field(
        default=None, max_length=200, description="Cari teks pada nama, singkatan, uraian"
    )
    include_retired: bool = Field(default=False, description="Sertakan item yang dihentikan")
    page: int = Field(default=1, ge=1, description="Halaman, mulai 1")
    per_page: int = Field(default=50, ge=1, le=200, description="Baris per halaman (maks. 200)")
    sort: Literal["name", "-name", "code", "-code", "updated_at", "-updated_at"] = "name"


class ProcessListParams(ListParams):
    state: ProcessState | None = None


class ServiceListParams(ListParams):
    method: ServiceMethod | None = None
    target: str | None = None


class DataSetListParams(ListParams):
    classification: DataClassification | None = None
    is_master: bool | None = None


class ApplicationListParams(ListParams):
    app_type: AppType | None = None
    national_role: NationalRole | None = None
    platform: str | None = None


class InfrastructureListParams(ListParams):
    infra_type: InfraType | None = None


class SecurityListParams(ListParams):
    control_type: SecurityControlType | None = None


class IntegrationListParams(ListParams):
    status: IntegrationStatus | None = Field(default=None, description="Status integrasi")  # type: ignore[assignment]
    mechanism: IntegrationMechanism | None = None
    provider_id: int | None = None
    consumer_id: int | None = None
    intermediary_id: int | None = None


LIST_PARAMS: dict[str, type[ListParams]] = {
    "process": ProcessListParams,
    "service": ServiceListParams,
    "dataset": DataSetListParams,
    "application": ApplicationListParams,
    "infrastructure": InfrastructureListParams,
    "security": SecurityListParams,
    "integration": IntegrationListParams,
}


def kind_filters(kind: str, params: ListParams) -> dict[str, object]:
    """The kind-specific equality filters that were given."""
    own = set(type(params).model_fields) - set(ListParams.model_fields)
    return {name: getattr(params, name) for name in own if getattr(params, name) is not None}
