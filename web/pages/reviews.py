"""Reviewing findings: the architects' queue, giving a verdict and withdrawing it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from catalog.access import Principal
from catalog.analysis.rules import FAMILIES
from catalog.errors import Conflict, Forbidden, InvalidInput
from catalog.models import Instansi
from catalog.queries.findings import count_findings, list_findings
from catalog.queries.scope import find_instansi
from catalog.services.reviews import decide, withdraw
from web.api.findings import every_state, finding_scope, finding_url
from web.auth import PrincipalDep, actor_for, check_csrf
from web.deps import SessionDep
from web.pages.account import local_path
from web.pages.analysis_common import instansi_choices, page_number, template_helpers, top_units
from web.pages.findings import finding_context
from web.pages.render import flash, render

router = APIRouter()
QUEUE_PER_PAGE = 20


def can_review_somewhere(principal: Principal | None) -> bool:
    return bool(
        principal is not None
        and (principal.is_admin or principal.writable_all or principal.reviewer_of)
    )


@router.post("/tinjauan/putusan", name="page_review_decide")
async def review_decide(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    key = str(form.get("key") or "")
    code = str(form.get("instansi") or "")
    key_hash = str(form.get("key_hash") or "")
    back = local_path(str(form.get("next") or ""), finding_url(code, key_hash))
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
        context = finding_context(request, session, principal, code, key_hash)
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
    back = local_path(str(form.get("next") or ""), finding_url(code, key_hash))
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
            session, query.filter, page=page_number(params.get("page"), 1), per_page=QUEUE_PER_PAGE
        )
        if query is not None
        else None
    )
    counts = count_findings(session, every_state(query.filter)) if query is not None else None
    mine = [i for i in instansi_choices(session, principal) if principal.can_review(i.id)]  # type: ignore[arg-type]
    return render(
        request,
        "review_queue.html",
        {
            **template_helpers(request),
            "page": page,
            "rows": page.items if page is not None else [],
            "counts": counts,
            "cache": query.cache if query is not None else None,
            "instansi": query.instansi if query is not None else None,
            "units": top_units(session, query.instansi if query is not None else None),
            "choices": mine[:600],
            "params": params,
            "families": list(FAMILIES.items()),
            "state": query.filter.state if query is not None else None,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


__all__ = ["can_review_somewhere", "router"]
