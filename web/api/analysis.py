"""Findings, reviews, rules, impact (and scorecards, when the analysis provides them).

No request runs a national analysis: findings come from the cache
(:mod:`catalog.services.analysis`). A list scoped to one instansi whose cache is stale is
analysed again first (a city takes well under a second); a list across instansi shows what
is cached and says which instansi are outdated.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal
from catalog.analysis.engine import expand, load_rules
from catalog.analysis.findings import SEVERITIES
from catalog.analysis.rules import FAMILIES, RULES
from catalog.errors import InvalidInput, NotFound
from catalog.kinds import KINDS, KindSpec
from catalog.models import Instansi, Organisation, ReviewDecision
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
    find_by_key,
    instansi_codes,
    key_digest,
    list_findings,
    review_history,
    stored_scorecards,
)
from catalog.queries.impact import impact_of_visible
from catalog.queries.items import Page
from catalog.queries.scope import list_scope
from catalog.services.analysis import ensure_fresh
from catalog.services.reviews import decide, withdraw
from schemas.findings import (
    CacheOut,
    CountsOut,
    FindingApiOut,
    FindingsPage,
    ImpactItemOut,
    ImpactLevelOut,
    ImpactOut,
    ReviewDecisionOut,
    ReviewIn,
    RuleOut,
    ScorecardOut,
    ScorecardsOut,
)
from web.api.items import page_links
from web.api.presenters import page_url
from web.auth import ApiWriterDep, PrincipalDep
from web.deps import SessionDep

router = APIRouter()
TAGS: list[Any] = ["Analisis / Analysis"]


# -- shared with the pages ---------------------------------------------------------------


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


def decision_out(decision: ReviewDecision, code: str) -> ReviewDecisionOut:
    return ReviewDecisionOut(
        id=decision.id,  # type: ignore[arg-type]
        key=decision.finding_key,
        instansi=code,
        rule=decision.rule,
        verdict=decision.verdict,
        reason=decision.reason,
        evidence_hash=decision.evidence_hash,
        revision=decision.revision,
        is_current=decision.is_current,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by_name,
        ended_at=decision.ended_at,
        end_reason=decision.end_reason,
    )


def kind_of(name: str) -> KindSpec:
    """A kind by its key (application), API path (applications) or page path (aplikasi)."""
    for spec in KINDS.values():
        if name in (spec.key, spec.api_path, spec.page_path):
            return spec
    raise NotFound(
        f"Jenis item '{name}' tidak dikenal. Pilihan: {', '.join(KINDS)}.",
        f"Unknown item kind '{name}'. Choose one of: {', '.join(KINDS)}.",
        field="kind",
        value=name,
    )


def scorecards_available() -> bool:
    return importlib.util.find_spec("catalog.analysis.scorecards") is not None


# -- routes ------------------------------------------------------------------------------


@router.get(
    "/findings",
    response_model=FindingsPage,
    tags=TAGS,
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
        counts=counts_out(count_findings(session, _all_states(query.filter))),
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
    return (kind_of(kind).key, item)


def _all_states(flt: FindingFilter) -> FindingFilter:
    return replace(flt, state=ALL)


@router.post(
    "/findings/review",
    response_model=ReviewDecisionOut,
    status_code=201,
    tags=TAGS,
    summary="Beri putusan atas temuan / Review a finding",
    responses={409: {"description": "Bukti temuan berubah sejak dilihat / evidence changed"}},
)
def review(session: SessionDep, actor: ApiWriterDep, body: ReviewIn) -> ReviewDecisionOut:
    """Arsitek instansi (atau administrator) memberi putusan: consolidate,
    shared_application, not_duplicate, accepted_risk, dengan alasan. Sertakan
    `evidence_hash` yang Anda lihat: bila bukti sudah berubah, jawabannya 409. / Architects
    review a finding; a changed evidence answers 409."""
    decision = decide(
        session,
        actor,
        key=body.key,
        verdict=body.verdict,
        reason=body.reason,
        evidence_hash=body.evidence_hash,
    )
    code = instansi_codes(session, [decision.instansi_id]).get(decision.instansi_id, "")
    return decision_out(decision, code)


@router.delete(
    "/findings/review",
    response_model=ReviewDecisionOut,
    tags=TAGS,
    summary="Cabut putusan / Withdraw a verdict",
)
def withdraw_review(
    session: SessionDep,
    actor: ApiWriterDep,
    key: Annotated[str, Query(min_length=1, description="Kunci temuan")],
    note: Annotated[str | None, Query(description="Catatan pencabutan")] = None,
) -> ReviewDecisionOut:
    """Temuan kembali terbuka; putusannya tetap tercatat di riwayat. / The finding is open
    again; the verdict stays in its history."""
    decision = withdraw(session, actor, key=key, note=note)
    code = instansi_codes(session, [decision.instansi_id]).get(decision.instansi_id, "")
    return decision_out(decision, code)


@router.get(
    "/findings/review",
    response_model=list[ReviewDecisionOut],
    tags=TAGS,
    summary="Riwayat putusan sebuah temuan / A finding's verdicts",
)
def review_log(
    session: SessionDep,
    principal: PrincipalDep,
    key: Annotated[str, Query(min_length=1, description="Kunci temuan")],
) -> list[ReviewDecisionOut]:
    """Semua putusan atas temuan ini, terbaru dahulu (untuk yang berhak membaca instansinya).
    / Every verdict on the finding, newest first."""
    cached = find_by_key(session, key)
    digest = key_digest(key)
    instansi_id = (
        cached.instansi_id
        if cached is not None
        else session.execute(
            select(ReviewDecision.instansi_id).where(ReviewDecision.key_hash == digest)
        ).scalar()
    )
    if instansi_id is None or not principal.can_read_instansi(instansi_id):
        raise NotFound(
            "Tidak ada putusan yang dapat Anda lihat untuk temuan ini.",
            "There is no verdict on this finding that you may see.",
            field="key",
            value=key,
        )
    code = instansi_codes(session, [instansi_id]).get(instansi_id, "")
    return [decision_out(d, code) for d in review_history(session, instansi_id, digest)]


@router.get("/rules", response_model=list[RuleOut], tags=TAGS, summary="Tabel aturan / Rules")
def rules() -> list[RuleOut]:
    """Setiap aturan analisis: id, tingkat, apa yang diperiksa, mengapa penting menurut SPBE,
    dan cara menyelesaikannya. / Every analysis rule."""
    load_rules()
    order = list(FAMILIES)
    return [
        RuleOut(
            id=r.id,
            family=r.family,
            severity=r.severity,  # type: ignore[arg-type]
            title=r.title,
            title_en=r.title_en,
            why=r.why,
            why_en=r.why_en,
            clear=r.clear,
            clear_en=r.clear_en,
        )
        for r in sorted(RULES.values(), key=lambda r: (order.index(r.family), r.id))
    ]


def scorecards_answer(
    session: Session, principal: Principal, instansi: str | None, opd: str | None
) -> ScorecardsOut:
    """Scorecards of one instansi (analysed again first when stale; its OPD, or one) or,
    with ``semua``, of every instansi as cached (nothing is analysed)."""
    if not scorecards_available():
        raise NotFound(
            "Kartu skor belum tersedia di pemasangan ini (modul analisis kartu skor tidak ada).",
            "Scorecards are not available in this installation (no scorecard analysis).",
            field="scorecards",
        )
    inst, org = list_scope(session, instansi, opd)
    ids = [inst.id] if inst is not None else None
    refreshed: list[int] = []
    if inst is not None and ensure_fresh(session, inst.id):  # type: ignore[arg-type]
        refreshed.append(inst.id)  # type: ignore[arg-type]
    codes = instansi_codes(session)
    items = []
    for stored in stored_scorecards(session, ids):  # type: ignore[arg-type]
        if inst is None:
            units: list[dict[str, Any]] = []
        elif org is not None:
            unit = stored.unit(org)
            if unit is None:
                raise NotFound(
                    f"OPD {org.code} belum punya kartu skor (unit tanpa OPD induk?).",
                    f"Unit {org.code} has no scorecard (a unit without a parent OPD?).",
                    field="opd",
                    value=org.code,
                )
            units = [unit]
        else:
            units = list(stored.card.get("units", []))
        items.append(
            ScorecardOut(
                instansi=codes.get(stored.instansi_id, str(stored.instansi_id)),
                computed_at=stored.computed_at,
                scorecard=stored.card.get("instansi", {}),
                units=units,
            )
        )
    info = cache_info(session, ids, refreshed)
    return ScorecardsOut(items=items, cache=cache_out(info, codes))


@router.get(
    "/scorecards",
    response_model=ScorecardsOut,
    tags=TAGS,
    summary="Kartu skor instansi dan OPD / Scorecards (indikator 11 dan 18: perkiraan)",
)
def scorecards(
    session: SessionDep,
    principal: PrincipalDep,
    instansi: Annotated[
        str | None, Query(description="Kode instansi; 'semua' untuk semua instansi")
    ] = None,
    opd: Annotated[str | None, Query(description="Kode OPD: hanya kartu OPD ini")] = None,
) -> ScorecardsOut:
    """Kelengkapan, kesesuaian referensi, duplikasi, porsi integrasi melalui SPL dan domain
    yang tercakup, per instansi dan per OPD, dihitung bersama temuan analisis; tingkat
    indikator SPBE 11 dan 18 adalah **perkiraan** dari isi katalog. / Completeness,
    conformance, duplication, SPL share and domains per instansi and OPD; the levels of
    SPBE indicators 11 and 18 are estimates."""
    return scorecards_answer(session, principal, instansi, opd)


def impact_answer(
    session: Session, principal: Principal, kind: str, item_id: int, limit: int = 2000
) -> ImpactOut:
    """The impact of an item, as the API and the impact page show it."""
    spec = kind_of(kind)
    me, result, found, hidden = impact_of_visible(session, spec.key, item_id, principal)
    by_kind: dict[str, int] = {}
    levels: dict[int, list[ImpactItemOut]] = {}
    shown = 0
    for r in result.reached:
        summary = found.get((r.kind, r.id))
        if summary is None:
            continue
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
        if shown < limit:
            levels.setdefault(r.distance, []).append(
                ImpactItemOut(
                    **summary.__dict__,
                    distance=r.distance,
                    via=r.via,
                    html=page_url(r.kind, r.id),
                )
            )
            shown += 1
    return ImpactOut(
        item=ImpactItemOut(**me.__dict__, distance=0, html=page_url(spec.key, item_id)),
        total=sum(by_kind.values()),
        by_kind=by_kind,
        levels=[ImpactLevelOut(distance=d, items=items) for d, items in sorted(levels.items())],
        hidden=hidden,
        truncated=result.truncated or shown < sum(by_kind.values()),
        milliseconds=round(result.seconds * 1000, 2),
    )


@router.get(
    "/graph/impact/{kind}/{item_id}",
    response_model=ImpactOut,
    tags=TAGS,
    summary="Dampak sebuah item / Impact of an item",
)
def graph_impact(
    session: SessionDep,
    principal: PrincipalDep,
    kind: Annotated[str, Path(description="application, dataset, service, … (atau jalur API)")],
    item_id: Annotated[int, Path(description="Id item")],
    limit: Annotated[int, Query(ge=1, le=20000, description="Item yang dicantumkan")] = 2000,
) -> ImpactOut:
    """Semua yang berhenti bekerja, langsung atau tidak, bila item ini berhenti: per jarak
    dan jenis, dihitung dari relasi dan integrasi di basis data. / Everything that stops
    working, directly or not, when the item does; by distance and kind."""
    return impact_answer(session, principal, kind, item_id, limit)


__all__ = [
    "FindingsQuery",
    "cache_out",
    "counts_out",
    "decision_out",
    "finding_out",
    "finding_scope",
    "finding_url",
    "impact_answer",
    "kind_of",
    "router",
    "scorecards_answer",
    "scorecards_available",
]
