"""What stops working, directly or not, when an item does (catalog.queries.impact)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import Session

from catalog.access import Principal
from catalog.kinds import get_kind
from catalog.queries.impact import impact_view
from schemas.findings import ImpactItemOut, ImpactLevelOut, ImpactOut
from web.api.presenters import page_url
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()
# Items listed by default (the counts always cover everything reached): a national system
# reaches 20,000 items, more than anyone reads and several times the cost of the walk.
LISTED = 500


def impact_answer(
    session: Session, principal: Principal, kind: str, item_id: int, limit: int = LISTED
) -> ImpactOut:
    """The impact of an item, as the API and the impact page show it: counts of everything
    reached that the principal may see, the first ``limit`` of them listed by distance."""
    spec = get_kind(kind)
    view = impact_view(session, spec.key, item_id, principal, limit=limit)
    levels: dict[int, list[ImpactItemOut]] = {}
    for r, summary in view.listed:
        levels.setdefault(r.distance, []).append(
            ImpactItemOut(
                **summary.__dict__,
                distance=r.distance,
                via=r.via,
                html=page_url(r.kind, r.id),
            )
        )
    return ImpactOut(
        item=ImpactItemOut(**view.item.__dict__, distance=0, html=page_url(spec.key, item_id)),
        total=view.total,
        by_kind=view.by_kind,
        levels=[ImpactLevelOut(distance=d, items=items) for d, items in sorted(levels.items())],
        hidden=view.hidden,
        truncated=view.result.truncated or len(view.listed) < view.total,
        milliseconds=round(view.result.seconds * 1000, 2),
    )


@router.get(
    "/graph/impact/{kind}/{item_id}",
    response_model=ImpactOut,
    summary="Dampak sebuah item / Impact of an item",
)
def graph_impact(
    session: SessionDep,
    principal: PrincipalDep,
    kind: Annotated[str, Path(description="application, dataset, service, … (atau jalur API)")],
    item_id: Annotated[int, Path(description="Id item")],
    limit: Annotated[
        int, Query(ge=1, le=20000, description="Item yang dicantumkan / items listed")
    ] = LISTED,
) -> Response:
    """Semua yang berhenti bekerja, langsung atau tidak, bila item ini berhenti: per jarak
    dan jenis, dihitung dari relasi dan integrasi di basis data; jumlah per jenis mencakup
    semuanya, daftar memuat `limit` item pertama. / Everything that stops working, directly
    or not, when the item does; counts cover everything, the list the first `limit`."""
    answer = impact_answer(session, principal, kind, item_id, limit)
    # Serialised once, straight from the model built above: validating the thousands of
    # listed items again against the response model would cost more than the walk.
    return Response(answer.model_dump_json(), media_type="application/json")


__all__ = ["impact_answer", "router"]
