"""Instansi and OPD pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from catalog.enums import InstansiKind
from catalog.kinds import KINDS
from catalog.models import Application, Instansi, Organisation
from catalog.queries.items import ItemFilter, count_items_of_unit, list_items
from catalog.queries.scope import get_organisation, list_scope
from web.api.presenters import Presenter
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.pages.render import render

router = APIRouter()


@router.get("/instansi", response_class=HTMLResponse, name="instansi_list")
def instansi_page(request: Request, session: SessionDep, kind: str | None = None) -> HTMLResponse:
    apps = (
        select(Application.instansi_id, func.count().label("n"))
        .where(Application.retired_at.is_(None))
        .group_by(Application.instansi_id)
        .subquery()
    )
    stmt = (
        select(Instansi, apps.c.n)
        .outerjoin(apps, apps.c.instansi_id == Instansi.id)
        .order_by(Instansi.kind == InstansiKind.PUSAT, Instansi.code)
    )
    if kind:
        stmt = stmt.where(Instansi.kind == kind)
    rows = list(session.execute(stmt))
    return render(
        request,
        "instansi_list.html",
        {"rows": rows, "kind": kind},
        json_url="/api/v1/instansi" + (f"?kind={kind}" if kind else ""),
    )


@router.get("/instansi/{code}", response_class=HTMLResponse, name="instansi_detail")
def instansi_detail(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    from web.pages.home import home

    return home(request, session, instansi=code)


@router.get("/opd", response_class=HTMLResponse, name="opd_list")
def opd_list(request: Request, session: SessionDep, instansi: str | None = None) -> HTMLResponse:
    inst, _ = list_scope(session, instansi, None)
    if inst is None:
        return render(
            request,
            "opd_list.html",
            {"instansi": None, "units": [], "counts": {}},
            json_url="/api/v1/organisations?instansi=semua",
        )
    units = list(
        session.execute(
            select(Organisation)
            .where(Organisation.instansi_id == inst.id)
            .order_by(Organisation.path)
        ).scalars()
    )
    counts = dict(
        session.execute(
            select(Application.owner_id, func.count())
            .where(Application.instansi_id == inst.id, Application.retired_at.is_(None))
            .group_by(Application.owner_id)
        ).all()
    )
    return render(
        request,
        "opd_list.html",
        {"instansi": inst, "units": _tree_order(units), "counts": counts},
        json_url=f"/api/v1/organisations?instansi={inst.code}",
    )


def _tree_order(units: list[Organisation]) -> list[Organisation]:
    """Parents before children, siblings by code (paths hold ids, not codes)."""
    children: dict[int | None, list[Organisation]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    out: list[Organisation] = []

    def walk(parent: int | None) -> None:
        for u in sorted(children.get(parent, []), key=lambda o: o.code):
            out.append(u)
            walk(u.id)

    walk(None)
    return out


@router.get("/opd/{org_id}", response_class=HTMLResponse, name="opd_detail")
def opd_detail(
    request: Request, session: SessionDep, principal: PrincipalDep, org_id: int
) -> HTMLResponse:
    org = get_organisation(session, org_id)
    inst = session.get(Instansi, org.instansi_id)
    parent = session.get(Organisation, org.parent_id) if org.parent_id else None
    subunits = list(
        session.execute(
            select(Organisation).where(Organisation.parent_id == org.id).order_by(Organisation.code)
        ).scalars()
    )
    counts = count_items_of_unit(session, org, principal)
    sections = []
    for key, spec in KINDS.items():
        if not counts.get(key):
            continue
        page = list_items(
            session, key, ItemFilter(owner_id=org.id, principal=principal), per_page=25
        )
        sections.append((spec, Presenter(session, key).public(page.items), page.total))
    return render(
        request,
        "opd_detail.html",
        {
            "org": org,
            "instansi": inst,
            "parent": parent,
            "subunits": subunits,
            "counts": counts,
            "sections": sections,
        },
        json_url=f"/api/v1/organisations/{org.id}",
    )
