"""The catalogue as a NetworkX graph.

One node per item, keyed ``(kind, id)`` and carrying the :class:`~catalog.analysis.snapshot.Item`
as ``item``. Edges run in the stored direction, keyed by type: relations as registered
(``delivered_by``, ``hosted_on``…), and four edges per integration, whose item is a node of
its own: ``from`` its provider, ``to`` its consumer, ``via`` its intermediary (the SPL) and
``carries`` each data set. Inverse names come from :mod:`catalog.relation_types`, so both
directions are derivable from one edge.

:func:`dependencies` turns that into "who needs whom": an edge ``a → b`` when ``a`` stops
working if ``b`` does. Impact analysis walks it backwards.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from catalog.analysis.snapshot import NodeKey, Snapshot

# Which end of an edge depends on the other: "source" (the source needs the target),
# "target" (the target needs the source) or None (no dependency: protection, succession).
DEPENDENT_END: dict[str, str | None] = {
    "supported_by": "source",  # a process needs the services supporting it
    "delivered_by": "source",  # a service needs its application
    "reads": "source",  # an application needs the data it reads
    "produces": "target",  # a data set needs the application producing it
    "uses_data": "source",
    "hosted_on": "source",  # anything needs its host
    "depends_on": "source",
    "part_of": "target",  # a whole needs its parts
    "channel_of": "source",  # a mobile channel needs its product
    "protects": None,
    "replaces": None,
    # integrations (see module docstring)
    "from": "source",  # the integration needs its provider
    "via": "source",  # … and the bus it runs through
    "carries": "source",  # … and the data it carries
    "to": "target",  # the consumer needs the integration
}


def build_graph(snapshot: Snapshot) -> nx.MultiDiGraph:
    """Every item of the snapshot (national context included) and every edge between them.

    >>> from catalog.analysis.snapshot import Item, Link
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
    >>> g = build_graph(s)
    >>> sorted((u[1], v[1], k) for u, v, k in g.edges(keys=True))
    [(1, 2, 'delivered_by'), (4, 2, 'to'), (4, 3, 'from')]
    """
    g = nx.MultiDiGraph()
    nodes = snapshot.items
    g.add_nodes_from((key, {"item": item}) for key, item in nodes.items())
    # Edges in bulk (add_edges_from): one call per edge costs twice as much.
    edges = [
        (link.source, link.target, link.type)
        for link in snapshot.links
        if link.source in nodes and link.target in nodes
    ]
    for item in nodes.values():
        if item.kind != "integration":
            continue
        ends = (
            ("from", "application", item.attrs.get("provider_id")),
            ("to", "application", item.attrs.get("consumer_id")),
            ("via", "infrastructure", item.attrs.get("intermediary_id")),
        )
        for edge, kind, other in ends:
            if other is not None and (kind, other) in nodes:
                edges.append((item.key, (kind, other), edge))
        for data_set_id in item.attrs.get("data_set_ids", ()):
            if ("dataset", data_set_id) in nodes:
                edges.append((item.key, ("dataset", data_set_id), "carries"))
    g.add_edges_from(edges)
    return g


def dependencies(g: nx.MultiDiGraph) -> nx.DiGraph:
    """``a → b`` when ``a`` needs ``b`` (see :data:`DEPENDENT_END`).

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge(("service", 1), ("application", 2), key="delivered_by")
    'delivered_by'
    >>> g.add_edge(("application", 2), ("dataset", 3), key="produces")
    'produces'
    >>> sorted(dependencies(g).edges())
    [(('dataset', 3), ('application', 2)), (('service', 1), ('application', 2))]
    """
    dep = nx.DiGraph()
    dep.add_nodes_from(g.nodes)
    dep.add_edges_from(
        (u, v) if DEPENDENT_END[kind] == "source" else (v, u)
        for u, v, kind in g.edges(keys=True)
        if DEPENDENT_END.get(kind)
    )
    return dep


def impact(dep: nx.DiGraph, node: NodeKey) -> set[NodeKey]:
    """Everything that stops working, directly or not, when ``node`` does.

    >>> dep = nx.DiGraph([(("process", 1), ("service", 2)), (("service", 2), ("application", 3))])
    >>> sorted(impact(dep, ("application", 3)))
    [('process', 1), ('service', 2)]
    """
    if node not in dep:
        return set()
    return nx.ancestors(dep, node)


def restricted(
    g: nx.MultiDiGraph, instansi_ids: Iterable[int] | None = None, unit_ids: Iterable[int] = ()
) -> nx.MultiDiGraph:
    """The part of the graph owned by some instansi and/or units (a view, not a copy)."""
    places = set(instansi_ids) if instansi_ids is not None else None
    units = set(unit_ids)

    def keep(node: NodeKey) -> bool:
        item = g.nodes[node]["item"]
        if places is not None and item.instansi_id not in places:
            return False
        return not units or item.owner_id in units

    return nx.subgraph_view(g, filter_node=keep)


__all__ = ["DEPENDENT_END", "build_graph", "dependencies", "impact", "restricted"]
