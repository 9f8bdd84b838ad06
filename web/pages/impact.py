"""An item's impact page: what stops working, directly or not, when it does, and the
findings about it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.kinds import KINDS, KindSpec
from catalog.queries.findings import ALL, FindingFilter, instansi_codes, list_findings
from catalog.services.analysis import ensure_fresh
from web.api.impact import impact_answer
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.pages.analysis_common import template_helpers
from web.pages.render import render

router = APIRouter()


def _impact_page(spec: KindSpec) -> Any:
    def impact_page(
        request: Request, session: SessionDep, principal: PrincipalDep, item_id: int
    ) -> HTMLResponse:
        answer = impact_answer(session, principal, spec.key, item_id)
        obj = session.get(spec.model, item_id)
        refreshed = ensure_fresh(session, obj.instansi_id) if obj is not None else False
        about = list_findings(
            session,
            FindingFilter(
                principal=principal,
                instansi_ids=[obj.instansi_id] if obj is not None else None,
                item=(spec.key, item_id),
                state=ALL,
            ),
            per_page=50,
        )
        return render(
            request,
            "impact.html",
            {
                **template_helpers(request),
                "spec": spec,
                "answer": answer,
                "findings": about.items,
                "findings_total": about.total,
                "refreshed": refreshed,
                "codes": instansi_codes(session, [obj.instansi_id] if obj is not None else []),
            },
            json_url=f"/api/v1/graph/impact/{spec.key}/{item_id}",
        )

    return impact_page


for _spec in KINDS.values():
    router.add_api_route(
        f"/{_spec.page_path}/{{item_id}}/dampak",
        _impact_page(_spec),
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"page_{_spec.key}_impact",
    )


__all__ = ["router"]
