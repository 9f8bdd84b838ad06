"""Search page across every kind."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from catalog.queries.items import instansi_by_id, search_all
from catalog.queries.scope import find_instansi
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.pages.render import render

router = APIRouter()


@router.get("/cari", response_class=HTMLResponse, name="search")
def search_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    q: str = "",
    instansi: str | None = None,
    page: int = 1,
) -> HTMLResponse:
    inst = find_instansi(session, instansi) if instansi else None
    q = q.strip()[:200]
    result = search_all(
        session, q, instansi_id=inst.id if inst else None, page=max(1, page), principal=principal
    )
    places = instansi_by_id(session, {h.item.instansi_id for h in result.items})
    params = {"q": q, **({"instansi": inst.code} if inst else {})}
    json_url = f"/api/v1/search?{urlencode(params)}" if q else None
    return render(
        request,
        "search.html",
        {"q": q, "result": result, "instansi": inst, "places": places},
        json_url=json_url,
    )
