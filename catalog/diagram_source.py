"""The catalogue as the labelled graph the diagrams read.

``diagrams`` never imports ``catalog`` (and ``catalog`` never imports ``diagrams``): this
module writes the shape documented in ``diagrams/source.py`` (string node keys
``"<kind>:<id>"``, plain attributes, one ``integration`` edge per integration from
provider to consumer) from a :class:`~catalog.analysis.snapshot.Snapshot`. The web app
and the CLI pass the result to the views.

What the catalogue judges is judged here, once, with the analysis code: whether an
integration runs through the SPL (:func:`catalog.analysis.integration.bypass_reason`),
which items open findings name (``flags``).

It lives outside :mod:`catalog.analysis` on purpose: the analysis cache is keyed by the
source of that package, and a change to how diagrams are fed must not make every cached
finding stale.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import networkx as nx

from catalog.analysis.integration import bypass_reason
from catalog.analysis.snapshot import Item, NodeKey, Snapshot, Unit

# Kinds drawn as nodes; integrations become edges.
NODE_KINDS = ("process", "service", "application", "dataset", "infrastructure", "security")

Flags = Mapping[NodeKey, Sequence[str]]


def node_key(kind: str, item_id: int) -> str:
    """The node key of an item (the same as ``diagrams.source.node_id``).

    >>> node_key("application", 12)
    'application:12'
    """
    return f"{kind}:{item_id}"


def _reference_name(snapshot: Snapshot, item: Item, code: str | None) -> str | None:
    if not code:
        return None
    ref = snapshot.references.get(code) or snapshot.local_references.get((item.instansi_id, code))
    return ref.name if ref else None


def _area(code: str | None) -> str | None:
    """The reference area a code lies in: its first two parts (``RAA.02.01`` → ``RAA.02``)."""
    return ".".join(code.split(".")[:2]) if code else None


def _unit_chain(snapshot: Snapshot, unit_id: int | None) -> tuple[Unit, ...]:
    """A unit and every unit above it, nearest first."""
    chain: list[Unit] = []
    while unit_id is not None and (unit := snapshot.units.get(unit_id)) is not None:
        if unit in chain:
            break  # a cycle in bad data must not hang a diagram
        chain.append(unit)
        unit_id = unit.parent_id
    return tuple(chain)


def _node_attrs(
    snapshot: Snapshot, item: Item, flags: Flags, url: Callable[[str, int], str | None] | None
) -> dict[str, object]:
    chain = _unit_chain(snapshot, item.owner_id)
    unit = chain[0] if chain else None
    opd = chain[-1] if chain else None
    place = snapshot.places.get(item.instansi_id)
    attrs: dict[str, object] = {
        "kind": item.kind,
        "label": item.name,
        "code": item.code,
        "owner": unit.code if unit else None,
        "owner_name": (unit.short_name or unit.name) if unit else None,
        # The OPD an item belongs to is its owner's top-level unit: a Puskesmas's
        # applications are Dinas Kesehatan's too.
        "opd": opd.code if opd else None,
        "opd_name": (opd.short_name or opd.name) if opd else None,
        "units": tuple(u.code for u in chain),
        "instansi": place.code if place else None,
        "instansi_name": place.name if place else None,
        "status": "retired" if item.retired else item.status,
        "reference": item.reference_code,
        "reference_name": _reference_name(snapshot, item, item.reference_code),
        # The area (first level under the scheme) and its name: views group by it.
        "area_name": _reference_name(snapshot, item, _area(item.reference_code)),
        "national": bool(place and place.is_central),
        "flags": tuple(sorted(set(flags.get(item.key, ())))),
        "url": url(item.kind, item.id) if url else None,
    }
    if item.kind == "infrastructure":
        attrs["infra_type"] = item.attrs.get("infra_type")
    return attrs


def diagram_source(
    snapshot: Snapshot,
    *,
    flags: Flags | None = None,
    url: Callable[[str, int], str | None] | None = None,
    hidden: Collection[NodeKey] = (),
    title: str = "",
) -> nx.MultiDiGraph:
    """Every item of the snapshot a reader may see (national context included), its
    relations, and its integrations as provider → consumer edges.

    ``flags`` names the rule ids of open findings per item; ``url`` gives an item's page;
    ``hidden`` lists items the reader may not see: they and their edges are left out.

    >>> from catalog.analysis.snapshot import Link
    >>> s = Snapshot.build(
    ...     [
    ...         Item("service", 1, "LY-1", "Izin usaha", 10),
    ...         Item("application", 2, "APL-1", "SiCantik", 10),
    ...         Item("application", 3, "APL-2", "SIAK Lokal", 10),
    ...         Item("integration", 4, "INT-1", "NIK", 10,
    ...              attrs={"provider_id": 3, "consumer_id": 2, "intermediary_id": None}),
    ...     ],
    ...     links=[Link("delivered_by", ("service", 1), ("application", 2))],
    ... )
    >>> g = diagram_source(s, flags={("integration", 4): ["integration.point_to_point"]})
    >>> sorted(g.nodes)
    ['application:2', 'application:3', 'service:1']
    >>> for edge in sorted(g.edges(keys=True)):
    ...     print(*edge)
    application:3 application:2 integration
    service:1 application:2 delivered_by
    >>> e = g.edges["application:3", "application:2", "integration"]
    >>> e["through_spl"], e["flags"]
    (False, ('integration.point_to_point',))
    """
    flags = flags or {}
    hide = set(hidden)
    g = nx.MultiDiGraph(title=title)
    items = snapshot.items
    g.add_nodes_from(
        (node_key(item.kind, item.id), _node_attrs(snapshot, item, flags, url))
        for key, item in items.items()
        if item.kind in NODE_KINDS and key not in hide
    )
    g.add_edges_from(
        (node_key(*link.source), node_key(*link.target), link.type, {})
        for link in snapshot.links
        if link.source in items
        and link.target in items
        and link.source not in hide
        and link.target not in hide
    )
    for key, item in items.items():
        if item.kind != "integration" or key in hide:
            continue
        attrs = item.attrs
        provider, consumer = attrs.get("provider_id"), attrs.get("consumer_id")
        if provider is None or consumer is None:
            continue  # an external consumer is not drawn as a node
        ends = (("application", provider), ("application", consumer))
        if any(end not in items or end in hide for end in ends):
            continue
        via = attrs.get("intermediary_id")
        data = sorted(
            items[("dataset", d)].name
            for d in attrs.get("data_set_ids", ())
            if ("dataset", d) in items and ("dataset", d) not in hide
        )
        g.add_edge(
            node_key(*ends[0]),
            node_key(*ends[1]),
            "integration",
            code=item.code,
            label=item.name,
            via=node_key("infrastructure", via) if via is not None else None,
            through_spl=bypass_reason(item, items) is None,
            confirmed=bool(attrs.get("confirmed_by_provider"))
            and bool(attrs.get("confirmed_by_consumer")),
            status="retired" if item.retired else item.status,
            flags=tuple(sorted(set(flags.get(key, ())))),
            data=tuple(data),
            url=url(item.kind, item.id) if url else None,
        )
    return g


__all__ = ["NODE_KINDS", "diagram_source", "node_key"]
