"""List and detail pages for every kind, registered from the kind table."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from catalog.enums import (
    AppType,
    DataClassification,
    InfraType,
    IntegrationDirection,
    IntegrationMechanism,
    IntegrationStatus,
    LifecycleStatus,
    NationalRole,
    ProcessState,
    SecurityControlType,
    ServiceMethod,
    choices,
)
from catalog.kinds import KINDS, KindSpec
from catalog.models import LookupValue, Organisation
from catalog.queries.items import get_detail, instansi_by_id, list_items
from schemas.filters import LIST_PARAMS
from web.api.items import item_filter, list_params
from web.api.presenters import Presenter
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.i18n import request_language
from web.labels import HEADER_FIELDS
from web.pages.edit import detail_actions
from web.pages.render import render

router = APIRouter()

ENUMS: dict[str, Any] = {
    "status": LifecycleStatus,
    "state": ProcessState,
    "method": ServiceMethod,
    "classification": DataClassification,
    "app_type": AppType,
    "national_role": NationalRole,
    "infra_type": InfraType,
    "control_type": SecurityControlType,
    "mechanism": IntegrationMechanism,
    "direction": IntegrationDirection,
}
# Extra columns of the list table per kind (code, name, owner and status always show).
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "process": ("reference_code", "state"),
    "service": ("reference_code", "method", "target"),
    "dataset": ("reference_code", "classification", "update_schedule"),
    "application": ("reference_code", "platform", "app_type"),
    "infrastructure": ("infra_type", "location"),
    "security": ("control_type", "performed_on"),
    "integration": ("provider", "consumer", "intermediary", "mechanism"),
}


def lookup_labels(session: Any) -> dict[tuple[str, str], tuple[str, str]]:
    rows = session.execute(
        select(LookupValue.category, LookupValue.value, LookupValue.label, LookupValue.label_en)
    )
    return {(c, v): (lid, len_) for c, v, lid, len_ in rows}


def display(spec: KindSpec, lookups: dict[tuple[str, str], tuple[str, str]], lang: str):  # type: ignore[no-untyped-def]
    """A function that turns one field value into text for the page."""
    from catalog.enums import label

    def show(field: str, value: Any) -> Any:
        if value is None or value == "" or value == []:
            return ""
        if field == "status" and spec.key == "integration":
            return label(value, IntegrationStatus, lang)
        if field in ENUMS:
            return label(value, ENUMS[field], lang)
        category = spec.lookup_fields.get(field)
        if category:
            pair = lookups.get((category, str(value)))
            return (pair[1] if lang == "en" else pair[0]) if pair else value
        if isinstance(value, bool):
            return ("Yes" if value else "No") if lang == "en" else ("Ya" if value else "Tidak")
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if field == "contract_value" and isinstance(value, int):
            return "Rp " + f"{value:,}".replace(",", ".")
        return value

    return show


def _register(spec: KindSpec) -> None:
    params_model = LIST_PARAMS[spec.key]

    def list_page(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
        params, raw = list_params(request, params_model)
        flt = item_filter(session, spec, params, principal)
        page = list_items(
            session, spec.key, flt, page=params.page, per_page=params.per_page, sort=params.sort
        )
        rows = Presenter(session, spec.key).public(page.items)
        units = []
        if flt.instansi_id is not None:
            units = list(
                session.execute(
                    select(Organisation)
                    .where(
                        Organisation.instansi_id == flt.instansi_id,
                        Organisation.parent_id.is_(None),
                    )
                    .order_by(Organisation.name)
                ).scalars()
            )
        lang = request_language(request)
        filters = {
            name: choices(ENUMS[name], lang)
            for name in params_model.model_fields
            if name in ENUMS and name != "status"
        }
        statuses = choices(
            IntegrationStatus if spec.key == "integration" else LifecycleStatus, lang
        )
        return render(
            request,
            "item_list.html",
            {
                "spec": spec,
                "rows": rows,
                "page": page,
                "params": params,
                "columns": LIST_COLUMNS[spec.key],
                "units": units,
                "filters": filters,
                "statuses": statuses,
                "show": display(spec, lookup_labels(session), lang),
                "instansi_id": flt.instansi_id,
                "places": instansi_by_id(session, {r.instansi.id for r in rows}),
                # The same filters, every page, as a file (page and sort do not matter).
                "export_query": urlencode(
                    {k: v for k, v in raw.items() if k not in ("page", "per_page", "sort")}
                ),
            },
            json_url=f"/api/v1/{spec.api_path}" + (f"?{urlencode(raw)}" if raw else ""),
        )

    def detail_page(
        request: Request, session: SessionDep, principal: PrincipalDep, item_id: int
    ) -> HTMLResponse:
        detail = get_detail(session, spec.key, item_id, principal=principal)
        item = Presenter(session, spec.key).detail(detail)
        lang = request_language(request)
        fields = [
            f
            for f in type(item).model_fields
            if f in spec.base.model_fields and f not in HEADER_FIELDS
        ]
        fields += [
            f
            for f in (
                "executing_unit",
                "producer",
                "steward",
                "authoritative_application",
                "developer_unit",
                "operator_unit",
            )
            if f in type(item).model_fields
        ]
        return render(
            request,
            "item_detail.html",
            {
                "spec": spec,
                "item": item,
                "fields": fields,
                "show": display(spec, lookup_labels(session), lang),
                "actions": detail_actions(session, principal, spec, detail),
            },
            json_url=f"/api/v1/{spec.api_path}/{item_id}",
        )

    router.add_api_route(
        f"/{spec.page_path}",
        list_page,
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"page_{spec.key}_list",
    )
    router.add_api_route(
        f"/{spec.page_path}/{{item_id}}",
        detail_page,
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"page_{spec.key}_detail",
    )


for _spec in KINDS.values():
    _register(_spec)
