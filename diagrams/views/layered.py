"""The six-domain picture: one box per layer (process → service → application → data →
infrastructure, top to bottom), security beside them. Context and layers draw with it."""

from __future__ import annotations

from collections.abc import Collection
from itertools import pairwise

import networkx as nx

from diagrams.source import LAYERS
from diagrams.styles import kind_label, style_of
from diagrams.views.common import Canvas, row_width
from diagrams.views.reading import sorted_edges

SIDE = "security"


def draw_layers(
    canvas: Canvas,
    g: nx.MultiDiGraph,
    nodes: Collection[str],
    *,
    focus: Collection[str] = (),
    named_edges: bool = False,
) -> None:
    """Draw ``nodes`` of ``g`` into ``canvas`` as stacked layers, with their edges."""
    chosen = set(nodes)
    by_kind: dict[str, list[str]] = {}
    for node in sorted(chosen):
        kind = str(g.nodes[node].get("kind", ""))
        by_kind.setdefault(kind if kind in (*LAYERS, SIDE) else "other", []).append(node)
    stack: list[tuple[str, str]] = []  # first and last item of each layer drawn
    for kind in (*LAYERS, SIDE, "other"):
        members = by_kind.get(kind)
        if not members:
            continue
        title = kind_label(kind) if kind != "other" else "Lainnya"
        box = canvas.cluster(f"layer_{kind}", title, style_of(kind).colour)
        for node in members:
            canvas.item(node, g.nodes[node], box, focus=node in focus)
        canvas.close(box)
        canvas.rows(members, row_width(len(members)))
        if kind in LAYERS:
            stack.append((members[0], members[-1]))
    # Keep the layers in their order even where no relation runs between them.
    for (_, upper), (lower, _) in pairwise(stack):
        canvas.invisible(upper, lower)
    if SIDE in by_kind and stack:
        # Security sits beside the layers, level with the second, not on top of them all.
        canvas.invisible(stack[0][0], by_kind[SIDE][0])
    for u, v, k in sorted_edges(g, chosen):
        canvas.catalogue_edge(g, u, v, k, named=named_edges)
