"""Registering and changing items through forms, for every kind: new, edit, retire,
restore. Each POST checks the CSRF token, calls one service, and answers with a redirect
to the item (303) or with the form again, showing every problem next to its input and
keeping what the person typed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal
from catalog.enums import InstansiKind, NationalRole, label
from catalog.errors import InvalidInput, Problem, StaleVersion
from catalog.kinds import KINDS, KindSpec
from catalog.models import Instansi
from catalog.queries.items import ItemDetail, instansi_by_id, organisations_by_id
from catalog.queries.scope import default_instansi, find_instansi
from catalog.queries.similar import DRAFT_FIELDS, similar_applications
from catalog.services import create_item, restore_item, retire_item, update_item
from catalog.services.items import full_snapshot
from web.auth import CSRF_FIELD, PrincipalDep, actor_for, check_csrf
from web.deps import SessionDep
from web.i18n import request_language
from web.pages.forms import (
    FormDep,
    ItemForm,
    may_write,
    no_write_right,
    require_writer,
    visible_item,
    writable_sides,
)
from web.pages.pickers import build_form
from web.pages.relations import relation_context
from web.pages.render import flash, render

router = APIRouter()


def writable_instansi(session: Session, principal: Principal) -> list[Instansi]:
    stmt = select(Instansi).order_by(Instansi.kind == InstansiKind.PUSAT, Instansi.name)
    if not (principal.is_admin or principal.writable_all):
        ids = set(principal.writable) | {inst for inst, _ in principal.units}
        stmt = stmt.where(Instansi.id.in_(ids))
    return list(session.execute(stmt).scalars())


def target_instansi(
    session: Session, principal: Principal, ref: str | None
) -> tuple[Instansi | None, list[Instansi]]:
    """The instansi a new item is registered in: the one asked for, the only one the
    person writes, or (for administrators) the only local one. None means: ask."""
    allowed = writable_instansi(session, principal)
    if ref:
        inst = find_instansi(session, ref)
        if inst not in allowed:
            raise no_write_right(
                f"mengisi katalog {inst.name}", f"add to the catalogue of {inst.name}"
            )
        return inst, allowed
    if len(allowed) == 1:
        return allowed[0], allowed
    found = default_instansi(session)
    return (found if found in allowed else None), allowed


def form_page(
    request: Request,
    form: ItemForm,
    *,
    item: Any = None,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    spec = form.spec
    action = f"/{spec.page_path}/{item.id}/ubah" if item is not None else f"/{spec.page_path}/baru"
    # The JSON twin of a form is what it writes to: the item, or the kind's collection.
    twin = f"/api/v1/{spec.api_path}" + (f"/{item.id}" if item is not None else "")
    return render(
        request,
        "item_form.html",
        {"spec": spec, "form": form, "item": item, "action": action, **extra},
        status_code=status_code,
        json_url=twin,
    )


def to_detail(request: Request, spec: KindSpec, item_id: int, message: str) -> Response:
    flash(request, message)
    return RedirectResponse(f"/{spec.page_path}/{item_id}", status_code=303)


# Draft fields similar_applications takes by name; the others go to the matcher as they are.
SIMILAR_ARGS = ("name", "acronym", "reference_code", "owner_id")


def similar_box(
    session: Session, principal: Principal, data: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """Look-alikes of a new application, ready to show ("sudah ada aplikasi serupa")."""
    found = similar_applications(
        session,
        name=data.get("name") or "",
        acronym=data.get("acronym"),
        reference_code=data.get("reference_code"),
        instansi_id=data.get("instansi_id"),
        owner_id=data.get("owner_id"),
        principal=principal,
        **{k: data.get(k) for k in DRAFT_FIELDS if k not in SIMILAR_ARGS and data.get(k)},
    )
    apps = [c.application for c in found]
    orgs = organisations_by_id(session, [a.owner_id for a in apps])
    places = instansi_by_id(session, [a.instansi_id for a in apps])
    return [
        {
            "app": c.application,
            "owner": orgs.get(c.application.owner_id),
            "instansi": places.get(c.application.instansi_id),
            "score": c.score,
            "reasons": [en if lang == "en" else ind for ind, en in c.reasons],
            "national": c.national,
            "role": label(c.application.national_role, NationalRole, lang),
        }
        for c in found
    ]


def _register(spec: KindSpec) -> None:
    base = f"/{spec.page_path}"

    def new_form(
        request: Request, session: SessionDep, principal: PrincipalDep, instansi: str | None = None
    ) -> HTMLResponse:
        require_writer(principal)
        inst, allowed = target_instansi(session, principal, instansi)
        if inst is None:
            return render(
                request,
                "choose_instansi.html",
                {"spec": spec, "choices": allowed},
                json_url="/api/v1/instansi",
            )
        form = build_form(session, principal, spec, inst, request_language(request))
        return form_page(request, form)

    def new_submit(
        request: Request, session: SessionDep, principal: PrincipalDep, posted: FormDep
    ) -> Response:
        check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
        require_writer(principal)
        inst, _ = target_instansi(session, principal, str(posted.get("instansi") or "") or None)
        if inst is None:
            raise InvalidInput(
                "Sebutkan instansinya.", "Name the instansi.", field="instansi", value=None
            )
        lang = request_language(request)
        form = build_form(session, principal, spec, inst, lang)
        form.read(posted)
        data, problems = form.parse(editing=False)
        confirmed = bool(posted.get("confirm_similar"))
        if problems:
            form.attach(problems)
            return form_page(request, form, status_code=422, confirmed=confirmed)
        data["instansi_id"] = inst.id
        if spec.key == "application" and not confirmed and data.get("name"):
            similar = similar_box(session, principal, data, lang)
            if similar:
                return form_page(request, form, similar=similar)
        try:
            obj: Any = create_item(session, actor_for(request, principal, "web"), spec.key, data)
        except InvalidInput as exc:
            form.attach(exc.problems)
            return form_page(request, form, status_code=422, confirmed=confirmed)
        return to_detail(request, spec, obj.id, "Tersimpan.")

    def edit_form(
        request: Request, session: SessionDep, principal: PrincipalDep, item_id: int
    ) -> HTMLResponse:
        obj = visible_item(session, principal, spec, item_id)
        if not may_write(session, principal, spec, obj):
            require_writer(principal)
            raise no_write_right(f"mengubah {spec.label} ini", f"change this {spec.label_en}")
        inst = session.get(Instansi, obj.instansi_id)
        current = full_snapshot(session, spec, obj)
        form = build_form(session, principal, spec, inst, request_language(request), current)  # type: ignore[arg-type]
        return form_page(request, form, item=obj)

    def edit_submit(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        item_id: int,
        posted: FormDep,
    ) -> Response:
        check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
        obj = visible_item(session, principal, spec, item_id)
        inst = session.get(Instansi, obj.instansi_id)
        current = full_snapshot(session, spec, obj)
        form = build_form(session, principal, spec, inst, request_language(request), current)  # type: ignore[arg-type]
        form.read(posted)
        version = str(posted.get("version") or "")
        form.version = int(version) if version.isdigit() else None
        data, problems = form.parse(editing=True)
        if form.version is None:
            problems.append(_version_problem(version))
        if problems:
            form.attach(problems)
            return form_page(request, form, item=obj, status_code=422)
        actor = actor_for(request, principal, "web")
        try:
            update_item(session, actor, spec.key, item_id, data, expected_version=form.version)
        except StaleVersion as exc:
            now = exc.details.get("current", {})
            stale = {
                "yours": form.version,
                "current": now.get("version"),
                "rows": form.differences(now),
            }
            # Saving again now means: my values over the current ones, knowingly.
            form.version = now.get("version")
            return form_page(request, form, item=obj, status_code=409, stale=stale)
        except InvalidInput as exc:
            form.attach(exc.problems)
            return form_page(request, form, item=obj, status_code=422)
        return to_detail(request, spec, item_id, "Perubahan tersimpan.")

    def lifecycle(action: str) -> Any:
        def handler(
            request: Request,
            session: SessionDep,
            principal: PrincipalDep,
            item_id: int,
            posted: FormDep,
        ) -> Response:
            check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
            visible_item(session, principal, spec, item_id)
            version = str(posted.get("version") or "")
            expected = int(version) if version.isdigit() else None
            actor = actor_for(request, principal, "web")
            if action == "retire":
                note = str(posted.get("note") or "").strip() or None
                retire_item(session, actor, spec.key, item_id, note=note, expected_version=expected)
                return to_detail(request, spec, item_id, "Item dihentikan.")
            restore_item(session, actor, spec.key, item_id, expected_version=expected)
            return to_detail(request, spec, item_id, "Item dipulihkan.")

        return handler

    routes: list[tuple[str, Any, str, str]] = [
        (f"{base}/baru", new_form, "GET", "new"),
        (f"{base}/baru", new_submit, "POST", "create"),
        (f"{base}/{{item_id}}/ubah", edit_form, "GET", "edit"),
        (f"{base}/{{item_id}}/ubah", edit_submit, "POST", "update"),
        (f"{base}/{{item_id}}/hentikan", lifecycle("retire"), "POST", "retire"),
        (f"{base}/{{item_id}}/pulihkan", lifecycle("restore"), "POST", "restore"),
    ]
    for path, endpoint, method, name in routes:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_class=HTMLResponse,
            name=f"page_{spec.key}_{name}",
        )


def _version_problem(given: str) -> Problem:
    return Problem(
        "version_required",
        f"Versi item ('{given}') tidak terbaca; muat ulang formulir lalu ulangi.",
        f"The item version ('{given}') is unreadable; reload the form and try again.",
        "version",
        given,
    )


def detail_actions(
    session: Session, principal: Principal | None, spec: KindSpec, detail: ItemDetail
) -> dict[str, Any]:
    """What the detail page offers this person: edit, retire/restore, relations,
    confirming an integration."""
    obj = detail.item
    if principal is None or not principal.can_write_somewhere():
        return {"can_write": False}
    can_write = may_write(session, principal, spec, obj)
    actions: dict[str, Any] = {"can_write": can_write}
    actions.update(relation_context(session, principal, spec, detail, can_write))
    if spec.key == "integration":
        actions["confirm"] = [
            side
            for side in writable_sides(session, principal, obj)
            if not getattr(obj, f"confirmed_by_{side}")
        ]
    return actions


for _spec in KINDS.values():
    _register(_spec)

__all__ = ["detail_actions", "router"]
