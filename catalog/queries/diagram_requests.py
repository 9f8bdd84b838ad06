"""One diagram request, checked and read: which view, of what, from which catalogue.

``katalog diagram`` and ``/api/v1/diagrams/{view}.{format}`` take the same
:class:`DiagramParams`; :func:`diagram_input` checks them (every error names its option)
and reads, through :mod:`catalog.queries.diagrams`, the arguments of the view's function
in ``diagrams.views``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from sqlmodel import Session

from catalog.access import Principal
from catalog.errors import InvalidInput, NotFound
from catalog.models import AnalysisFinding
from catalog.queries.diagrams import (
    InstansiTotals,
    ItemRef,
    Url,
    catalogue_graph,
    find_item,
    finding_instansi,
    finding_members,
    impact_distances,
    instansi_totals,
    reference_tree,
)
from catalog.queries.findings.filters import FindingFilter, filtered
from catalog.queries.scope import find_organisation, resolve_instansi

VIEW_NAMES = (
    "context",
    "landscape",
    "integration",
    "layers",
    "duplicates",
    "impact",
    "coverage",
    "aggregate",
)
MAX_DEPTH = 4


@dataclass(frozen=True)
class DiagramParams:
    """What a diagram request names, as ``katalog diagram`` options and API parameters."""

    instansi: str | None = None
    opd: str | None = None
    item: str | None = None  # KIND:CODE
    depth: int = 1
    finding: int | None = None
    area: str | None = None
    scheme: str = "RAA"


@dataclass
class DiagramInput:
    """What to draw: a view's name and the arguments of its function in
    ``diagrams.views`` (graph first), plus a name for files (``landscape-35.78-1.02``)."""

    view: str
    args: dict[str, Any]
    slug: str


def _need(value: Any, option: str, view: str) -> None:
    if value in (None, ""):
        raise InvalidInput(
            f"Diagram '{view}' memerlukan {option}.",
            f"The '{view}' diagram needs {option}.",
            field=option.lstrip("-").split()[0],
        )


def diagram_input(
    session: Session,
    principal: Principal,
    view: str,
    params: DiagramParams,
    *,
    url: Url | None = None,
    unit_url: Callable[[int], str] | None = None,
) -> DiagramInput:
    """Check a diagram request and read what its view draws. Errors name the option."""
    instansi, opd, item, depth = params.instansi, params.opd, params.item, params.depth
    finding, area, scheme = params.finding, params.area, params.scheme

    if view not in VIEW_NAMES:
        raise InvalidInput(
            f"Diagram '{view}' tidak dikenal. Pilihan: {', '.join(VIEW_NAMES)}.",
            f"Unknown diagram '{view}'. Choose one of: {', '.join(VIEW_NAMES)}.",
            field="view",
            value=view,
        )
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput(
            f"Kedalaman {depth} di luar batas 1–{MAX_DEPTH}.",
            f"Depth {depth} is outside 1–{MAX_DEPTH}.",
            field="depth",
            value=depth,
        )
    place = resolve_instansi(session, instansi) if instansi else None
    ref = find_item(session, item, place.id if place else None) if item else None
    if view in ("context", "impact"):
        _need(ref, "--item JENIS:KODE", view)
    if view == "coverage":
        inst_id = place.id if place else None
        tree = reference_tree(session, scheme, inst_id)
        title = f"{scheme.upper()} — {place.name if place else 'semua instansi'}"
        return DiagramInput(
            view, {"tree": tree, "title": title}, _slug(view, place.code if place else "", scheme)
        )
    if view == "aggregate" and place is None and opd is None:
        return DiagramInput(
            view, {"g": totals_graph(instansi_totals(session, principal)), "by": "instansi"}, view
        )
    if view == "duplicates" and finding is None:
        _need(ref, "--finding ID atau --item JENIS:KODE", view)
        finding = _duplicate_finding_of(session, principal, ref)  # type: ignore[arg-type]
    if view == "duplicates":
        inst_id = finding_instansi(session, finding)  # type: ignore[arg-type]
        members = finding_members(session, principal, finding)  # type: ignore[arg-type]
    else:
        inst_id = place.id if place else None
    if inst_id is None and ref is not None:
        inst_id = ref.instansi_id
    if inst_id is None:
        found = resolve_instansi(session, None, required=True)
        inst_id = found.id  # type: ignore[union-attr]
    unit = find_organisation(session, inst_id, opd) if opd else None
    if view == "landscape":
        _need(unit, "--opd KODE", view)
    g = catalogue_graph(session, principal, inst_id, url=url, unit_url=unit_url)
    if ref is not None and ref.node not in g:
        raise NotFound(
            f"{ref.code} tidak terlihat di katalog instansi ini.",
            f"{ref.code} is not visible in this instansi's catalogue.",
            field="item",
            value=item,
        )
    args: dict[str, Any] = {"g": g}
    if view == "context":
        args.update(item=ref.node, depth=depth)  # type: ignore[union-attr]
    elif view == "impact":
        args.update(item=ref.node, reached=impact_distances(session, ref))  # type: ignore[arg-type]
    elif view == "landscape":
        args.update(owner=unit.code)  # type: ignore[union-attr]
    elif view == "layers":
        args.update(owner=unit.code if unit else None, area=area or None)
    elif view == "duplicates":
        args.update(members=members)
    elif view == "integration" and unit is not None:
        args.update(owner=unit.code)
    elif view == "aggregate":
        args.update(by="owner")
    detail = (
        ref.code if ref else unit.code if unit else area or (f"temuan-{finding}" if finding else "")
    )
    return DiagramInput(view, args, _slug(view, str(g.graph.get("instansi") or ""), detail))


def _slug(view: str, *parts: str) -> str:
    """A file name: ``landscape-35.78-1.02``."""
    return "-".join(p for p in (view, *parts) if p)


def _duplicate_finding_of(session: Session, principal: Principal, ref: ItemRef) -> int:
    flt = FindingFilter(principal=principal, item=(ref.kind, ref.id), state="all")
    stmt = (
        filtered(session, flt, AnalysisFinding.id)
        .where(AnalysisFinding.family == "duplicate")
        .order_by(AnalysisFinding.id)
    )
    found = session.execute(stmt.limit(1)).scalar()
    if found is None:
        raise NotFound(
            f"{ref.code} tidak termasuk kelompok duplikat mana pun.",
            f"{ref.code} is in no duplicate cluster.",
            field="item",
            value=f"{ref.kind}:{ref.code}",
        )
    return int(found)


def totals_graph(totals: InstansiTotals) -> nx.MultiDiGraph:
    """The national picture as a labelled graph the aggregate view reads: one node per
    instansi (``weight`` = its live items, ``counts`` per kind) and one ``integration`` edge
    per pair and route (``weight`` = how many)."""
    g = nx.MultiDiGraph(title="Nasional")
    for inst, (code, name, kind) in sorted(totals.names.items()):
        counts = totals.items.get(inst, Counter())
        if not sum(counts.values()):
            continue
        g.add_node(
            f"instansi:{inst}",
            kind="instansi",
            label=name,
            code=code,
            instansi=code,
            instansi_name=name,
            national=kind == "pusat",
            weight=sum(counts.values()),
            counts=dict(sorted(counts.items())),
            flags=(),
        )
    for (a, b, via_spl), n in sorted(totals.links.items()):
        u, v = f"instansi:{a}", f"instansi:{b}"
        if u in g and v in g:
            g.add_edge(u, v, "integration", through_spl=via_spl, confirmed=True, weight=n, flags=())
    return g


__all__ = [
    "MAX_DEPTH",
    "VIEW_NAMES",
    "DiagramInput",
    "DiagramParams",
    "diagram_input",
    "totals_graph",
]
