"""Reference architecture browser with item counts per code."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from catalog.kinds import KIND_OF_SCHEME, KINDS
from catalog.models import ReferenceNode, ReferenceSet
from catalog.queries.scope import list_scope
from catalog.references import SCHEME_NAMES, SCHEMES, normalise_code
from web.deps import SessionDep
from web.pages.render import render

router = APIRouter()


@router.get("/referensi", response_class=HTMLResponse, name="references")
def references_page(
    request: Request,
    session: SessionDep,
    scheme: str = "RAB",
    parent: str | None = None,
    instansi: str | None = None,
) -> HTMLResponse:
    scheme = scheme.upper() if scheme.upper() in SCHEMES else "RAB"
    inst, _ = list_scope(session, instansi, None)
    active = session.execute(
        select(ReferenceSet).where(ReferenceSet.is_active.is_(True))
    ).scalar_one_or_none()
    parent_code = normalise_code(parent) if parent else None
    stmt = select(ReferenceNode).where(ReferenceNode.scheme == scheme)
    local = ReferenceNode.set_id.is_(None) & (
        ReferenceNode.instansi_id == (inst.id if inst else -1)
    )
    stmt = stmt.where((ReferenceNode.set_id == (active.id if active else -1)) | local)
    if parent_code:
        stmt = stmt.where(ReferenceNode.parent_code == parent_code)
    else:
        stmt = stmt.where(ReferenceNode.level == 1)
    nodes = list(session.execute(stmt.order_by(ReferenceNode.code)).scalars())
    trail = []
    if parent_code:
        parts = parent_code.split(".")
        codes = [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
        trail = list(
            session.execute(
                select(ReferenceNode)
                .where(
                    ReferenceNode.code.in_(codes),
                    ReferenceNode.set_id == (active.id if active else -1),
                )
                .order_by(ReferenceNode.level)
            ).scalars()
        )
    counts: dict[str, int] = {}
    kind = KIND_OF_SCHEME.get(scheme)
    if kind:
        model = KINDS[kind].model
        stmt2 = (
            select(model.reference_code, func.count())  # type: ignore[attr-defined]
            .where(model.retired_at.is_(None), model.reference_code.startswith(scheme + "."))  # type: ignore[attr-defined]
            .group_by(model.reference_code)  # type: ignore[attr-defined]
        )
        if inst:
            stmt2 = stmt2.where(model.instansi_id == inst.id)  # type: ignore[attr-defined]
        for code, n in session.execute(stmt2):
            for node in nodes:
                if code == node.code or code.startswith(node.code + "."):
                    counts[node.code] = counts.get(node.code, 0) + n
    json_params = f"scheme={scheme}" + (f"&parent={parent_code}" if parent_code else "&level=1")
    return render(
        request,
        "references.html",
        {
            "scheme": scheme,
            "schemes": [(s, SCHEME_NAMES[s][0]) for s in SCHEMES],
            "nodes": nodes,
            "trail": trail,
            "counts": counts,
            "kind": kind,
            "active": active,
            "instansi": inst,
            "scheme_info": (active.schemes.get(scheme) if active else None) or {},
        },
        json_url=f"/api/v1/references?{json_params}",
    )
