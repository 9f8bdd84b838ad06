"""Home page: counts per domain for the instansi in view."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.queries.items import count_items
from catalog.queries.scope import list_scope, local_instansi
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.pages.render import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def home(
    request: Request, session: SessionDep, principal: PrincipalDep, instansi: str | None = None
) -> HTMLResponse:
    inst, _ = list_scope(session, instansi, None)
    counts = count_items(session, inst.id if inst else None, principal)
    local = local_instansi(session)
    query = f"?instansi={inst.code}" if inst else "?instansi=semua"
    return render(
        request,
        "home.html",
        {"instansi": inst, "counts": counts, "local_instansi": local, "scope_query": query},
        json_url=f"/api/v1/stats{query}",
    )
