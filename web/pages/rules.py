"""The table of analysis rules, by family."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.analysis.engine import load_rules
from catalog.analysis.rules import FAMILIES, RULES
from web.pages.analysis_common import template_helpers
from web.pages.render import render

router = APIRouter()


@router.get("/aturan", response_class=HTMLResponse, name="page_rules")
def rules_page(request: Request) -> HTMLResponse:
    load_rules()
    families = [
        (
            family,
            titles,
            sorted((r for r in RULES.values() if r.family == family), key=lambda r: r.id),
        )
        for family, titles in FAMILIES.items()
    ]
    return render(
        request,
        "rules.html",
        {**template_helpers(request), "families": [f for f in families if f[2]]},
        json_url="/api/v1/rules",
    )


__all__ = ["router"]
