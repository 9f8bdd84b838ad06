"""What a diagram is drawn from, read from the database.

Every view reads the labelled graph of :mod:`catalog.diagram_source`; this module
loads it for one instansi (its national context included), with the open findings that
flag items and without what the reader may not see, and reads the other inputs a view
needs: an item named ``KIND:CODE``, a finding's members, an item's impact, the reference
tree with counts, and per-instansi totals for the national aggregate.

Diagrams are drawn for one instansi at a time: a city's snapshot loads in a fraction of a
second, and the national picture is an aggregate of counts (:func:`instansi_totals`), never
a national snapshot per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from sqlalchemy import and_, func, not_, select
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.analysis.integration import BYPASS_MECHANISMS
from catalog.analysis.snapshot import NodeKey
from catalog.diagram_source import NODE_KINDS, diagram_source, node_key
from catalog.enums import InstansiKind
from catalog.errors import InvalidInput, NotFound
from catalog.kinds import KIND_OF_SCHEME, KINDS, get_kind
from catalog.models import (
    AnalysisFinding,
    AnalysisSubject,
    Instansi,
    Integration,
    ReferenceNode,
    ReferenceSet,
)
from catalog.queries.findings.filters import PENDING, FindingFilter, filtered
from catalog.queries.impact import impact
from catalog.queries.snapshot import load_snapshot
from catalog.references import SCHEMES

Url = Callable[[str, int], str | None]


@dataclass(frozen=True)
class ItemRef:
    kind: str
    id: int
    code: str
    name: str
    instansi_id: int

    @property
    def node(self) -> str:
        return node_key(self.kind, self.id)


def find_item(session: Session, ref: str, instansi_id: int | None = None) -> ItemRef:
    """The item named ``KIND:CODE`` (``application:APL-0012``, ``aplikasi:APL-0012``) or
    ``KIND:ID`` (``application:12``). A code is unique per instansi and kind: without an
    instansi, a code found in several instansi asks for one."""
    kind_text, sep, code = ref.partition(":")
    if not sep or not code.strip():
        raise InvalidInput(
            f"Item '{ref}' tidak dikenali: tulis JENIS:KODE, mis. application:APL-0001.",
            f"Item '{ref}' not understood: write KIND:CODE, e.g. application:APL-0001.",
            field="item",
            value=ref,
        )
    spec = get_kind(kind_text.strip().lower())
    model: Any = spec.model
    code = code.strip()
    columns = (model.id, model.code, model.name, model.instansi_id)
    stmt = select(*columns).where(model.code == code)
    if instansi_id is not None:
        rows = session.execute(stmt.where(model.instansi_id == instansi_id).limit(2)).all()
        if not rows:
            # The national systems (SRIKANDI, SIPD…) are part of every instansi's picture.
            central = select(Instansi.id).where(Instansi.kind == InstansiKind.PUSAT)
            rows = session.execute(stmt.where(model.instansi_id.in_(central)).limit(2)).all()
    else:
        rows = session.execute(stmt.limit(2)).all()
    if not rows and code.isdigit():
        rows = session.execute(select(*columns).where(model.id == int(code))).all()
    if len(rows) > 1:
        raise InvalidInput(
            f"Kode '{code}' dipakai di lebih dari satu instansi: sebutkan instansinya "
            "(--instansi KODE).",
            f"Code '{code}' is used in more than one instansi: name the instansi "
            "(--instansi CODE).",
            field="item",
            value=ref,
        )
    if not rows:
        raise NotFound(
            f"{spec.label} dengan kode '{code}' tidak ditemukan.",
            f"No {spec.key} with code '{code}'.",
            field="item",
            value=ref,
        )
    id_, code_, name, inst = rows[0]
    return ItemRef(spec.key, id_, code_, name, inst)


def open_flags(
    session: Session, principal: Principal, instansi_ids: Sequence[int]
) -> dict[NodeKey, list[str]]:
    """Rule ids of the findings still needing attention (open or reopened), per item."""
    flt = FindingFilter(principal=principal, instansi_ids=list(instansi_ids), state=PENDING)
    finding_ids = filtered(session, flt, AnalysisFinding.id).subquery()
    stmt = (
        select(AnalysisSubject.kind, AnalysisSubject.item_id, AnalysisFinding.rule)
        .join(AnalysisFinding, AnalysisFinding.id == AnalysisSubject.finding_id)
        .where(AnalysisSubject.finding_id.in_(select(finding_ids.c.id)))
    )
    flags: dict[NodeKey, list[str]] = {}
    for kind, item_id, rule in session.execute(stmt):
        flags.setdefault((kind, item_id), []).append(rule)
    return flags


def hidden_items(
    session: Session, principal: Principal, instansi_ids: Iterable[int]
) -> set[NodeKey]:
    """Items of these instansi the principal may not see."""
    if principal.is_admin or principal.read_all:
        return set()
    wanted = sorted(set(instansi_ids))
    hidden: set[NodeKey] = set()
    for kind, spec in KINDS.items():
        model: Any = spec.model
        stmt = select(model.id).where(
            model.instansi_id.in_(wanted), not_(visible_clause(principal, kind, model))
        )
        hidden.update((kind, id_) for id_ in session.execute(stmt).scalars())
    return hidden


def catalogue_graph(
    session: Session,
    principal: Principal,
    instansi_id: int,
    *,
    url: Url | None = None,
    unit_url: Callable[[int], str] | None = None,
) -> nx.MultiDiGraph:
    """One instansi's catalogue (with the national context) as the diagrams read it;
    ``unit_url`` gives an OPD's page (summaries link their OPD boxes to it)."""
    place = session.get(Instansi, instansi_id)
    if place is None:
        raise NotFound(
            f"Instansi dengan id {instansi_id} tidak ditemukan.",
            f"Instansi with id {instansi_id} not found.",
            field="instansi",
            value=instansi_id,
        )
    snapshot = load_snapshot(session, [instansi_id])
    flags = open_flags(session, principal, [instansi_id])
    hidden = hidden_items(session, principal, {i.instansi_id for i in snapshot.items.values()})
    g = diagram_source(snapshot, flags=flags, url=url, hidden=hidden, title=place.name)
    g.graph["instansi"] = place.code
    if unit_url is not None:
        g.graph["unit_urls"] = {
            unit.code: unit_url(unit.id)
            for unit in snapshot.units.values()
            if unit.instansi_id == instansi_id
        }
    return g


def finding_members(session: Session, principal: Principal, finding_id: int) -> list[str]:
    """The node keys of the items a finding names (a duplicate cluster's members)."""
    flt = FindingFilter(principal=principal, state="all")
    visible = filtered(session, flt, AnalysisFinding.id).where(AnalysisFinding.id == finding_id)
    if session.execute(visible).first() is None:
        raise NotFound(
            f"Temuan {finding_id} tidak ditemukan.",
            f"Finding {finding_id} not found.",
            field="finding",
            value=finding_id,
        )
    rows = session.execute(
        select(AnalysisSubject.kind, AnalysisSubject.item_id)
        .where(AnalysisSubject.finding_id == finding_id)
        .order_by(AnalysisSubject.kind, AnalysisSubject.item_id)
    )
    return [node_key(kind, item_id) for kind, item_id in rows if kind in NODE_KINDS]


def finding_instansi(session: Session, finding_id: int) -> int | None:
    return session.execute(
        select(AnalysisFinding.instansi_id).where(AnalysisFinding.id == finding_id)
    ).scalar()


def impact_distances(session: Session, item: ItemRef) -> dict[str, int]:
    """Every item depending on ``item``, transitively, by node key → distance."""
    result = impact(session, item.kind, item.id)
    return {node_key(r.kind, r.id): r.distance for r in result.reached if r.kind in NODE_KINDS}


def reference_tree(
    session: Session, scheme: str = "RAA", instansi_id: int | None = None
) -> nx.DiGraph:
    """One scheme's reference tree (active set, plus the instansi's own codes), each node
    with ``count``: the live items classified at that code or anywhere under it."""
    scheme = scheme.upper()
    if scheme not in SCHEMES:
        raise InvalidInput(
            f"Skema referensi '{scheme}' tidak dikenal. Pilihan: {', '.join(SCHEMES)}.",
            f"Unknown reference scheme '{scheme}'. Choose one of: {', '.join(SCHEMES)}.",
            field="scheme",
            value=scheme,
        )
    active = session.execute(
        select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True))
    ).scalar()
    own = and_(ReferenceNode.set_id.is_(None), ReferenceNode.instansi_id == (instansi_id or -1))
    nodes = session.execute(
        select(
            ReferenceNode.code, ReferenceNode.name, ReferenceNode.level, ReferenceNode.parent_code
        )
        .where(ReferenceNode.scheme == scheme)
        .where((ReferenceNode.set_id == (active or -1)) | own)
        .order_by(ReferenceNode.code)
    ).all()
    counts: Counter[str] = Counter()
    kind = KIND_OF_SCHEME.get(scheme)
    if kind:
        model: Any = KINDS[kind].model
        stmt = (
            select(model.reference_code, func.count())
            .where(model.retired_at.is_(None), model.reference_code.startswith(scheme + "."))
            .group_by(model.reference_code)
        )
        if instansi_id is not None:
            stmt = stmt.where(model.instansi_id == instansi_id)
        for code, n in session.execute(stmt):
            parts = code.split(".")
            # A code counts for itself and every ancestor ("RAA.01.02" → RAA.01, RAA.01.02).
            for depth in range(2, len(parts) + 1):
                counts[".".join(parts[:depth])] += n
    tree = nx.DiGraph(scheme=scheme)
    for code, name, level, _parent in nodes:
        tree.add_node(code, name=name, level=level, count=counts.get(code, 0))
    for code, _name, _level, parent in nodes:
        if parent and parent in tree:
            tree.add_edge(parent, code)
    return tree


@dataclass
class InstansiTotals:
    """What the national aggregate draws: items per instansi and kind, and integrations
    between instansi (through an SPL or not)."""

    names: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id → code, name, kind
    items: dict[int, Counter[str]] = field(default_factory=dict)
    links: Counter[tuple[int, int, bool]] = field(default_factory=Counter)


def instansi_totals(session: Session, principal: Principal) -> InstansiTotals:
    """Counts per instansi for the national aggregate, with one grouped query per kind."""
    totals = InstansiTotals()
    for id_, code, name, kind in session.execute(
        select(Instansi.id, Instansi.code, Instansi.name, Instansi.kind)
    ):
        totals.names[id_] = (code, name, str(getattr(kind, "value", kind)))
        totals.items[id_] = Counter()
    for kind in NODE_KINDS:
        model: Any = KINDS[kind].model
        stmt = (
            select(model.instansi_id, func.count())
            .where(model.retired_at.is_(None), visible_clause(principal, kind, model))
            .group_by(model.instansi_id)
        )
        for inst, n in session.execute(stmt):
            totals.items.setdefault(inst, Counter())[kind] = n
    provider = KINDS["application"].model
    consumer: Any = provider.__table__.alias("consumer")  # type: ignore[attr-defined]
    p: Any = provider.__table__.alias("provider")  # type: ignore[attr-defined]
    # Through an SPL as catalog.analysis.integration.bypass_reason judges it: an
    # intermediary and a mechanism a bus can carry.
    through = and_(
        Integration.intermediary_id.is_not(None),
        Integration.mechanism.not_in(sorted(BYPASS_MECHANISMS)),
    )
    stmt = (
        select(p.c.instansi_id, consumer.c.instansi_id, through, func.count())
        .join(p, p.c.id == Integration.provider_id)
        .join(consumer, consumer.c.id == Integration.consumer_id)
        .where(Integration.retired_at.is_(None))
        .group_by(p.c.instansi_id, consumer.c.instansi_id, through)
    )
    for a, b, via_spl, n in session.execute(stmt):
        totals.links[(a, b, bool(via_spl))] += n
    return totals


__all__ = [
    "InstansiTotals",
    "ItemRef",
    "catalogue_graph",
    "find_item",
    "finding_instansi",
    "finding_members",
    "hidden_items",
    "impact_distances",
    "instansi_totals",
    "open_flags",
    "reference_tree",
]
