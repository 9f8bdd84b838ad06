"""The catalogue's item kinds, described once.

Every room of the project (services, API routes, pages, templates, diagram styles)
looks a kind up here instead of repeating its name, table, reference scheme or labels.
Adding a kind starts with an entry here (see CONTRIBUTING.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import SQLModel

from catalog.models import (
    Application,
    ApplicationBase,
    BusinessProcess,
    BusinessProcessBase,
    DataSet,
    DataSetBase,
    InfrastructureItem,
    InfrastructureItemBase,
    Integration,
    IntegrationBase,
    SecurityControl,
    SecurityControlBase,
    Service,
    ServiceBase,
)


@dataclass(frozen=True)
class KindSpec:
    key: str
    model: type[SQLModel]
    base: type[SQLModel]
    scheme: str | None
    label: str
    label_en: str
    label_en_plural: str
    api_path: str
    page_path: str
    code_prefix: str
    # Fields whose text feeds full-text search, in order of weight.
    search_fields: tuple[str, ...]
    # Fields holding a value of an editable lookup category.
    lookup_fields: dict[str, str] = field(default_factory=dict)
    # Extra foreign keys to organisation units besides the owner.
    unit_fields: tuple[str, ...] = ()
    # Whether items have a lifecycle status and reference code (the six domains do).
    is_domain: bool = True


KINDS: dict[str, KindSpec] = {
    spec.key: spec
    for spec in (
        KindSpec(
            key="process",
            model=BusinessProcess,
            base=BusinessProcessBase,
            scheme="RAB",
            label="Proses Bisnis",
            label_en="Business process",
            label_en_plural="Business processes",
            api_path="processes",
            page_path="proses-bisnis",
            code_prefix="PB",
            search_fields=("name", "code", "description", "goal"),
        ),
        KindSpec(
            key="service",
            model=Service,
            base=ServiceBase,
            scheme="RAL",
            label="Layanan",
            label_en="Service",
            label_en_plural="Services",
            api_path="services",
            page_path="layanan",
            code_prefix="LY",
            search_fields=("name", "code", "description", "purpose", "function"),
            lookup_fields={"target": "service_target"},
            unit_fields=("executing_unit_id",),
        ),
        KindSpec(
            key="dataset",
            model=DataSet,
            base=DataSetBase,
            scheme="RAD",
            label="Data dan Informasi",
            label_en="Data set",
            label_en_plural="Data sets",
            api_path="datasets",
            page_path="data",
            code_prefix="DS",
            search_fields=("name", "code", "description", "purpose"),
            lookup_fields={
                "data_type": "data_type",
                "update_schedule": "update_schedule",
                "format": "data_format",
            },
            unit_fields=("producer_id", "steward_id"),
        ),
        KindSpec(
            key="application",
            model=Application,
            base=ApplicationBase,
            scheme="RAA",
            label="Aplikasi",
            label_en="Application",
            label_en_plural="Applications",
            api_path="applications",
            page_path="aplikasi",
            code_prefix="APL",
            search_fields=("name", "acronym", "code", "description", "function", "url"),
            lookup_fields={
                "platform": "app_platform",
                "licence_type": "licence_type",
                "funding_source": "funding_source",
            },
            unit_fields=("developer_unit_id", "operator_unit_id"),
        ),
        KindSpec(
            key="infrastructure",
            model=InfrastructureItem,
            base=InfrastructureItemBase,
            scheme="RAI",
            label="Infrastruktur",
            label_en="Infrastructure item",
            label_en_plural="Infrastructure",
            api_path="infrastructure",
            page_path="infrastruktur",
            code_prefix="INF",
            search_fields=("name", "code", "description", "location", "provider"),
            lookup_fields={"deployment": "deployment", "licence_type": "licence_type"},
        ),
        KindSpec(
            key="security",
            model=SecurityControl,
            base=SecurityControlBase,
            scheme="RAK",
            label="Keamanan",
            label_en="Security control",
            label_en_plural="Security controls",
            api_path="security-controls",
            page_path="keamanan",
            code_prefix="KAM",
            search_fields=("name", "code", "description", "standard"),
        ),
        KindSpec(
            key="integration",
            model=Integration,
            base=IntegrationBase,
            scheme=None,
            label="Integrasi",
            label_en="Integration",
            label_en_plural="Integrations",
            api_path="integrations",
            page_path="integrasi",
            code_prefix="INT",
            search_fields=("name", "code", "description", "endpoint", "consumer_external"),
            is_domain=False,
        ),
    )
}

DOMAIN_KINDS: tuple[str, ...] = tuple(k for k, s in KINDS.items() if s.is_domain)
SCHEME_OF_KIND: dict[str, str] = {k: s.scheme for k, s in KINDS.items() if s.scheme}
KIND_OF_SCHEME: dict[str, str] = {v: k for k, v in SCHEME_OF_KIND.items()}


def get_kind(key: str) -> KindSpec:
    """Look a kind up by key, API path or page path.

    >>> get_kind("aplikasi").key
    'application'
    """
    from catalog.errors import NotFound

    spec = KINDS.get(key)
    if spec is not None:
        return spec
    for spec in KINDS.values():
        if key in (spec.api_path, spec.page_path):
            return spec
    raise NotFound(
        f"Jenis item '{key}' tidak dikenal. Pilihan: {', '.join(KINDS)}.",
        f"Unknown item kind '{key}'. Choose one of: {', '.join(KINDS)}.",
        field="kind",
        value=key,
    )
