"""Reference architecture endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, or_, select

from catalog.errors import NotFound
from catalog.kinds import KIND_OF_SCHEME, KINDS
from catalog.models import ReferenceNode, ReferenceSet
from catalog.queries.scope import find_instansi
from catalog.references import normalise_code
from schemas.references import ReferenceNodeOut, ReferenceSetOut
from web.deps import SessionDep

router = APIRouter(tags=["Referensi Arsitektur"])


def node_out(n: ReferenceNode, count: int | None = None) -> ReferenceNodeOut:
    return ReferenceNodeOut(
        code=n.code,
        name=n.name,
        scheme=n.scheme,
        level=n.level,
        parent_code=n.parent_code,
        confidence=n.confidence,
        status=str(n.status),
        replaced_by=n.replaced_by,
        is_local=n.is_local,
        instansi_id=n.instansi_id,
        item_count=count,
    )


@router.get(
    "/reference-sets",
    response_model=list[ReferenceSetOut],
    summary="Set referensi yang dimuat / Loaded reference sets",
)
def reference_sets(session: SessionDep) -> list[ReferenceSetOut]:
    rows = session.execute(select(ReferenceSet).order_by(ReferenceSet.id)).scalars()
    return [ReferenceSetOut.model_validate(r, from_attributes=True) for r in rows]


@router.get(
    "/references",
    response_model=list[ReferenceNodeOut],
    summary="Kode referensi set aktif / Codes of the active set",
)
def references(
    session: SessionDep,
    scheme: Annotated[str | None, Query(description="RAB, RAL, RAD, RAA, RAI, RAK")] = None,
    level: Annotated[int | None, Query(ge=1, le=9)] = None,
    parent: Annotated[str | None, Query(description="Hanya anak dari kode ini")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Bagian kode atau nama")] = None,
    instansi: Annotated[str | None, Query(description="Sertakan kode lokal instansi ini")] = None,
    counts: Annotated[bool, Query(description="Sertakan jumlah item per kode")] = False,
) -> list[ReferenceNodeOut]:
    active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
    conds = [ReferenceNode.set_id == active]
    if instansi:
        inst = find_instansi(session, instansi)
        conds.append(ReferenceNode.set_id.is_(None) & (ReferenceNode.instansi_id == inst.id))
    stmt = select(ReferenceNode).where(or_(*conds))
    if scheme:
        stmt = stmt.where(ReferenceNode.scheme == scheme.upper())
    if level:
        stmt = stmt.where(ReferenceNode.level == level)
    if parent:
        stmt = stmt.where(ReferenceNode.parent_code == normalise_code(parent))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            func.lower(ReferenceNode.name).like(like) | func.lower(ReferenceNode.code).like(like)
        )
    nodes = list(session.execute(stmt.order_by(ReferenceNode.code)).scalars())
    tally: dict[str, int] = {}
    if counts:
        for sch in {n.scheme for n in nodes}:
            kind = KIND_OF_SCHEME.get(sch)
            if kind is None:
                continue
            model = KINDS[kind].model
            for code, n in session.execute(
                select(model.reference_code, func.count())  # type: ignore[attr-defined]
                .where(model.retired_at.is_(None), model.reference_code.is_not(None))  # type: ignore[attr-defined]
                .group_by(model.reference_code)  # type: ignore[attr-defined]
            ):
                for node in nodes:
                    if code == node.code or code.startswith(node.code + "."):
                        tally[node.code] = tally.get(node.code, 0) + n
    return [node_out(n, tally.get(n.code, 0) if counts else None) for n in nodes]


@router.get(
    "/references/{code}",
    response_model=ReferenceNodeOut,
    summary="Satu kode referensi / One reference code",
)
def reference(session: SessionDep, code: Annotated[str, Path()]) -> ReferenceNodeOut:
    code = normalise_code(code)
    active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
    node = session.execute(
        select(ReferenceNode).where(ReferenceNode.code == code, ReferenceNode.set_id == active)
    ).scalar_one_or_none()
    if node is None:
        node = (
            session.execute(
                select(ReferenceNode).where(
                    ReferenceNode.code == code, ReferenceNode.set_id.is_(None)
                )
            )
            .scalars()
            .first()
        )
    if node is None:
        raise NotFound(
            f"Kode referensi '{code}' tidak ditemukan.",
            f"Reference code '{code}' not found.",
            field="code",
            value=code,
        )
    return node_out(node)
