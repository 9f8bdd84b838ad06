"""Adding and removing an item's relations from its page.

A relation is offered in both directions: from a service page one may say "diselenggarakan
dengan aplikasi X" (the service is the source) and from an application page
"menyelenggarakan layanan Y" (the same relation type, read from its target). The other
item is picked from a list of the instansi's items of a kind, or typed by its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, or_, select
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.enums import InstansiKind, NationalRole
from catalog.errors import Conflict, InvalidInput, NotFound, Problem
from catalog.kinds import KINDS, KindSpec
from catalog.models import Instansi, Relation
from catalog.queries.items import ItemDetail
from catalog.relation_types import RELATION_TYPES
from catalog.services import link, unlink
from web.auth import CSRF_FIELD, PrincipalDep, actor_for, check_csrf
from web.deps import SessionDep
from web.pages.forms import FormDep, may_write, no_write_right, require_writer, visible_item
from web.pages.render import flash, render

router = APIRouter()


@dataclass(frozen=True)
class RelationChoice:
    value: str  # the name read from this item's side (e.g. "delivers")
    type: str  # the stored (canonical) type
    outgoing: bool
    label: str
    label_en: str
    kinds: tuple[str, ...]  # kinds the other item may be


def relation_choices(kind: str) -> list[RelationChoice]:
    out = []
    for rt in RELATION_TYPES.values():
        if kind in rt.sources:
            out.append(
                RelationChoice(
                    rt.name, rt.name, True, rt.label, rt.label_en, tuple(sorted(rt.targets))
                )
            )
        if kind in rt.targets:
            out.append(
                RelationChoice(
                    rt.inverse,
                    rt.name,
                    False,
                    rt.inverse_label,
                    rt.inverse_label_en,
                    tuple(sorted(rt.sources)),
                )
            )
    return out


def other_kinds(choices: list[RelationChoice]) -> list[str]:
    """Kinds that can be at the other end, in the kind table's order."""
    wanted = {k for c in choices for k in c.kinds}
    return [k for k in KINDS if k in wanted]


def relation_context(
    session: Session, principal: Principal, spec: KindSpec, detail: ItemDetail, can_write: bool
) -> dict[str, Any]:
    """The add form's choices and the relations this person may remove. A relation
    belongs to its source: whoever may change the source may unlink it."""
    removable = set()
    for view in detail.relations:
        if view.outgoing:
            allowed = can_write
        else:
            org = detail.organisations.get(view.other.owner_id or -1)
            allowed = principal.can_write(view.other.instansi_id, org.path if org else None)
        if allowed:
            removable.add(view.relation_id)
    choices = relation_choices(spec.key) if can_write else []
    return {
        "relation_choices": choices,
        "relation_kinds": other_kinds(choices),
        "removable": removable,
    }


def candidates(
    session: Session, principal: Principal, kind: str, instansi_id: int
) -> list[tuple[int, str, str]]:
    """(id, name, code) of the items one may relate to: the instansi's, and for
    applications the national ones too."""
    model: Any = KINDS[kind].model
    scope = model.instansi_id == instansi_id
    if kind == "application":
        scope = or_(scope, model.national_role != NationalRole.NONE)
    rows = session.execute(
        select(model.id, model.name, model.code)
        .where(scope, model.retired_at.is_(None), visible_clause(principal, kind, model))
        .order_by(model.name)
    )
    return [(i, n, c) for i, n, c in rows]


def find_by_code(
    session: Session, principal: Principal, kind: str, instansi_id: int, code: str
) -> int:
    """The item of a kind with this code in the instansi, else in a national instansi."""
    model: Any = KINDS[kind].model
    base = select(model.id).where(
        func.upper(model.code) == code.strip().upper(),
        visible_clause(principal, kind, model),
    )
    found = session.execute(base.where(model.instansi_id == instansi_id)).scalars().all()
    if not found:
        national = select(Instansi.id).where(Instansi.kind == InstansiKind.PUSAT)
        found = session.execute(base.where(model.instansi_id.in_(national))).scalars().all()
    if len(found) == 1:
        return int(found[0])
    spec = KINDS[kind]
    raise InvalidInput(
        f"{spec.label} dengan kode '{code}' tidak ditemukan di instansi ini"
        + (" (ada beberapa di instansi pusat; pilih dari daftar)." if found else "."),
        f"No {spec.label_en} with code '{code}' in this instansi"
        + (" (several in central bodies; pick one from the list)." if found else "."),
        field="target_code",
        value=code,
    )


def _register(spec: KindSpec) -> None:
    base = f"/{spec.page_path}/{{item_id}}/relasi"

    def picker(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        item_id: int,
        jenis: str | None = None,
    ) -> HTMLResponse:
        return page(request, session, principal, item_id, jenis)

    def page(
        request: Request,
        session: Session,
        principal: Principal,
        item_id: int,
        jenis: str | None,
        problems: list[Problem] | None = None,
        posted: Any = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        obj = visible_item(session, principal, spec, item_id)
        if not may_write(session, principal, spec, obj):
            require_writer(principal)
            raise no_write_right(f"mengubah {spec.label} ini", f"change this {spec.label_en}")
        choices = relation_choices(spec.key)
        kinds = other_kinds(choices)
        kind = jenis if jenis in kinds else (kinds[0] if kinds else None)
        return render(
            request,
            "relation.html",
            {
                "spec": spec,
                "item": obj,
                "kind": kind,
                "kinds": kinds,
                "choices": [c for c in choices if kind in c.kinds],
                "items": candidates(session, principal, kind, obj.instansi_id) if kind else [],
                "problems": problems or [],
                "posted": posted or {},
            },
            status_code=status_code,
            json_url=f"/api/v1/{spec.api_path}/{item_id}",
        )

    def add(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        item_id: int,
        posted: FormDep,
    ) -> Response:
        check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
        obj = visible_item(session, principal, spec, item_id)
        kind = str(posted.get("target_kind") or "")
        try:
            choice, other_id = _resolve(session, principal, spec, obj, kind, posted)
            ends = [(spec.key, item_id), (kind, other_id)]
            (src_kind, src_id), (dst_kind, dst_id) = ends if choice.outgoing else ends[::-1]
            note = str(posted.get("note") or "").strip() or None
            link(
                session,
                actor_for(request, principal, "web"),
                choice.type,
                src_kind,
                src_id,
                dst_kind,
                dst_id,
                note=note,
            )
        except (InvalidInput, NotFound, Conflict) as exc:
            # Shown on the picker page, with what was chosen, rather than a bare error.
            return page(
                request, session, principal, item_id, kind, exc.problems, posted, exc.status
            )
        flash(request, "Relasi ditambahkan.")
        return RedirectResponse(f"/{spec.page_path}/{item_id}#relasi", status_code=303)

    def remove(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        item_id: int,
        relation_id: int,
        posted: FormDep,
    ) -> Response:
        check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
        visible_item(session, principal, spec, item_id)
        rel = session.get(Relation, relation_id)
        ends = (
            {(rel.source_kind, rel.source_id), (rel.target_kind, rel.target_id)} if rel else set()
        )
        if (spec.key, item_id) not in ends:
            raise NotFound(
                f"Relasi {relation_id} tidak ada pada item ini.",
                f"Relation {relation_id} is not on this item.",
                field="relation_id",
                value=relation_id,
            )
        unlink(session, actor_for(request, principal, "web"), relation_id)
        flash(request, "Relasi dilepas.")
        return RedirectResponse(f"/{spec.page_path}/{item_id}#relasi", status_code=303)

    for path, endpoint, method, name in (
        (base, picker, "GET", "relation_form"),
        (base, add, "POST", "link"),
        (f"{base}/{{relation_id}}/hapus", remove, "POST", "unlink"),
    ):
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_class=HTMLResponse,
            name=f"page_{spec.key}_{name}",
        )


def _resolve(
    session: Session, principal: Principal, spec: KindSpec, obj: Any, kind: str, posted: Any
) -> tuple[RelationChoice, int]:
    """The relation chosen and the other item's id, from a list pick or a typed code."""
    value = str(posted.get("type") or "")
    choice = next((c for c in relation_choices(spec.key) if c.value == value), None)
    if choice is None:
        raise InvalidInput(
            f"Pilih jenis relasi (bukan '{value}').",
            f"Choose a relation type (not '{value}').",
            field="type",
            value=value,
        )
    if kind not in choice.kinds:
        names = ", ".join(KINDS[k].label for k in choice.kinds)
        names_en = ", ".join(KINDS[k].label_en for k in choice.kinds)
        raise InvalidInput(
            f"Relasi '{choice.label}' menghubungkan ke: {names}.",
            f"Relation '{choice.label_en}' links to: {names_en}.",
            field="target_kind",
            value=kind,
        )
    given_id = str(posted.get("target_id") or "")
    if given_id.isdigit():
        return choice, int(given_id)
    code = str(posted.get("target_code") or "").strip()
    if not code:
        raise InvalidInput(
            "Pilih item tujuan atau ketik kodenya.",
            "Pick the other item or type its code.",
            field="target_code",
        )
    return choice, find_by_code(session, principal, kind, obj.instansi_id, code)


for _spec in KINDS.values():
    _register(_spec)


__all__ = ["RelationChoice", "relation_choices", "relation_context", "router"]
