"""Reading the source graph (``diagrams/source.py``): what an item is, whom it belongs to,
how an edge is drawn, what lies around a node."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from diagrams.source import INTEGRATION


def is_flagged(attrs: Mapping[str, Any]) -> bool:
    return bool(attrs.get("flags"))


def is_spl(attrs: Mapping[str, Any]) -> bool:
    return attrs.get("kind") == "infrastructure" and attrs.get("infra_type") == "spl"


def owned_by(attrs: Mapping[str, Any], unit: str) -> bool:
    """Whether an item belongs to ``unit`` or to a unit under it: ``units`` lists the
    owner and every unit above it (without it, the owner alone counts).

    >>> owned_by({"owner": "1.02.01", "units": ("1.02.01", "1.02")}, "1.02")
    True
    >>> owned_by({"owner": "1.03"}, "1.02")
    False
    """
    return unit in (attrs.get("units") or (attrs.get("owner"),))


def opd_of(attrs: Mapping[str, Any]) -> tuple[Any, Any]:
    """The code and name of the OPD (top-level unit) an item belongs to.

    >>> opd_of({"owner": "1.02.01", "owner_name": "Puskesmas", "opd": "1.02",
    ...         "opd_name": "Dinas Kesehatan"})
    ('1.02', 'Dinas Kesehatan')
    >>> opd_of({"owner": "BKD", "owner_name": "Badan Kepegawaian"})
    ('BKD', 'Badan Kepegawaian')
    """
    if attrs.get("opd"):
        return attrs["opd"], attrs.get("opd_name")
    return attrs.get("owner"), attrs.get("owner_name")


def edge_kind(key: str, attrs: Mapping[str, Any]) -> list[str]:
    """The edge styles an edge combines: its route, then modifiers.

    >>> edge_kind("integration", {"through_spl": False, "confirmed": False})
    ['p2p', 'unconfirmed']
    >>> edge_kind("protects", {})
    ['security']
    """
    if key != INTEGRATION:
        return ["security" if key == "protects" else "relation"]
    styles = ["spl" if attrs.get("through_spl") else "p2p"]
    if attrs.get("confirmed") is False:
        styles.append("unconfirmed")
    if attrs.get("flags"):
        styles.append("gap")
    return styles


def sorted_edges(g: nx.MultiDiGraph, nodes: set[str]) -> list[tuple[str, str, str]]:
    """The edges of ``g`` between ``nodes``, in a stable order."""
    return sorted((u, v, str(k)) for u, v, k in g.subgraph(nodes).edges(keys=True))


def neighbourhood(g: nx.MultiDiGraph, start: str, depth: int) -> dict[str, int]:
    """Every node within ``depth`` steps of ``start`` (edges in either direction), with its
    distance.

    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> neighbourhood(g, "a", 2)
    {'a': 0, 'b': 1, 'c': 2}
    """
    undirected = g.to_undirected(as_view=True)
    found = nx.single_source_shortest_path_length(undirected, start, cutoff=depth)
    return dict(sorted(found.items(), key=lambda kv: (kv[1], kv[0])))
