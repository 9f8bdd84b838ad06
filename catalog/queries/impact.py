"""Impact of an item, straight from the database: what stops working, directly or not,
when it does.

The same semantics as :func:`catalog.analysis.graph.impact` over
:func:`catalog.analysis.graph.dependencies` (which end of each edge depends on the other is
:data:`catalog.analysis.graph.DEPENDENT_END`), but without loading a snapshot: the walk goes
level by level through the relation and integration tables and their covering indexes, one
statement per kind and chunk of the level, so one item's impact at national scale costs a
few dozen indexed statements instead of a national snapshot per request.

Only the items a reader is shown are described (code, name, owner…); what the reader may
see of the rest is counted with a query that returns the hidden ones only.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import String, bindparam, select, type_coerce
from sqlmodel import Session

from catalog.access import SYSTEM, Principal, visible_clause
from catalog.analysis.graph import DEPENDENT_END
from catalog.errors import NotFound
from catalog.kinds import KINDS
from catalog.models import Instansi, Integration, IntegrationDataSet, Organisation, Relation
from catalog.relation_types import RELATION_TYPES

# Integration edges (see catalog.analysis.graph.build_graph); the rest are relation types.
_INTEGRATION_EDGES = ("from", "to", "via", "carries")
# Relation types whose source needs the target, and those whose target needs the source.
SOURCE_NEEDS = tuple(
    t for t, end in DEPENDENT_END.items() if end == "source" and t not in _INTEGRATION_EDGES
)
TARGET_NEEDS = tuple(
    t for t, end in DEPENDENT_END.items() if end == "target" and t not in _INTEGRATION_EDGES
)
MAX_REACH = 20_000  # items a walk reaches at most
CHUNK = 1000  # ids per IN list
# An item reached at one distance through several edges is said to be reached through the
# first of them in this order (any would be true; a fixed one keeps answers repeatable).
EDGE_ORDER = {t: i for i, t in enumerate(DEPENDENT_END)}


class Reached(NamedTuple):
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


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _step_sql(kind: str) -> str | None:
    """One statement finding (kind, id, edge type) of everything that needs an item of
    ``kind`` whose id is in ``{ids}``: relation rows in both directions and, by kind, the
    integrations that need a provider, a bus or a data set, or the consumer that needs an
    integration. None when nothing can need an item of that kind.

    Only the relation types whose vocabulary (:data:`catalog.relation_types.RELATION_TYPES`,
    which every write checks) lets them end at this kind are looked up: each type costs an
    index seek per item, and a national walk seeks some twenty thousand items."""
    relation = Relation.__tablename__
    # relation a → b where a needs b: a depends on the frontier item b
    needing = [t for t in SOURCE_NEEDS if kind in RELATION_TYPES[t].targets]
    # relation a → b where b needs a (a data set needs its producer, a whole its parts)
    needed = [t for t in TARGET_NEEDS if kind in RELATION_TYPES[t].sources]
    parts = []
    if needing:
        parts.append(
            f"SELECT source_kind, source_id, type FROM {relation} WHERE target_kind = '{kind}' "
            f"AND target_id IN ({{ids}}) AND type IN ({_quoted(needing)})"
        )
    if needed:
        parts.append(
            f"SELECT target_kind, target_id, type FROM {relation} WHERE source_kind = '{kind}' "
            f"AND source_id IN ({{ids}}) AND type IN ({_quoted(needed)})"
        )
    integration = Integration.__tablename__
    carried = IntegrationDataSet.__tablename__
    if kind == "application":  # an integration needs its provider
        parts.append(
            f"SELECT 'integration', id, 'from' FROM {integration} WHERE provider_id IN ({{ids}})"
        )
    elif kind == "infrastructure":  # … and the bus it runs through
        parts.append(
            f"SELECT 'integration', id, 'via' FROM {integration} WHERE intermediary_id IN ({{ids}})"
        )
    elif kind == "dataset":  # … and the data it carries
        parts.append(
            f"SELECT 'integration', integration_id, 'carries' FROM {carried} "
            "WHERE data_set_id IN ({ids})"
        )
    elif kind == "integration":  # the consumer needs the integration
        parts.append(
            f"SELECT 'application', consumer_id, 'to' FROM {integration} "
            "WHERE id IN ({ids}) AND consumer_id IS NOT NULL"
        )
    return " UNION ALL ".join(parts) if parts else None


_STEP_SQL = {kind: _step_sql(kind) for kind in KINDS}


def _rows_by_ids(session: Session, sql: str, ids: Iterable[int]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` for every chunk of ``ids`` written in place of ``{ids}``.

    Plain SQL on the driver's own cursor: binding thousands of parameters one by one, and
    wrapping tens of thousands of rows of three plain values in SQLAlchemy rows, cost more
    than the index look-ups themselves. Only integers (passed through ``int()``) and
    constants of this module or of :func:`catalog.access.visible_clause` go into it."""
    cursor = session.connection().connection.cursor()
    try:
        for chunk in _chunks(ids):
            cursor.execute(sql.replace("{ids}", ", ".join(str(int(i)) for i in chunk)))
            yield from cursor.fetchall()
    finally:
        cursor.close()


def impact(
    session: Session,
    kind: str,
    item_id: int,
    *,
    max_distance: int | None = None,
    limit: int = MAX_REACH,
) -> ImpactResult:
    """Every item that depends on ``(kind, item_id)``, transitively, with its distance
    (1 = directly), in display order (distance, kind, id). Stops after ``limit`` items
    (``truncated``: there was more)."""
    started = time.perf_counter()
    result = ImpactResult(kind, item_id)
    seen: dict[str, set[int]] = {k: set() for k in KINDS}
    seen[kind].add(item_id)
    frontier: dict[str, list[int]] = {kind: [item_id]}
    distance = 0
    while frontier and (max_distance is None or distance < max_distance):
        distance += 1
        # kind → id → edge type, for the items first reached at this distance
        level: dict[str, dict[int, str]] = {k: {} for k in KINDS}
        for frontier_kind, ids in frontier.items():
            sql = _STEP_SQL[frontier_kind]
            if sql is None:
                continue
            for dep_kind, dep_id, via in _rows_by_ids(session, sql, ids):
                found = level.get(dep_kind)
                if found is None or dep_id in seen[dep_kind]:
                    continue  # not an item kind, or reached earlier
                known = found.setdefault(dep_id, via)
                if known != via and EDGE_ORDER[via] < EDGE_ORDER[known]:
                    found[dep_id] = via
        # Display order: by distance, then kind (in KINDS order), then id. A level cut by
        # the limit keeps its first items in this order, so a truncated answer does not
        # depend on the order in which the database returns rows.
        frontier = {}
        for dep_kind, found in level.items():
            if not found:
                continue
            room = limit - len(result.reached)
            ids = sorted(found)
            if len(ids) > room:
                ids = ids[:room]
                result.truncated = True
            seen[dep_kind].update(ids)
            result.reached.extend(Reached(dep_kind, i, distance, found[i]) for i in ids)
            if ids:
                frontier[dep_kind] = ids
        if result.truncated:
            break
    result.seconds = time.perf_counter() - started
    return result


def hidden_among(
    session: Session, refs: Iterable[tuple[str, int]], principal: Principal = SYSTEM
) -> set[tuple[str, int]]:
    """The items among ``refs`` the principal may not see (restricted, of an instansi it
    may not read): a look-up by primary key that returns the hidden rows only."""
    if principal.is_admin or principal.read_all:
        return set()
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, item_id in refs:
        by_kind[kind].append(item_id)
    dialect = session.get_bind().dialect
    hidden: set[tuple[str, int]] = set()
    for kind, ids in by_kind.items():
        model: Any = KINDS[kind].model
        # The rule of catalog.access, rendered once with its values (instansi ids and
        # classification names) written in.
        rule = (~visible_clause(principal, kind, model)).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        table = model.__tablename__
        sql = f"SELECT {table}.id FROM {table} WHERE ({rule}) AND {table}.id IN ({{ids}})"
        hidden.update((kind, i) for (i,) in _rows_by_ids(session, sql, ids))
    return hidden


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
    connection = session.connection()
    out: dict[tuple[str, int], ItemSummary] = {}
    hidden = 0
    for kind, ids in by_kind.items():
        model: Any = KINDS[kind].model
        stmt = (
            select(
                model.id,
                model.code,
                model.name,
                Instansi.code.label("instansi"),
                Organisation.code.label("owner"),
                # As stored: a summary needs neither the enum nor the timestamp.
                type_coerce(model.status, String).label("status"),
                model.retired_at.is_not(None).label("retired"),
                visible_clause(principal, kind, model).label("visible"),
            )
            .outerjoin(Instansi, Instansi.id == model.instansi_id)
            .outerjoin(Organisation, Organisation.id == model.owner_id)
            .where(model.id.in_(bindparam("ids", expanding=True)))
        )
        for chunk in _chunks(ids):
            for item_id, code, name, place, owner, status, retired, visible in connection.execute(
                stmt, {"ids": chunk}
            ):
                if not visible:
                    hidden += 1
                    continue
                out[(kind, item_id)] = ItemSummary(
                    kind, item_id, code, name, place, owner, status, bool(retired)
                )
    return out, hidden


@dataclass
class ImpactView:
    """An item's impact as one principal sees it."""

    item: ItemSummary
    result: ImpactResult
    # Reached items the principal may see, per kind (every one, not only those listed).
    by_kind: dict[str, int]
    hidden: int
    # The first ``limit`` of them, in display order, with their summaries.
    listed: list[tuple[Reached, ItemSummary]]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def impact_view(
    session: Session,
    kind: str,
    item_id: int,
    principal: Principal = SYSTEM,
    *,
    limit: int = 2000,
    **kw: Any,
) -> ImpactView:
    """The item (NotFound when absent or not visible), its impact, how many reached items
    of each kind the principal may see and how many it may not, and the summaries of the
    first ``limit`` it may see.

    Items are retired, never deleted, and every relation and integration names items that
    exist (the services check), so each reached item is counted without being read."""
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
    hidden = hidden_among(session, ((r.kind, r.id) for r in result.reached), principal)
    visible = [r for r in result.reached if (r.kind, r.id) not in hidden] if hidden else None
    seen = result.reached if visible is None else visible
    by_kind = dict(Counter(r.kind for r in seen))
    shown = seen[:limit]
    found, _ = describe(session, [(r.kind, r.id) for r in shown], principal)
    listed = [(r, found[(r.kind, r.id)]) for r in shown if (r.kind, r.id) in found]
    return ImpactView(me, result, by_kind, len(hidden), listed)


__all__ = [
    "MAX_REACH",
    "ImpactResult",
    "ImpactView",
    "ItemSummary",
    "Reached",
    "describe",
    "hidden_among",
    "impact",
    "impact_view",
]
