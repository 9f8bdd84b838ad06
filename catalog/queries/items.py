"""Lists with filters and pagination, item details with their links, counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlmodel import Session, SQLModel

from catalog.access import ANONYMOUS, Principal, can_see, visible_clause
from catalog.errors import InvalidInput, NotFound
from catalog.kinds import KINDS, KindSpec, get_kind
from catalog.models import (
    Instansi,
    Integration,
    IntegrationDataSet,
    Organisation,
    ReferenceNode,
    ReferenceSet,
    Relation,
)
from catalog.queries.search import item_ids_matching, matching_entries
from catalog.references import ancestors
from catalog.relation_types import describe, directional_name

MAX_PER_PAGE = 200
SORTS = ("name", "-name", "code", "-code", "updated_at", "-updated_at")


@dataclass
class ItemFilter:
    instansi_id: int | None = None
    owner_id: int | None = None
    reference: str | None = None
    status: str | None = None
    q: str | None = None
    include_retired: bool = False
    # Equality filters on kind-specific columns, e.g. {"app_type": "umum"}.
    fields: dict[str, Any] = field(default_factory=dict)
    # Whose eyes: restricted items are left out for those who may not see them.
    principal: Principal = ANONYMOUS


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(session: Session, spec: KindSpec, flt: ItemFilter) -> Select[Any]:
    model: Any = spec.model
    stmt = select(model).where(visible_clause(flt.principal, spec.key, model))
    if flt.instansi_id is not None:
        stmt = stmt.where(model.instansi_id == flt.instansi_id)
    if flt.owner_id is not None:
        org = session.get(Organisation, flt.owner_id)
        path = org.path if org else "/-1/"
        subtree = select(Organisation.id).where(Organisation.path.startswith(path))
        stmt = stmt.where(model.owner_id.in_(subtree))
    if flt.reference and spec.is_domain:
        code = flt.reference.strip().upper()
        # The code itself or any code below it. A range (not LIKE, which SQLite compares
        # case-insensitively and so cannot answer from the index): '/' sorts right after '.'.
        stmt = stmt.where(
            or_(
                model.reference_code == code,
                (model.reference_code >= code + ".") & (model.reference_code < code + "/"),
            )
        )
    if flt.status:
        stmt = stmt.where(model.status == flt.status)
    elif not flt.include_retired:
        stmt = stmt.where(model.retired_at.is_(None))
    for name, value in flt.fields.items():
        if value is None or value == "":
            continue
        if name not in model.__table__.columns:
            raise InvalidInput(
                f"Saringan '{name}' tidak dikenal untuk {spec.label}.",
                f"Filter '{name}' is not known for {spec.label_en}.",
                field=name,
                value=value,
            )
        stmt = stmt.where(getattr(model, name) == value)
    if flt.q:
        ids = item_ids_matching(session, flt.q, spec.key)
        if ids is not None:
            stmt = stmt.where(model.id.in_(ids))
    return stmt


def matching_ids(session: Session, kind: str, flt: ItemFilter) -> Select[Any]:
    """The ids of the items a list with these filters shows (all pages), as a subquery."""
    spec = get_kind(kind)
    return _filtered(session, spec, flt).with_only_columns(spec.model.id)  # type: ignore[attr-defined]


def paginate(
    session: Session,
    stmt: Select[Any],
    order: list[Any],
    page: int,
    per_page: int,
    *,
    key: Any = None,
) -> Page:
    """One page of a query's rows, with the total count of all of them. Counting only
    ``key`` (the id) lets the database answer the count from an index."""
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    counted = stmt.with_only_columns(key) if key is not None else stmt
    total = session.execute(
        select(func.count()).select_from(counted.order_by(None).subquery())
    ).scalar_one()
    rows = list(
        session.execute(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page))
        .scalars()
        .all()
    )
    return Page(rows, total, page, per_page)


def list_items(
    session: Session,
    kind: str,
    flt: ItemFilter,
    *,
    page: int = 1,
    per_page: int = 50,
    sort: str = "name",
) -> Page:
    spec = get_kind(kind)
    model: Any = spec.model
    if sort not in SORTS:
        raise InvalidInput(
            f"Urutan '{sort}' tidak dikenal. Pilihan: {', '.join(SORTS)}.",
            f"Unknown sort '{sort}'. Choose one of: {', '.join(SORTS)}.",
            field="sort",
            value=sort,
        )
    col = getattr(model, sort.lstrip("-"))
    order = [col.desc() if sort.startswith("-") else col, model.id]
    return paginate(session, _filtered(session, spec, flt), order, page, per_page, key=model.id)


def count_items(
    session: Session, instansi_id: int | None = None, principal: Principal = ANONYMOUS
) -> dict[str, int]:
    """Active (not retired) items per kind that the principal may see."""
    counts: dict[str, int] = {}
    for key, spec in KINDS.items():
        model: Any = spec.model
        stmt = (
            select(func.count())
            .select_from(model)
            .where(model.retired_at.is_(None), visible_clause(principal, key, model))
        )
        if instansi_id is not None:
            stmt = stmt.where(model.instansi_id == instansi_id)
        counts[key] = session.execute(stmt).scalar_one()
    return counts


def count_items_of_unit(
    session: Session, org: Organisation, principal: Principal = ANONYMOUS
) -> dict[str, int]:
    """Active items per kind owned by a unit or any unit below it."""
    subtree = select(Organisation.id).where(Organisation.path.startswith(org.path))
    counts: dict[str, int] = {}
    for key, spec in KINDS.items():
        model: Any = spec.model
        counts[key] = session.execute(
            select(func.count())
            .select_from(model)
            .where(
                model.retired_at.is_(None),
                model.owner_id.in_(subtree),
                visible_clause(principal, key, model),
            )
        ).scalar_one()
    return counts


# -- names of things, fetched in one query per table -----------------------------------------


def organisations_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Organisation]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Organisation).where(Organisation.id.in_(wanted))).scalars()
    return {o.id: o for o in rows}  # type: ignore[misc]


def instansi_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Instansi]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Instansi).where(Instansi.id.in_(wanted))).scalars()
    return {o.id: o for o in rows}  # type: ignore[misc]


def items_by_id(session: Session, kind: str, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    model: Any = KINDS[kind].model
    rows = session.execute(select(model).where(model.id.in_(wanted))).scalars()
    return {o.id: o for o in rows}


def reference_nodes(
    session: Session, codes: Iterable[str | None], instansi_id: int | None = None
) -> dict[str, ReferenceNode]:
    """Nodes of the active set (and the instansi's local codes) for the given codes and
    their ancestors, keyed by code."""
    wanted: set[str] = set()
    for code in codes:
        if code:
            wanted.add(code)
            wanted.update(ancestors(code))
    if not wanted:
        return {}
    active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
    conds = [ReferenceNode.set_id == active]
    if instansi_id is not None:
        conds.append((ReferenceNode.set_id.is_(None)) & (ReferenceNode.instansi_id == instansi_id))
    rows = session.execute(
        select(ReferenceNode).where(ReferenceNode.code.in_(wanted), or_(*conds))
    ).scalars()
    return {n.code: n for n in rows}


# -- detail -----------------------------------------------------------------------------------


@dataclass
class LinkedItem:
    kind: str
    id: int
    code: str
    name: str
    instansi_id: int
    owner_id: int | None
    status: str | None


@dataclass
class RelationView:
    relation_id: int
    type: str  # the name read from this item's side
    label: str
    label_en: str
    outgoing: bool
    other: LinkedItem


@dataclass
class ItemDetail:
    kind: str
    item: Any
    instansi: Instansi | None
    owner: Organisation | None
    units: dict[str, Organisation | None]
    reference_path: list[ReferenceNode]
    relations: list[RelationView]
    integrations: list[Any]
    integration_total: int
    data_sets: list[LinkedItem] = field(default_factory=list)
    endpoints: dict[str, LinkedItem | None] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    apps: dict[int, Any] = field(default_factory=dict)


def _linked(kind: str, obj: Any) -> LinkedItem:
    return LinkedItem(
        kind,
        obj.id,
        obj.code,
        obj.name,
        obj.instansi_id,
        getattr(obj, "owner_id", None),
        str(getattr(obj, "status", "") or "") or None,
    )


def get_detail(
    session: Session,
    kind: str,
    item_id: int,
    *,
    integration_limit: int = 100,
    principal: Principal = ANONYMOUS,
) -> ItemDetail:
    spec = get_kind(kind)
    obj: Any = session.get(spec.model, item_id)
    # An item the principal may not see does not exist for them.
    if obj is None or not can_see(principal, spec.key, obj):
        raise NotFound(
            f"{spec.label} dengan id {item_id} tidak ditemukan.",
            f"{spec.label_en} with id {item_id} not found.",
            field="id",
            value=item_id,
        )
    rels = list(
        session.execute(
            select(Relation).where(
                or_(
                    (Relation.source_kind == spec.key) & (Relation.source_id == item_id),
                    (Relation.target_kind == spec.key) & (Relation.target_id == item_id),
                )
            )
        ).scalars()
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    for r in rels:
        outgoing = r.source_kind == spec.key and r.source_id == item_id
        wanted[r.target_kind if outgoing else r.source_kind].add(
            r.target_id if outgoing else r.source_id
        )

    integrations: list[Any] = []
    total = 0
    stmt: Select[Any] | None = None
    if spec.key == "application":
        stmt = select(Integration).where(
            or_(Integration.provider_id == item_id, Integration.consumer_id == item_id)
        )
    elif spec.key == "dataset":
        carried = select(IntegrationDataSet.integration_id).where(
            IntegrationDataSet.data_set_id == item_id
        )
        stmt = select(Integration).where(Integration.id.in_(carried))
    elif spec.key == "infrastructure":
        stmt = select(Integration).where(Integration.intermediary_id == item_id)
    if stmt is not None:
        stmt = stmt.where(visible_clause(principal, "integration", Integration))
        total = session.execute(
            select(func.count()).select_from(stmt.with_only_columns(Integration.id).subquery())
        ).scalar_one()
        integrations = list(
            session.execute(stmt.order_by(Integration.code).limit(integration_limit)).scalars()
        )

    app_ids: set[int] = set(wanted.get("application", set()))
    data_set_links: list[LinkedItem] = []
    endpoints: dict[str, LinkedItem | None] = {}
    for integ in integrations:
        app_ids.update(i for i in (integ.provider_id, integ.consumer_id) if i)
    if spec.key == "integration":
        app_ids.update(i for i in (obj.provider_id, obj.consumer_id) if i)
        ds_ids = session.execute(
            select(IntegrationDataSet.data_set_id).where(
                IntegrationDataSet.integration_id == item_id
            )
        ).scalars()
        wanted["dataset"].update(ds_ids)
        if obj.intermediary_id:
            wanted["infrastructure"].add(obj.intermediary_id)
    if spec.key == "dataset" and obj.authoritative_application_id:
        app_ids.add(obj.authoritative_application_id)
    wanted["application"] = app_ids
    others = {
        k: {i: o for i, o in items_by_id(session, k, ids).items() if can_see(principal, k, o)}
        for k, ids in wanted.items()
    }

    views: list[RelationView] = []
    for r in rels:
        outgoing = r.source_kind == spec.key and r.source_id == item_id
        other_kind = r.target_kind if outgoing else r.source_kind
        other_obj = others[other_kind].get(r.target_id if outgoing else r.source_id)
        if other_obj is None:
            continue
        views.append(
            RelationView(
                r.id,  # type: ignore[arg-type]
                directional_name(r.type, outgoing),
                describe(r.type, outgoing),
                describe(r.type, outgoing, "en"),
                outgoing,
                _linked(other_kind, other_obj),
            )
        )
    views.sort(key=lambda v: (v.type, v.other.kind, v.other.name))

    if spec.key == "integration":
        apps = others["application"]
        endpoints = {
            "provider": _linked("application", apps[obj.provider_id])
            if obj.provider_id in apps
            else None,
            "consumer": _linked("application", apps[obj.consumer_id])
            if obj.consumer_id in apps
            else None,
            "intermediary": _linked("infrastructure", others["infrastructure"][obj.intermediary_id])
            if obj.intermediary_id in others.get("infrastructure", {})
            else None,
        }
        data_set_links = [_linked("dataset", d) for d in others.get("dataset", {}).values()]
        data_set_links.sort(key=lambda d: d.name)

    org_ids = {obj.owner_id, *(getattr(obj, f) for f in spec.unit_fields)}
    org_ids.update(o.owner_id for objs in others.values() for o in objs.values())
    orgs = organisations_by_id(session, org_ids)
    ref_path: list[ReferenceNode] = []
    if spec.is_domain and obj.reference_code:
        nodes = reference_nodes(session, [obj.reference_code], obj.instansi_id)
        ref_path = [
            nodes[c] for c in [*ancestors(obj.reference_code), obj.reference_code] if c in nodes
        ]
    return ItemDetail(
        kind=spec.key,
        item=obj,
        instansi=session.get(Instansi, obj.instansi_id),
        owner=orgs.get(obj.owner_id),
        units={f: orgs.get(getattr(obj, f)) for f in spec.unit_fields},
        reference_path=ref_path,
        relations=views,
        integrations=integrations,
        integration_total=total,
        data_sets=data_set_links,
        endpoints=endpoints,
        organisations=orgs,
        apps=others.get("application", {}),
    )


# -- search across kinds -------------------------------------------------------------------


@dataclass
class SearchHit:
    kind: str
    item: Any


def search_all(
    session: Session,
    q: str,
    *,
    instansi_id: int | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 20,
    principal: Principal = ANONYMOUS,
) -> Page:
    stmt = matching_entries(session, q, kind, principal)
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    if stmt is None:
        return Page([], 0, page, per_page)
    if instansi_id is not None:
        stmt = stmt.where(stmt.selected_columns.instansi_id == instansi_id)
    sub = stmt.subquery()
    total = session.execute(select(func.count()).select_from(sub)).scalar_one()
    rows = session.execute(
        select(sub.c.kind, sub.c.item_id)
        .order_by(sub.c.rank, sub.c.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    by_kind: dict[str, set[int]] = defaultdict(set)
    for k, i in rows:
        by_kind[k].add(i)
    objs = {k: items_by_id(session, k, ids) for k, ids in by_kind.items()}
    hits = [SearchHit(k, objs[k][i]) for k, i in rows if i in objs.get(k, {})]
    # Retired items stay findable, marked as such by the caller.
    return Page(hits, total, page, per_page)


__all__ = [
    "ItemDetail",
    "ItemFilter",
    "Page",
    "SQLModel",
    "count_items",
    "get_detail",
    "list_items",
    "search_all",
]
