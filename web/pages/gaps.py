"""Integration gaps: the integration rules' findings side by side, and per OPD."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.analysis.rules import RULES
from catalog.queries.findings import (
    FindingRow,
    count_findings,
    counts_by_unit,
    instansi_codes,
    list_findings,
)
from catalog.queries.items import organisations_by_id
from web.api.findings import finding_scope
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.pages.analysis_common import instansi_choices, query_string, template_helpers, top_units
from web.pages.render import render

router = APIRouter()


@router.get("/temuan/integrasi", response_class=HTMLResponse, name="page_integration_gaps")
def integration_gaps(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    params = request.query_params
    query = finding_scope(
        session,
        principal,
        instansi=params.get("instansi") or None,
        opd=params.get("opd") or None,
        rules=["integration"],
        state=params.get("state") or None,
    )
    counts = count_findings(session, query.filter)
    per_rule: dict[str, list[FindingRow]] = {}
    for rule_id in sorted(r for r in RULES if r.startswith("integration.")):
        flt = replace(query.filter, rules={rule_id})
        per_rule[rule_id] = list(list_findings(session, flt, per_page=20).items)
    by_unit = counts_by_unit(session, query.filter) if query.instansi is not None else {}
    units = organisations_by_id(session, by_unit)
    qs = query_string(request)
    return render(
        request,
        "integration_gaps.html",
        {
            **template_helpers(request),
            "counts": counts,
            "per_rule": per_rule,
            "by_unit": sorted(
                ((units[u], c) for u, c in by_unit.items() if u in units),
                key=lambda pair: (-sum(pair[1].values()), pair[0].name),
            ),
            "unit_rules": sorted({r for c in by_unit.values() for r in c}),
            "cache": query.cache,
            "codes": instansi_codes(session),
            "instansi": query.instansi,
            "unit": query.unit,
            "units": top_units(session, query.instansi),
            "choices": instansi_choices(session, principal),
            "params": params,
            "list_query": qs,
        },
        json_url="/api/v1/findings?family=integration" + (f"&{qs}" if qs else ""),
    )


__all__ = ["router"]
