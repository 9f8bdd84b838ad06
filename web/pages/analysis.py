"""Analysis pages: findings with filters, one finding (a duplicate cluster side by side),
integration gaps, the architects' review queue, an item's impact and the rule table.

Every page reads the findings cache (:mod:`catalog.services.analysis`); only a page scoped
to one instansi whose cache is stale analyses it again, which takes well under a second.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal, can_see
from catalog.analysis.engine import load_rules
from catalog.analysis.findings import SEVERITIES
from catalog.analysis.rules import FAMILIES, RULES
from catalog.enums import FindingState, InstansiKind, ReviewVerdict, label
from catalog.errors import Conflict, Forbidden, InvalidInput, NotFound
from catalog.kinds import KINDS
from catalog.models import Instansi, Organisation, Relation
from catalog.queries.findings import (
    ALL,
    STATES,
    FindingFilter,
    FindingRow,
    count_findings,
    counts_by_unit,
    get_finding,
    instansi_codes,
    list_findings,
    related_reviews,
    review_history,
)
from catalog.queries.items import items_by_id, organisations_by_id
from catalog.queries.scope import find_instansi, list_scope
from catalog.services.analysis import ensure_fresh
from catalog.services.reviews import decide, verdicts_for, withdraw
from web.api.analysis import (
    finding_scope,
    finding_url,
    impact_answer,
    kind_of,
    scorecards_answer,
)
from web.auth import PrincipalDep, actor_for, check_csrf
from web.deps import SessionDep
from web.i18n import request_language, translator
from web.pages.items import display, lookup_labels
from web.pages.render import flash, render

router = APIRouter()

SEVERITY_LABELS = {"high": "Tinggi", "medium": "Sedang", "low": "Rendah", "info": "Info"}
# Edge types of an impact step, as a reader says them ("needs it because it …").
VIA_LABELS = {
    "supported_by": "didukung layanan",
    "delivered_by": "dijalankan aplikasi",
    "reads": "membaca data",
    "produces": "diproduksi aplikasi",
    "uses_data": "memakai data",
    "hosted_on": "berjalan di",
    "depends_on": "bergantung pada",
    "part_of": "bagian dari",
    "channel_of": "kanal dari",
    "from": "integrasi dari penyedia",
    "to": "menerima integrasi",
    "via": "integrasi melalui",
    "carries": "integrasi membawa data",
}
# Fields compared side by side on a cluster page, per kind of member.
COMPARE_FIELDS: dict[str, tuple[str, ...]] = {
    "application": (
        "acronym",
        "owner",
        "function",
        "description",
        "reference_code",
        "url",
        "platform",
        "data_sets",
        "services",
    ),
    "dataset": ("owner", "producer", "description", "reference_code", "classification"),
}
DEFAULT_COMPARE = ("owner", "description", "reference_code")
PER_PAGE = 50
QUEUE_PER_PAGE = 20


# -- helpers -----------------------------------------------------------------------------


def subject_url(subject: dict[str, Any]) -> str | None:
    kind = subject.get("kind")
    if kind in KINDS:
        return f"/{KINDS[kind].page_path}/{subject['id']}"
    if kind == "organisation":
        return f"/opd/{subject['id']}"
    return None


def can_review_somewhere(principal: Principal | None) -> bool:
    return bool(
        principal is not None
        and (principal.is_admin or principal.writable_all or principal.reviewer_of)
    )


def _helpers(request: Request) -> dict[str, Any]:
    """What the analysis templates share: labels in the page's language."""
    lang = request_language(request)
    gettext = translator(lang)
    load_rules()

    def rule_title(rule_id: str) -> str:
        rule = RULES.get(rule_id)
        if rule is None:
            return rule_id
        return rule.title_en if lang == "en" else rule.title

    def family_title(family: str) -> str:
        pair = FAMILIES.get(family)
        return (pair[1] if lang == "en" else pair[0]) if pair else family

    return {
        "rule_title": rule_title,
        "family_title": family_title,
        "severity_label": lambda s: gettext(SEVERITY_LABELS.get(s, s)),
        "state_label": lambda s: label(s, FindingState, lang),
        "verdict_label": lambda v: label(v, ReviewVerdict, lang),
        "via_label": lambda v: gettext(VIA_LABELS.get(v, v)),
        "subject_url": subject_url,
        "text_of": lambda f, name: f.body.get(f"{name}_en" if lang == "en" else name, ""),
        "verdicts_for": lambda family: [
            (v.value, label(v, ReviewVerdict, lang)) for v in verdicts_for(family)
        ],
        "finding_url": finding_url,
        "lang": lang,
    }


def _instansi_choices(session: Session, principal: Principal | None) -> list[Instansi]:
    stmt = select(Instansi).where(Instansi.kind != InstansiKind.PUSAT).order_by(Instansi.code)
    return list(session.execute(stmt.limit(600)).scalars())


def _units(session: Session, instansi: Instansi | None) -> list[Organisation]:
    if instansi is None:
        return []
    return list(
        session.execute(
            select(Organisation)
            .where(Organisation.instansi_id == instansi.id, Organisation.parent_id.is_(None))
            .order_by(Organisation.name)
        ).scalars()
    )


def _query_string(request: Request, *skip: str) -> str:
    return urlencode(
        [
            (k, v)
            for k, v in request.query_params.multi_items()
            if k not in ("lang", *skip) and v != ""
        ]
    )


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        return default


def _safe_next(target: str | None, fallback: str) -> str:
    """Only paths on this site (an open redirect would send people anywhere)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return fallback


# -- findings list -----------------------------------------------------------------------


@router.get("/temuan", response_class=HTMLResponse, name="page_findings")
def findings_page(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    params = request.query_params
    rules = [r for r in params.getlist("rule") if r] + [f for f in params.getlist("family") if f]
    severities = [s for s in params.getlist("severity") if s]
    query = finding_scope(
        session,
        principal,
        instansi=params.get("instansi") or None,
        opd=params.get("opd") or None,
        rules=rules or None,
        severity=severities or None,
        state=params.get("state") or None,
    )
    page = list_findings(session, query.filter, page=_int(params.get("page"), 1), per_page=PER_PAGE)
    counts = count_findings(session, _every_state(query.filter))
    codes = instansi_codes(session)
    qs = _query_string(request, "page")
    return render(
        request,
        "findings.html",
        {
            **_helpers(request),
            "page": page,
            "rows": page.items,
            "counts": counts,
            "cache": query.cache,
            "codes": codes,
            "instansi": query.instansi,
            "unit": query.unit,
            "units": _units(session, query.instansi),
            "choices": _instansi_choices(session, principal),
            "params": params,
            "states": STATES,
            "severities": SEVERITIES,
            "families": [(f, t) for f, t in FAMILIES.items()],
            "rules": sorted(RULES),
            "selected_rules": set(rules),
            "state": query.filter.state,
        },
        json_url="/api/v1/findings" + (f"?{qs}" if qs else ""),
    )


def _every_state(flt: FindingFilter) -> FindingFilter:
    return replace(flt, state=ALL)


# -- one finding -------------------------------------------------------------------------


def _members(
    session: Session, principal: Principal, row: FindingRow
) -> tuple[str | None, list[dict[str, Any]]]:
    """The subjects of a cluster-like finding, ready to compare side by side: several items
    of one kind (applications of a duplicate cluster, data sets produced twice…)."""
    kinds = [s["kind"] for s in row.subjects if s.get("kind") in KINDS]
    if len(kinds) < 2:
        return None, []
    kind = max(set(kinds), key=kinds.count)
    if kinds.count(kind) < 2:
        return None, []
    ids = [s["id"] for s in row.subjects if s.get("kind") == kind]
    objs = items_by_id(session, kind, ids)
    orgs = organisations_by_id(
        session,
        [getattr(o, f, None) for o in objs.values() for f in ("owner_id", "producer_id")],
    )
    data_sets, services = _links_of(session, kind, ids)
    evidence_by_code = {
        m.get("code"): m for m in row.evidence.get("members", []) if isinstance(m, dict)
    }
    members = []
    for subject in row.subjects:
        if subject.get("kind") != kind:
            continue
        obj = objs.get(subject["id"])
        if obj is None or not can_see(principal, kind, obj):
            continue
        members.append(
            {
                "subject": subject,
                "item": obj,
                "owner": orgs.get(obj.owner_id),
                "producer": orgs.get(getattr(obj, "producer_id", None)),
                "data_sets": data_sets.get(obj.id, []),
                "services": services.get(obj.id, []),
                "evidence": {
                    k: v for k, v in evidence_by_code.get(obj.code, {}).items() if k != "code"
                },
            }
        )
    return kind, members


def _links_of(
    session: Session, kind: str, ids: list[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """For applications: the data sets they read or produce and the services they run."""
    if kind != "application" or not ids:
        return {}, {}
    rows = list(
        session.execute(
            select(Relation).where(
                (
                    (Relation.source_kind == "application")
                    & Relation.source_id.in_(ids)
                    & Relation.type.in_(("reads", "produces", "uses_data"))
                )
                | (
                    (Relation.target_kind == "application")
                    & Relation.target_id.in_(ids)
                    & (Relation.type == "delivered_by")
                )
            )
        ).scalars()
    )
    data = items_by_id(session, "dataset", [r.target_id for r in rows if r.type != "delivered_by"])
    services = items_by_id(
        session, "service", [r.source_id for r in rows if r.type == "delivered_by"]
    )
    data_sets: dict[int, list[Any]] = {}
    runs: dict[int, list[Any]] = {}
    for r in rows:
        if r.type == "delivered_by" and r.source_id in services:
            runs.setdefault(r.target_id, []).append(services[r.source_id])
        elif r.type != "delivered_by" and r.target_id in data:
            data_sets.setdefault(r.source_id, []).append((r.type, data[r.target_id]))  # type: ignore[arg-type]
    return data_sets, runs


def _finding_context(
    request: Request, session: Session, principal: Principal, code: str, key_hash: str
) -> dict[str, Any]:
    inst = find_instansi(session, code)
    refreshed = ensure_fresh(session, inst.id)  # type: ignore[arg-type]
    row = get_finding(session, inst.id, key_hash, principal)  # type: ignore[arg-type]
    if row is None:
        raise NotFound(
            "Temuan ini tidak ada dalam hasil analisis terakhir: mungkin sudah selesai karena "
            "katalognya diperbaiki, atau menyebut item yang tidak boleh Anda lihat.",
            "This finding is not in the latest analysis: it may have been cleared by a change "
            "to the catalogue, or it names items you may not see.",
            field="key",
            value=key_hash,
        )
    readable = principal.can_read_instansi(inst.id)
    kind, members = _members(session, principal, row)
    fields = COMPARE_FIELDS.get(kind or "", DEFAULT_COMPARE)
    if kind is not None:
        show = display(KINDS[kind], lookup_labels(session), request_language(request))
        for m in members:
            m["values"] = {f: show(f, getattr(m["item"], f, None)) for f in fields}
    rule = RULES.get(row.rule)
    return {
        **_helpers(request),
        "instansi": inst,
        "row": row,
        "rule": rule,
        "refreshed": refreshed,
        "compare_kind": kind,
        "members": members,
        "compare_fields": fields,
        "history": review_history(session, inst.id, key_hash) if readable else [],  # type: ignore[arg-type]
        "related": related_reviews(session, row),
        "show_review_details": readable,
        "can_review": principal.can_review(inst.id),  # type: ignore[arg-type]
        "problems": [],
        "typed": {},
        "conflict": None,
    }


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
    qs = _query_string(request)
    return render(
        request,
        "integration_gaps.html",
        {
            **_helpers(request),
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
            "units": _units(session, query.instansi),
            "choices": _instansi_choices(session, principal),
            "params": params,
            "list_query": qs,
        },
        json_url="/api/v1/findings?family=integration" + (f"&{qs}" if qs else ""),
    )


@router.get("/temuan/{code}/{key_hash}", response_class=HTMLResponse, name="page_finding")
def finding_page(
    request: Request, session: SessionDep, principal: PrincipalDep, code: str, key_hash: str
) -> HTMLResponse:
    context = _finding_context(request, session, principal, code, key_hash)
    row = context["row"]
    return render(
        request,
        "finding.html",
        context,
        json_url=f"/api/v1/findings?instansi={code}&state=all&rule={row.rule}",
    )


# -- reviewing ---------------------------------------------------------------------------


@router.post("/tinjauan/putusan", name="page_review_decide")
async def review_decide(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    key = str(form.get("key") or "")
    code = str(form.get("instansi") or "")
    key_hash = str(form.get("key_hash") or "")
    back = _safe_next(str(form.get("next") or ""), finding_url(code, key_hash))
    actor = actor_for(request, principal, "web")
    try:
        decide(
            session,
            actor,
            key=key,
            verdict=str(form.get("verdict") or ""),
            reason=str(form.get("reason") or "").replace("\r\n", "\n"),
            evidence_hash=str(form.get("evidence_hash") or "") or None,
        )
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        # The finding again, with what went wrong next to the form and what was typed.
        context = _finding_context(request, session, principal, code, key_hash)
        context["typed"] = {"verdict": form.get("verdict"), "reason": form.get("reason")}
        if isinstance(exc, Conflict):
            context["conflict"] = exc
        else:
            context["problems"] = exc.problems
        return render(request, "finding.html", context, status_code=exc.status)
    flash(request, "Putusan disimpan. Temuan ini tidak akan muncul lagi kecuali buktinya berubah.")
    return RedirectResponse(back, status_code=303)


@router.post("/tinjauan/cabut", name="page_review_withdraw")
async def review_withdraw(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    code = str(form.get("instansi") or "")
    key_hash = str(form.get("key_hash") or "")
    withdraw(
        session,
        actor_for(request, principal, "web"),
        key=str(form.get("key") or ""),
        note=str(form.get("note") or "") or None,
    )
    flash(request, "Putusan dicabut; temuan ini terbuka kembali.")
    back = _safe_next(str(form.get("next") or ""), finding_url(code, key_hash))
    return RedirectResponse(back, status_code=303)


@router.get("/tinjauan", response_class=HTMLResponse, name="page_review_queue")
def review_queue(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    if not principal.is_authenticated:
        return RedirectResponse("/masuk?next=/tinjauan", status_code=303)
    if not can_review_somewhere(principal):
        raise Forbidden(
            "Antrean tinjauan untuk arsitek instansi (Tim Koordinasi SPBE) dan administrator. "
            "Anda dapat melihat temuan di halaman Temuan.",
            "The review queue is for the instansi's architects (Tim Koordinasi SPBE) and "
            "administrators. You can see the findings on the Findings page.",
            field="permission",
            value="review",
        )
    params = request.query_params
    wanted = params.get("instansi") or None
    reviewable = sorted(principal.reviewer_of)
    if wanted is None and len(reviewable) == 1:
        inst = session.get(Instansi, reviewable[0])
        wanted = inst.code if inst is not None else None
    query = None
    if wanted is not None:
        inst = find_instansi(session, wanted)
        if not principal.can_review(inst.id):  # type: ignore[arg-type]
            raise Forbidden(
                f"Anda bukan arsitek {inst.name}: temuannya tidak dapat Anda tinjau.",
                f"You are not an architect of {inst.name}: you cannot review its findings.",
                field="instansi",
                value=wanted,
            )
        family = params.get("family") or None
        query = finding_scope(
            session,
            principal,
            instansi=inst.code,
            opd=params.get("opd") or None,
            rules=[family] if family else None,
            state=params.get("state") or None,
        )
    page = (
        list_findings(
            session, query.filter, page=_int(params.get("page"), 1), per_page=QUEUE_PER_PAGE
        )
        if query is not None
        else None
    )
    counts = count_findings(session, _every_state(query.filter)) if query is not None else None
    mine = [i for i in _instansi_choices(session, principal) if principal.can_review(i.id)]  # type: ignore[arg-type]
    return render(
        request,
        "review_queue.html",
        {
            **_helpers(request),
            "page": page,
            "rows": page.items if page is not None else [],
            "counts": counts,
            "cache": query.cache if query is not None else None,
            "instansi": query.instansi if query is not None else None,
            "units": _units(session, query.instansi if query is not None else None),
            "choices": mine[:600],
            "params": params,
            "families": list(FAMILIES.items()),
            "state": query.filter.state if query is not None else None,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


# -- impact ------------------------------------------------------------------------------


def _impact_page(kind: str) -> Any:
    def impact_page(
        request: Request, session: SessionDep, principal: PrincipalDep, item_id: int
    ) -> HTMLResponse:
        spec = kind_of(kind)
        answer = impact_answer(session, principal, spec.key, item_id, limit=1000)
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
                **_helpers(request),
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
        _impact_page(_spec.key),
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"page_{_spec.key}_impact",
    )


# -- rules and scorecards ----------------------------------------------------------------


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
        {**_helpers(request), "families": [f for f in families if f[2]]},
        json_url="/api/v1/rules",
    )


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
    qs = _query_string(request)
    english = request_language(request) == "en"

    def domain_label(domain: str) -> str:
        from catalog.analysis.conformance import DOMAIN_LABELS

        pair = DOMAIN_LABELS.get(domain, (domain, domain))
        return pair[1] if english else pair[0]

    return render(
        request,
        "scorecard.html",
        {
            **_helpers(request),
            "answer": answer,
            "card": answer.items[0] if inst is not None and answer.items else None,
            "instansi": inst,
            "unit": org,
            "metrics": SCORECARD_METRICS,
            "domain_label": domain_label,
            "choices": _instansi_choices(session, principal),
        },
        json_url="/api/v1/scorecards" + (f"?{qs}" if qs else ""),
    )


__all__ = ["router", "subject_url"]
