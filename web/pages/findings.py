"""The findings pages: the list with its filters, and one finding (the members of a
duplicate cluster side by side, the review form and history)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal, can_see
from catalog.analysis.findings import SEVERITIES
from catalog.analysis.rules import FAMILIES, RULES
from catalog.errors import NotFound
from catalog.kinds import KINDS
from catalog.models import Relation
from catalog.queries.findings import (
    STATES,
    FindingRow,
    count_findings,
    get_finding,
    instansi_codes,
    list_findings,
    related_reviews,
    review_history,
)
from catalog.queries.items import items_by_id, organisations_by_id
from catalog.queries.scope import find_instansi
from catalog.services.analysis import ensure_fresh
from web.api.findings import every_state, finding_scope
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.i18n import request_language
from web.pages.analysis_common import (
    instansi_choices,
    page_number,
    query_string,
    template_helpers,
    top_units,
)
from web.pages.items import display, lookup_labels
from web.pages.render import render

router = APIRouter()

# Fields compared side by side on a cluster page, per kind of member.
COMPARE_FIELDS: dict[str, tuple[str, ...]] = {
    "application": (
        "acronym",
        "owner",
        "function",
        "description",
        "reference_code",
        "url",
        "platform",
        "data_sets",
        "services",
    ),
    "dataset": ("owner", "producer", "description", "reference_code", "classification"),
}
DEFAULT_COMPARE = ("owner", "description", "reference_code")
PER_PAGE = 50


# -- findings list -----------------------------------------------------------------------


@router.get("/temuan", response_class=HTMLResponse, name="page_findings")
def findings_page(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    params = request.query_params
    rules = [r for r in params.getlist("rule") if r] + [f for f in params.getlist("family") if f]
    severities = [s for s in params.getlist("severity") if s]
    query = finding_scope(
        session,
        principal,
        instansi=params.get("instansi") or None,
        opd=params.get("opd") or None,
        rules=rules or None,
        severity=severities or None,
        state=params.get("state") or None,
    )
    page = list_findings(
        session, query.filter, page=page_number(params.get("page"), 1), per_page=PER_PAGE
    )
    counts = count_findings(session, every_state(query.filter))
    codes = instansi_codes(session)
    qs = query_string(request, "page")
    return render(
        request,
        "findings.html",
        {
            **template_helpers(request),
            "page": page,
            "rows": page.items,
            "counts": counts,
            "cache": query.cache,
            "codes": codes,
            "instansi": query.instansi,
            "unit": query.unit,
            "units": top_units(session, query.instansi),
            "choices": instansi_choices(session, principal),
            "params": params,
            "states": STATES,
            "severities": SEVERITIES,
            "families": [(f, t) for f, t in FAMILIES.items()],
            "rules": sorted(RULES),
            "selected_rules": set(rules),
            "state": query.filter.state,
        },
        json_url="/api/v1/findings" + (f"?{qs}" if qs else ""),
    )


# -- one finding -------------------------------------------------------------------------


def _members(
    session: Session, principal: Principal, row: FindingRow
) -> tuple[str | None, list[dict[str, Any]]]:
    """The subjects of a cluster-like finding, ready to compare side by side: several items
    of one kind (applications of a duplicate cluster, data sets produced twice…)."""
    kinds = [s["kind"] for s in row.subjects if s.get("kind") in KINDS]
    if len(kinds) < 2:
        return None, []
    kind = max(set(kinds), key=kinds.count)
    if kinds.count(kind) < 2:
        return None, []
    ids = [s["id"] for s in row.subjects if s.get("kind") == kind]
    objs = items_by_id(session, kind, ids)
    orgs = organisations_by_id(
        session,
        [getattr(o, f, None) for o in objs.values() for f in ("owner_id", "producer_id")],
    )
    data_sets, services = _links_of(session, kind, ids)
    evidence_by_code = {
        m.get("code"): m for m in row.evidence.get("members", []) if isinstance(m, dict)
    }
    members = []
    for subject in row.subjects:
        if subject.get("kind") != kind:
            continue
        obj = objs.get(subject["id"])
        if obj is None or not can_see(principal, kind, obj):
            continue
        members.append(
            {
                "subject": subject,
                "item": obj,
                "owner": orgs.get(obj.owner_id),
                "producer": orgs.get(getattr(obj, "producer_id", None)),
                "data_sets": data_sets.get(obj.id, []),
                "services": services.get(obj.id, []),
                "evidence": {
                    k: v for k, v in evidence_by_code.get(obj.code, {}).items() if k != "code"
                },
            }
        )
    return kind, members


def _links_of(
    session: Session, kind: str, ids: list[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """For applications: the data sets they read or produce and the services they run."""
    if kind != "application" or not ids:
        return {}, {}
    rows = list(
        session.execute(
            select(Relation).where(
                (
                    (Relation.source_kind == "application")
                    & Relation.source_id.in_(ids)
                    & Relation.type.in_(("reads", "produces", "uses_data"))
                )
                | (
                    (Relation.target_kind == "application")
                    & Relation.target_id.in_(ids)
                    & (Relation.type == "delivered_by")
                )
            )
        ).scalars()
    )
    data = items_by_id(session, "dataset", [r.target_id for r in rows if r.type != "delivered_by"])
    services = items_by_id(
        session, "service", [r.source_id for r in rows if r.type == "delivered_by"]
    )
    data_sets: dict[int, list[Any]] = {}
    runs: dict[int, list[Any]] = {}
    for r in rows:
        if r.type == "delivered_by" and r.source_id in services:
            runs.setdefault(r.target_id, []).append(services[r.source_id])
        elif r.type != "delivered_by" and r.target_id in data:
            data_sets.setdefault(r.source_id, []).append((r.type, data[r.target_id]))  # type: ignore[arg-type]
    return data_sets, runs


def finding_context(
    request: Request, session: Session, principal: Principal, code: str, key_hash: str
) -> dict[str, Any]:
    inst = find_instansi(session, code)
    refreshed = ensure_fresh(session, inst.id)  # type: ignore[arg-type]
    row = get_finding(session, inst.id, key_hash, principal)  # type: ignore[arg-type]
    if row is None:
        raise NotFound(
            "Temuan ini tidak ada dalam hasil analisis terakhir: mungkin sudah selesai karena "
            "katalognya diperbaiki, atau menyebut item yang tidak boleh Anda lihat.",
            "This finding is not in the latest analysis: it may have been cleared by a change "
            "to the catalogue, or it names items you may not see.",
            field="key",
            value=key_hash,
        )
    readable = principal.can_read_instansi(inst.id)
    kind, members = _members(session, principal, row)
    fields = COMPARE_FIELDS.get(kind or "", DEFAULT_COMPARE)
    if kind is not None:
        show = display(KINDS[kind], lookup_labels(session), request_language(request))
        for m in members:
            m["values"] = {f: show(f, getattr(m["item"], f, None)) for f in fields}
    rule = RULES.get(row.rule)
    return {
        **template_helpers(request),
        "instansi": inst,
        "row": row,
        "rule": rule,
        "refreshed": refreshed,
        "compare_kind": kind,
        "members": members,
        "compare_fields": fields,
        "history": review_history(session, inst.id, key_hash) if readable else [],  # type: ignore[arg-type]
        "related": related_reviews(session, row),
        "show_review_details": readable,
        "can_review": principal.can_review(inst.id),  # type: ignore[arg-type]
        "problems": [],
        "typed": {},
        "conflict": None,
    }


@router.get("/temuan/{code}/{key_hash}", response_class=HTMLResponse, name="page_finding")
def finding_page(
    request: Request, session: SessionDep, principal: PrincipalDep, code: str, key_hash: str
) -> HTMLResponse:
    context = finding_context(request, session, principal, code, key_hash)
    row = context["row"]
    return render(
        request,
        "finding.html",
        context,
        json_url=f"/api/v1/findings?instansi={code}&state=all&rule={row.rule}",
    )


__all__ = ["finding_context", "router"]
