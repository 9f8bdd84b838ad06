"""The analysis findings, as a list with filters, and what the pages share with it:
resolving a list's scope, a finding's address and API form, the state of the cache.

No request runs a national analysis: findings come from the cache
(:mod:`catalog.services.analysis`). A list scoped to one instansi whose cache is stale is
analysed again first (a city takes well under a second); a list across instansi shows what
is cached and says which instansi are outdated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from catalog.access import Principal
from catalog.analysis.engine import expand
from catalog.analysis.findings import SEVERITIES
from catalog.analysis.rules import FAMILIES
from catalog.errors import InvalidInput
from catalog.kinds import get_kind
from catalog.models import Instansi, Organisation
from catalog.queries.findings import (
    ALL,
    PENDING,
    STATES,
    CacheInfo,
    Counts,
    FindingFilter,
    FindingRow,
    cache_info,
    count_findings,
    instansi_codes,
    list_findings,
)
from catalog.queries.items import Page
from catalog.queries.scope import list_scope
from catalog.services.analysis import ensure_fresh
from schemas.findings import CacheOut, CountsOut, FindingApiOut, FindingsPage
from web.api.items import page_links
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()


@dataclass
class FindingsQuery:
    """What a findings list asks for, resolved: scope, rules, state."""

    instansi: Instansi | None
    unit: Organisation | None
    filter: FindingFilter
    cache: CacheInfo


def finding_scope(
    session: Session,
    principal: Principal,
    *,
    instansi: str | None,
    opd: str | None = None,
    rules: list[str] | None = None,
    severity: list[str] | None = None,
    state: str | None = None,
    item: tuple[str, int] | None = None,
) -> FindingsQuery:
    """Resolve a findings list's parameters; a stale single instansi is analysed again."""
    inst, org = list_scope(session, instansi, opd)
    wanted_rules = None
    if rules:
        try:
            wanted_rules = expand(rules)
        except KeyError as exc:
            unknown = str(exc).strip("'\"")
            raise InvalidInput(
                f"Aturan tidak dikenal: {unknown}. Pilihan: id aturan (GET /api/v1/rules) "
                f"atau keluarga: {', '.join(FAMILIES)}.",
                f"Unknown rule: {unknown}. Use a rule id (GET /api/v1/rules) or a family: "
                f"{', '.join(FAMILIES)}.",
                field="rule",
                value=unknown,
            ) from None
    bad = [s for s in severity or [] if s not in SEVERITIES]
    if bad:
        raise InvalidInput(
            f"Tingkat '{bad[0]}' tidak dikenal. Pilihan: {', '.join(SEVERITIES)}.",
            f"Unknown severity '{bad[0]}'. Choose one of: {', '.join(SEVERITIES)}.",
            field="severity",
            value=bad[0],
        )
    refreshed: list[int] = []
    ids = [inst.id] if inst is not None else None
    if inst is not None and ensure_fresh(session, inst.id):  # type: ignore[arg-type]
        refreshed.append(inst.id)  # type: ignore[arg-type]
    flt = FindingFilter(
        principal=principal,
        instansi_ids=ids,  # type: ignore[arg-type]
        owner_id=org.id if org is not None else None,
        rules=wanted_rules,
        severities=severity or None,
        state=state or PENDING,
        item=item,
    )
    if flt.state not in STATES:
        raise InvalidInput(
            f"Status '{flt.state}' tidak dikenal. Pilihan: {', '.join(STATES)}.",
            f"Unknown state '{flt.state}'. Choose one of: {', '.join(STATES)}.",
            field="state",
            value=flt.state,
        )
    return FindingsQuery(inst, org, flt, cache_info(session, ids, refreshed))


def finding_url(code: str, key_hash: str) -> str:
    return f"/temuan/{code}/{key_hash}"


def finding_out(row: FindingRow, codes: dict[int, str], principal: Principal) -> FindingApiOut:
    code = codes.get(row.instansi_id, str(row.instansi_id))
    data = row.to_dict(code, review_details=principal.can_read_instansi(row.instansi_id))
    data["links"] = {
        "html": finding_url(code, row.key_hash),
        "review": "/api/v1/findings/review",
    }
    return FindingApiOut.model_validate(data)


def cache_out(info: CacheInfo, codes: dict[int, str]) -> CacheOut:
    return CacheOut(
        instansi=len(info.instansi_ids),
        analysed=info.analysed,
        outdated=[codes.get(i, str(i)) for i in info.outdated[:200]],
        oldest=info.oldest,
        newest=info.newest,
        fingerprint=info.fingerprint,
        refreshed=[codes.get(i, str(i)) for i in info.refreshed],
    )


def counts_out(counts: Counts) -> CountsOut:
    return CountsOut(**counts.to_dict())


@router.get(
    "/findings",
    response_model=FindingsPage,
    summary="Temuan analisis / Analysis findings",
)
def findings(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    instansi: Annotated[
        str | None, Query(description="Kode instansi; 'semua' untuk semua instansi")
    ] = None,
    opd: Annotated[str | None, Query(description="Kode OPD: temuan tentang item unit ini")] = None,
    rule: Annotated[
        list[str] | None, Query(description="Id aturan atau keluarga; boleh diulang")
    ] = None,
    family: Annotated[list[str] | None, Query(description="Keluarga aturan")] = None,
    severity: Annotated[list[str] | None, Query(description="high, medium, low, info")] = None,
    state: Annotated[
        str,
        Query(
            description="pending (bawaan: open + reopened), open, reopened (bukti berubah), "
            "reviewed, all"
        ),
    ] = PENDING,
    kind: Annotated[
        str | None, Query(description="Jenis item (application, dataset, …); dengan `item`")
    ] = None,
    item: Annotated[int | None, Query(description="Id item: temuan yang menyebut item ini")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FindingsPage:
    """Temuan dari hasil analisis tersimpan, paling parah dahulu. Temuan yang sudah ditinjau
    disembunyikan kecuali `state=reviewed` atau `state=all`; temuan yang kembali karena
    buktinya berubah berstatus `reopened` dan membawa putusan lamanya. / Cached findings,
    most severe first; each with its review state."""
    query = finding_scope(
        session,
        principal,
        instansi=instansi,
        opd=opd,
        rules=[*(rule or []), *(family or [])] or None,
        severity=severity,
        state=state,
        item=_item_filter(kind, item),
    )
    result: Page = list_findings(session, query.filter, page=page, per_page=per_page)
    codes = instansi_codes(session)
    return FindingsPage(
        items=[finding_out(r, codes, principal) for r in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        links=page_links(request, result.page, result.pages, "/temuan"),
        counts=counts_out(count_findings(session, every_state(query.filter))),
        cache=cache_out(query.cache, codes),
    )


def _item_filter(kind: str | None, item: int | None) -> tuple[str, int] | None:
    if item is None and kind is None:
        return None
    if item is None or kind is None:
        missing = "item" if item is None else "kind"
        raise InvalidInput(
            "Saringan item memerlukan `kind` dan `item` bersama-sama.",
            "The item filter needs both `kind` and `item`.",
            field=missing,
        )
    return (get_kind(kind).key, item)


def every_state(flt: FindingFilter) -> FindingFilter:
    """The same list whatever the review state (for the counts per state)."""
    return replace(flt, state=ALL)


__all__ = [
    "FindingsQuery",
    "cache_out",
    "counts_out",
    "every_state",
    "finding_out",
    "finding_scope",
    "finding_url",
    "router",
]
