"""Instansi, units, cross-kind search, counts and lookups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import func, select

from catalog.enums import label
from catalog.kinds import KINDS
from catalog.models import Instansi, LookupValue, Organisation
from catalog.queries.items import count_items, count_items_of_unit, paginate, search_all
from catalog.queries.scope import find_instansi, get_organisation, list_scope
from schemas.common import Links
from schemas.organisations import InstansiOut, OrganisationOut, SearchHitOut, StatsOut
from schemas.pages import PageOut
from web.api.items import page_links
from web.api.presenters import api_url, page_url
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()


@router.get("/", summary="Daftar titik akhir / Index", tags=["Katalog"])
def index() -> dict[str, Any]:
    return {
        "name": "Katalog SPBE API",
        "kinds": {
            k: {"label": s.label, "label_en": s.label_en_plural, "list": f"/api/v1/{s.api_path}"}
            for k, s in KINDS.items()
        },
        "instansi": "/api/v1/instansi",
        "organisations": "/api/v1/organisations",
        "references": "/api/v1/references",
        "reference_sets": "/api/v1/reference-sets",
        "search": "/api/v1/search?q=",
        "stats": "/api/v1/stats",
        "lookups": "/api/v1/lookups",
        "docs": "/docs",
        "openapi": "/openapi.json",
    }


def instansi_out(inst: Instansi, counts: dict[str, int] | None = None) -> InstansiOut:
    return InstansiOut(
        id=inst.id,  # type: ignore[arg-type]
        code=inst.code,
        name=inst.name,
        short_name=inst.short_name,
        kind=str(inst.kind),
        kind_label=label(inst.kind),
        parent_code=inst.parent_code,
        is_national=inst.is_national,
        counts=counts,
        links=Links(self=f"/api/v1/instansi/{inst.code}", html=f"/instansi/{inst.code}"),
    )


@router.get(
    "/instansi",
    response_model=PageOut[InstansiOut],
    tags=["Katalog"],
    summary="Daftar instansi / Government bodies",
)
def list_instansi(
    request: Request,
    session: SessionDep,
    kind: Annotated[str | None, Query(description="provinsi, kabupaten, kota, pusat")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Bagian nama atau kode")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PageOut[InstansiOut]:
    stmt = select(Instansi)
    if kind:
        stmt = stmt.where(Instansi.kind == kind)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            func.lower(Instansi.name).like(like) | func.lower(Instansi.code).like(like)
        )
    result = paginate(session, stmt, [Instansi.kind == "pusat", Instansi.code], page, per_page)
    return PageOut[InstansiOut](
        items=[instansi_out(i) for i in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        links=page_links(request, result.page, result.pages, "/instansi"),
    )


@router.get(
    "/instansi/{code}",
    response_model=InstansiOut,
    tags=["Katalog"],
    summary="Rincian instansi dengan jumlah item / Government body with item counts",
)
def instansi_detail(
    session: SessionDep, principal: PrincipalDep, code: Annotated[str, Path()]
) -> InstansiOut:
    inst = find_instansi(session, code)
    return instansi_out(inst, count_items(session, inst.id, principal))


def organisation_out(org: Organisation, counts: dict[str, int] | None = None) -> OrganisationOut:
    return OrganisationOut(
        id=org.id,  # type: ignore[arg-type]
        instansi_id=org.instansi_id,
        code=org.code,
        name=org.name,
        short_name=org.short_name,
        kind=org.kind,
        parent_id=org.parent_id,
        depth=org.path.count("/") - 2,
        retired=org.retired_at is not None,
        version=org.version,
        counts=counts,
        links=Links(self=f"/api/v1/organisations/{org.id}", html=f"/opd/{org.id}"),
    )


@router.get(
    "/organisations",
    response_model=PageOut[OrganisationOut],
    tags=["Katalog"],
    summary="Daftar OPD dan sub-unit / Units",
)
def list_organisations(
    request: Request,
    session: SessionDep,
    instansi: Annotated[str | None, Query(description="Kode instansi")] = None,
    top_level: Annotated[bool, Query(description="Hanya OPD (tanpa sub-unit)")] = False,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 200,
) -> PageOut[OrganisationOut]:
    inst, _ = list_scope(session, instansi, None)
    stmt = select(Organisation)
    if inst is not None:
        stmt = stmt.where(Organisation.instansi_id == inst.id)
    if top_level:
        stmt = stmt.where(Organisation.parent_id.is_(None))
    result = paginate(session, stmt, [Organisation.instansi_id, Organisation.path], page, per_page)
    return PageOut[OrganisationOut](
        items=[organisation_out(o) for o in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        links=page_links(request, result.page, result.pages, "/opd"),
    )


@router.get(
    "/organisations/{org_id}",
    response_model=OrganisationOut,
    tags=["Katalog"],
    summary="Rincian unit dengan jumlah item / Unit with item counts",
)
def organisation_detail(
    session: SessionDep, principal: PrincipalDep, org_id: Annotated[int, Path()]
) -> OrganisationOut:
    org = get_organisation(session, org_id)
    return organisation_out(org, count_items_of_unit(session, org, principal))


@router.get(
    "/search",
    response_model=PageOut[SearchHitOut],
    tags=["Katalog"],
    summary="Cari di semua jenis item / Search every kind",
)
def search(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Kata yang dicari")],
    instansi: Annotated[str | None, Query(description="Kode instansi; kosong = semua")] = None,
    kind: Annotated[str | None, Query(description="Hanya jenis ini")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> PageOut[SearchHitOut]:
    inst = find_instansi(session, instansi) if instansi else None
    if kind is not None and kind not in KINDS:
        from catalog.kinds import get_kind

        kind = get_kind(kind).key
    result = search_all(
        session,
        q,
        instansi_id=inst.id if inst else None,
        kind=kind,
        page=page,
        per_page=per_page,
        principal=principal,
    )
    hits = [
        SearchHitOut(
            kind=h.kind,
            kind_label=KINDS[h.kind].label,
            id=h.item.id,
            code=h.item.code,
            name=h.item.name,
            description=h.item.description,
            instansi_id=h.item.instansi_id,
            retired=h.item.retired_at is not None,
            links=Links(self=api_url(h.kind, h.item.id), html=page_url(h.kind, h.item.id)),
        )
        for h in result.items
    ]
    return PageOut[SearchHitOut](
        items=hits,
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        links=page_links(request, result.page, result.pages, "/cari"),
    )


@router.get(
    "/stats",
    response_model=StatsOut,
    tags=["Katalog"],
    summary="Jumlah item per jenis / Item counts per kind",
)
def stats(
    session: SessionDep,
    principal: PrincipalDep,
    instansi: Annotated[str | None, Query(description="Kode instansi; 'semua' untuk semua")] = None,
) -> StatsOut:
    inst, _ = list_scope(session, instansi, None)
    return StatsOut(
        instansi=inst.code if inst else None,
        counts=count_items(session, inst.id if inst else None, principal),
        labels={k: s.label for k, s in KINDS.items()},
    )


@router.get("/lookups", tags=["Katalog"], summary="Nilai pilihan yang dapat diubah / Lookups")
def lookups(
    session: SessionDep,
    category: Annotated[str | None, Query(description="Kategori, mis. app_platform")] = None,
) -> dict[str, list[dict[str, Any]]]:
    stmt = select(LookupValue).where(LookupValue.is_active.is_(True))
    if category:
        stmt = stmt.where(LookupValue.category == category)
    out: dict[str, list[dict[str, Any]]] = {}
    for v in session.execute(stmt.order_by(LookupValue.category, LookupValue.sort_order)).scalars():
        out.setdefault(v.category, []).append(
            {"value": v.value, "label": v.label, "label_en": v.label_en}
        )
    return out
