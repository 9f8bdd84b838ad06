"""Context: one item's neighbourhood across the six domains, drawn in layers."""

from __future__ import annotations

import networkx as nx

from diagrams.views.aggregation import oversized
from diagrams.views.common import MAX_NODES, Canvas, View, ViewError, require_item
from diagrams.views.labels import item_name, number
from diagrams.views.layered import draw_layers
from diagrams.views.reading import neighbourhood

# A deeper neighbourhood than this is drawn one step shallower (and says so): at depth 2
# a hub application reaches hundreds of items, a picture metres wide.
READABLE = 120


def context(g: nx.MultiDiGraph, item: str, depth: int = 1) -> View:
    """The items within ``depth`` steps of ``item`` (relations and integrations, either
    direction), in layers, the item itself emphasised.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("service:1", kind="service", label="Izin usaha", code="LY-1")
    >>> g.add_node("application:2", kind="application", label="SiCantik", code="APL-1")
    >>> g.add_node("dataset:3", kind="dataset", label="Pemohon", code="DS-1")
    >>> _ = g.add_edge("service:1", "application:2", "delivered_by")
    >>> _ = g.add_edge("application:2", "dataset:3", "produces")
    >>> v = context(g, "service:1")
    >>> v.nodes, v.edges, v.title
    (2, 1, 'Konteks: Izin usaha (LY-1)')
    >>> context(g, "service:1", depth=2).nodes
    3
    >>> context(g, "service:1", depth=3).note
    '2 item dalam 3 langkah.'
    >>> try:
    ...     context(g, "service:9")
    ... except ViewError as e:
    ...     print(e.message)
    Item 'service:9' tidak ada di katalog yang digambar.
    """
    require_item(g, item)
    if depth < 1:
        raise ViewError(
            f"Kedalaman konteks harus 1 atau lebih (diberikan {depth}).",
            f"The context depth must be 1 or more (got {depth}).",
        )
    asked, near = depth, neighbourhood(g, item, depth)
    reached = len(near) - 1
    while depth > 1 and len(near) > READABLE:
        depth -= 1
        near = neighbourhood(g, item, depth)
    who = item_name(g.nodes[item], item)
    title = f"Konteks: {who}" + (f", kedalaman {depth}" if depth > 1 else "")
    title_en = f"Context: {who}" + (f", depth {depth}" if depth > 1 else "")
    if len(near) > MAX_NODES:
        return oversized(g, near, name="context", title=title, title_en=title_en, hubs=near)
    canvas = Canvas("context", title, title_en)
    draw_layers(canvas, g, near, focus={item}, named_edges=len(near) <= 40)
    note = note_en = None
    if depth < asked:
        note = (
            f"Kedalaman {asked} mencakup {number(reached)} item, terlalu banyak untuk dibaca; "
            f"digambar kedalaman {depth} ({number(len(near) - 1)} item)."
        )
        note_en = (
            f"Depth {asked} reaches {reached:,} items, too many to read; drawn at depth "
            f"{depth} ({len(near) - 1:,} items)."
        )
    elif len(near) == 1:
        note = "Item ini belum terhubung dengan item lain."
        note_en = "This item is not linked to any other item yet."
    elif depth > 1:
        note = f"{number(len(near) - 1)} item dalam {depth} langkah."
        note_en = f"{len(near) - 1:,} items within {depth} steps."
    return canvas.view(note=note, note_en=note_en)
