"""Layered architecture of an OPD or a reference area: the six-domain picture an
architecture document needs."""

from __future__ import annotations

import networkx as nx

from diagrams.source import INTEGRATION
from diagrams.views.aggregation import oversized
from diagrams.views.common import MAX_NODES, Canvas, View, ViewError
from diagrams.views.landscape import owner_title
from diagrams.views.layered import draw_layers
from diagrams.views.reading import owned_by


def layers(g: nx.MultiDiGraph, owner: str | None = None, area: str | None = None) -> View:
    """The items of ``owner`` (an OPD code) and/or classified under reference ``area``
    (a code prefix such as ``RAA.01``), with the items they relate to in the other domains
    (hosting, data, services, controls), one box per domain. Without either, every local
    item. Integration partners, and other OPD's items using these, are left out.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("application:1", kind="application", label="SIMPEG", owner="BKD",
    ...            reference="RAA.02.01")
    >>> g.add_node("infrastructure:2", kind="infrastructure", label="Server", owner="KOMINFO")
    >>> g.add_node("application:3", kind="application", label="E-Kinerja", owner="BKD")
    >>> _ = g.add_edge("application:1", "infrastructure:2", "hosted_on")
    >>> layers(g, owner="BKD").nodes
    3
    >>> layers(g, area="RAA.02").nodes
    2
    >>> print(layers(g, owner="DINAS").note_en)
    Unit (OPD) 'DINAS' has no item registered (or visible to you).
    """
    seeds = sorted(
        n
        for n, attrs in g.nodes(data=True)
        if not attrs.get("national")
        and (owner is None or owned_by(attrs, owner))
        and (area is None or _under(attrs.get("reference"), area))
    )
    if area is not None and not seeds:
        raise ViewError(
            f"Tidak ada item yang diklasifikasikan di bawah area referensi '{area}'.",
            f"No item is classified under reference area '{area}'.",
        )
    chosen = set(seeds)
    if owner is not None or area is not None:
        # What the selected items use (their services, applications, data, hosting) and
        # the controls protecting them; not who uses them, nor integration partners.
        for node in seeds:
            chosen.update(v for _, v, key in g.out_edges(node, keys=True) if key != INTEGRATION)
            chosen.update(u for u, _, key in g.in_edges(node, keys=True) if key == "protects")
    parts = [owner_title(g, owner) if owner else None, f"area {area}" if area else None]
    scope = ", ".join(p for p in parts if p) or str(g.graph.get("title") or "seluruh katalog")
    scope_en = ", ".join(p for p in parts if p) or str(g.graph.get("title") or "whole catalogue")
    title = f"Arsitektur berlapis: {scope}"
    title_en = f"Layered architecture: {scope_en}"
    if len(chosen) > MAX_NODES:
        return oversized(g, chosen, name="layers", title=title, title_en=title_en, owner=owner)
    canvas = Canvas("layers", title, title_en)
    if owner is not None and not seeds:
        # An OPD page always has its diagram: an empty one that says why.
        return canvas.view(
            note=f"Perangkat daerah '{owner}' belum punya item yang terdaftar (atau yang boleh "
            "Anda lihat).",
            note_en=f"Unit (OPD) '{owner}' has no item registered (or visible to you).",
        )
    draw_layers(canvas, g, chosen)
    return canvas.view()


def _under(reference: object, area: str) -> bool:
    """
    >>> _under("RAA.01.02", "RAA.01"), _under("RAA.011", "RAA.01"), _under(None, "RAA")
    (True, False, False)
    """
    if not reference:
        return False
    ref = str(reference)
    return ref == area or ref.startswith(area.rstrip(".") + ".")
