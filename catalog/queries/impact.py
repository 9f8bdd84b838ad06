"""Impact of an item, straight from the database: what stops working, directly or not,
when it does.

The same semantics as :func:`catalog.analysis.graph.impact` over
:func:`catalog.analysis.graph.dependencies` (which end of each edge depends on the other is
:data:`catalog.analysis.graph.DEPENDENT_END`), but without loading a snapshot: the walk goes
frontier by frontier through the relation and integration tables and their indexes, so one
item's impact at national scale costs a few indexed queries per step instead of a national
snapshot per request.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.access import SYSTEM, Principal, can_see
from catalog.analysis.graph import DEPENDENT_END
from catalog.errors import NotFound
from catalog.kinds import KINDS
from catalog.models import Instansi, Integration, IntegrationDataSet, Organisation, Relation

# Integration edges (see catalog.analysis.graph.build_graph); the rest are relation types.
_INTEGRATION_EDGES = ("from", "to", "via", "carries")
# Relation types whose source needs the target, and those whose target needs the source.
SOURCE_NEEDS = tuple(
    t for t, end in DEPENDENT_END.items() if end == "source" and t not in _INTEGRATION_EDGES
)
TARGET_NEEDS = tuple(
    t for t, end in DEPENDENT_END.items() if end == "target" and t not in _INTEGRATION_EDGES
)
CHUNK = 500  # ids per IN list: well below every backend's limit on bound parameters


@dataclass(frozen=True)
class Reached:
    kind: str
    id: int
    distance: int
    via: str  # the edge type of the step that reached it


@dataclass
class ImpactResult:
    kind: str
    id: int
    reached: list[Reached] = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _dependents(session: Session, frontier: dict[str, set[int]]) -> Iterator[tuple[str, int, str]]:
    """(kind, id, edge type) of everything that needs an item of the frontier."""
    for kind, ids in frontier.items():
        for chunk in _chunks(ids):
            # relation a → b where a needs b: a depends on the frontier item b
            yield from map(
                tuple,
                session.execute(
                    select(Relation.source_kind, Relation.source_id, Relation.type).where(
                        Relation.target_kind == kind,
                        Relation.target_id.in_(chunk),
                        Relation.type.in_(SOURCE_NEEDS),
                    )
                ),
            )
            # relation a → b where b needs a (a data set needs its producer, a whole its
            # parts): b depends on the frontier item a
            yield from map(
                tuple,
                session.execute(
                    select(Relation.target_kind, Relation.target_id, Relation.type).where(
                        Relation.source_kind == kind,
                        Relation.source_id.in_(chunk),
                        Relation.type.in_(TARGET_NEEDS),
                    )
                ),
            )
            if kind == "application":
                # an integration needs its provider
                for (integration_id,) in session.execute(
                    select(Integration.id).where(Integration.provider_id.in_(chunk))
                ):
                    yield ("integration", integration_id, "from")
            elif kind == "infrastructure":
                # … and the bus it runs through
                for (integration_id,) in session.execute(
                    select(Integration.id).where(Integration.intermediary_id.in_(chunk))
                ):
                    yield ("integration", integration_id, "via")
            elif kind == "dataset":
                # … and the data it carries
                for (integration_id,) in session.execute(
                    select(IntegrationDataSet.integration_id).where(
                        IntegrationDataSet.data_set_id.in_(chunk)
                    )
                ):
                    yield ("integration", integration_id, "carries")
            elif kind == "integration":
                # the consumer needs the integration
                for (consumer_id,) in session.execute(
                    select(Integration.consumer_id).where(
                        Integration.id.in_(chunk), Integration.consumer_id.is_not(None)
                    )
                ):
                    yield ("application", consumer_id, "to")


def impact(
    session: Session,
    kind: str,
    item_id: int,
    *,
    max_distance: int | None = None,
    limit: int = 20_000,
) -> ImpactResult:
    """Every item that depends on ``(kind, item_id)``, transitively, with its distance
    (1 = directly). Stops after ``limit`` items (``truncated``)."""
    started = time.perf_counter()
    result = ImpactResult(kind, item_id)
    seen = {(kind, item_id)}
    frontier: dict[str, set[int]] = {kind: {item_id}}
    distance = 0
    while frontier and (max_distance is None or distance < max_distance):
        distance += 1
        following: dict[str, set[int]] = defaultdict(set)
        for dep_kind, dep_id, via in _dependents(session, frontier):
            node = (dep_kind, dep_id)
            if node in seen or dep_kind not in KINDS:
                continue
            seen.add(node)
            result.reached.append(Reached(dep_kind, dep_id, distance, via))
            following[dep_kind].add(dep_id)
            if len(result.reached) >= limit:
                result.truncated = True
                break
        if result.truncated:
            break
        frontier = following
    result.reached.sort(key=lambda r: (r.distance, list(KINDS).index(r.kind), r.id))
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class ItemSummary:
    kind: str
    id: int
    code: str
    name: str
    instansi: str | None
    owner: str | None
    status: str | None
    retired: bool


def describe(
    session: Session,
    refs: Iterable[tuple[str, int]],
    principal: Principal = SYSTEM,
) -> tuple[dict[tuple[str, int], ItemSummary], int]:
    """Code, name, owner… of items the principal may see, and how many were hidden."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, item_id in refs:
        by_kind[kind].add(item_id)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, ids in by_kind.items():
        model: Any = KINDS[kind].model
        columns = [
            model.id,
            model.code,
            model.name,
            model.instansi_id,
            model.owner_id,
            model.status,
            model.retired_at,
            model.is_internal,
        ]
        if kind == "dataset":
            columns.append(model.classification)
        for chunk in _chunks(ids):
            for row in session.execute(select(*columns).where(model.id.in_(chunk))):
                rows[(kind, row.id)] = dict(row._mapping)
    places = {
        i: c
        for i, c in session.execute(
            select(Instansi.id, Instansi.code).where(
                Instansi.id.in_({r["instansi_id"] for r in rows.values()})
            )
        )
    }
    owner_ids = {r["owner_id"] for r in rows.values() if r["owner_id"] is not None}
    owners: dict[int, str] = {}
    for chunk in _chunks(owner_ids):
        owners.update(
            session.execute(
                select(Organisation.id, Organisation.code).where(Organisation.id.in_(chunk))
            ).all()
        )
    out: dict[tuple[str, int], ItemSummary] = {}
    hidden = 0
    for (kind, item_id), r in rows.items():
        if not can_see(principal, kind, r):
            hidden += 1
            continue
        status = r["status"]
        out[(kind, item_id)] = ItemSummary(
            kind=kind,
            id=item_id,
            code=r["code"],
            name=r["name"],
            instansi=places.get(r["instansi_id"]),
            owner=owners.get(r["owner_id"]),
            status=str(status.value if hasattr(status, "value") else status) if status else None,
            retired=r["retired_at"] is not None,
        )
    return out, hidden


def impact_of_visible(
    session: Session, kind: str, item_id: int, principal: Principal = SYSTEM, **kw: Any
) -> tuple[ItemSummary, ImpactResult, dict[tuple[str, int], ItemSummary], int]:
    """The item (NotFound when absent or not visible), its impact, the summaries of the
    impacted items the principal may see and the number hidden."""
    items, _ = describe(session, [(kind, item_id)], principal)
    me = items.get((kind, item_id))
    if me is None:
        raise NotFound(
            f"{KINDS[kind].label} dengan id {item_id} tidak ditemukan.",
            f"{KINDS[kind].label_en} with id {item_id} not found.",
            field="id",
            value=item_id,
        )
    result = impact(session, kind, item_id, **kw)
    found, hidden = describe(session, [(r.kind, r.id) for r in result.reached], principal)
    return me, result, found, hidden


__all__ = ["ImpactResult", "ItemSummary", "Reached", "describe", "impact", "impact_of_visible"]
