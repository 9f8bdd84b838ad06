"""The scorecard page of an instansi and its OPD."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.queries.scope import list_scope
from web.api.scorecards import scorecards_answer
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.i18n import request_language
from web.pages.analysis_common import instansi_choices, query_string, template_helpers
from web.pages.render import render

router = APIRouter()

# Metrics in the order a scorecard shows them; duplication is the one where lower is better.
SCORECARD_METRICS = (
    ("completeness", "Kelengkapan"),
    ("conformance", "Kesesuaian referensi"),
    ("duplication", "Duplikasi aplikasi"),
    ("spl_share", "Integrasi melalui SPL"),
    ("domains", "Domain arsitektur"),
)


@router.get("/skor", response_class=HTMLResponse, name="page_scorecards")
def scorecards_page(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    """The instansi's scorecard and its OPD's (one OPD with ``opd``); with ``semua``,
    every instansi as cached."""
    params = request.query_params
    answer = scorecards_answer(
        session, principal, params.get("instansi") or None, params.get("opd") or None
    )
    inst, org = list_scope(session, params.get("instansi") or None, params.get("opd") or None)
    qs = query_string(request)
    english = request_language(request) == "en"

    def domain_label(domain: str) -> str:
        from catalog.analysis.coverage import DOMAIN_LABELS

        pair = DOMAIN_LABELS.get(domain, (domain, domain))
        return pair[1] if english else pair[0]

    return render(
        request,
        "scorecard.html",
        {
            **template_helpers(request),
            "answer": answer,
            "card": answer.items[0] if inst is not None and answer.items else None,
            "instansi": inst,
            "unit": org,
            "metrics": SCORECARD_METRICS,
            "domain_label": domain_label,
            "choices": instansi_choices(session, principal),
        },
        json_url="/api/v1/scorecards" + (f"?{qs}" if qs else ""),
    )


__all__ = ["router"]
