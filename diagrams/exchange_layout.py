"""Graphviz positions for the views of an ArchiMate exchange file.

The exporter (``catalog.exchange.archimate``) takes any layout function ``(nodes, edges)
→ {id: (x, y, width, height)}``; the interfaces pass this one, so that the file opens in
Archi as the diagrams Graphviz would draw. The exporter falls back to its own grid when a
view is too large for a quick layout or Graphviz runs out of time (an empty answer).
"""

from __future__ import annotations

import graphviz

from diagrams.render import RenderError, layout

# Archi's default element size is 120 × 55 px; names of SPBE systems run longer.
WIDTH, HEIGHT = 160.0, 60.0
# Above this a view is laid out on the exporter's grid: dot on hundreds of unclustered
# nodes takes longer than an export should.
MAX_NODES = 250
TIME_LIMIT = 5.0
BAND_ROW = 8
# Domains top to bottom, as ArchiMate draws its layers.
RANKS = {
    "instansi": 0,
    "organisation": 0,
    "process": 1,
    "service": 2,
    "application": 3,
    "external": 3,
    "dataset": 4,
    "infrastructure": 5,
    "security": 6,
}

Box = tuple[float, float, float, float]


def view_source(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> str:
    """The DOT laid out for one view: fixed-size boxes, one rank band per domain.

    >>> src = view_source([("a", "Proses", "process"), ("b", "Aplikasi", "application")],
    ...                   [("a", "b")])
    >>> "a -> b [style=invis weight=0]" in src, src.count("rank=same")
    (True, 2)
    """
    g = graphviz.Digraph(
        graph_attr={"rankdir": "TB", "nodesep": "0.4", "ranksep": "0.7", "newrank": "true"},
        node_attr={
            "shape": "box",
            "fixedsize": "true",
            "width": str(WIDTH / 72),
            "height": str(HEIGHT / 72),
            "label": "",
        },
    )
    bands: dict[int, list[str]] = {}
    for node_id, _label, kind in nodes:
        bands.setdefault(RANKS.get(kind, len(RANKS)), []).append(node_id)
    # Each domain is a band of rows of at most BAND_ROW boxes, bands stacked top to bottom
    # by invisible edges: a domain of 200 applications on one rank would make the view
    # metres wide.
    previous: str | None = None
    for band, members in sorted(bands.items()):
        for start in range(0, len(members), BAND_ROW):
            row = members[start : start + BAND_ROW]
            with g.subgraph(name=f"band{band}_{start}", graph_attr={"rank": "same"}) as sub:
                for node_id in row:
                    sub.node(node_id)
            if previous is not None:
                g.edge(previous, row[0], style="invis", weight="0")
            previous = row[0]
    # An OPD's actor is linked to every item it owns: laid out, those links would fan the
    # whole view out around it; the actor keeps its band and Archi draws the links.
    known = {n for n, _, kind in nodes if kind not in ("organisation", "instansi")}
    for source, target in edges:
        if source in known and target in known and source != target:
            g.edge(source, target)
    return g.source


def archimate_layout(
    nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]
) -> dict[str, Box]:
    """Graphviz's boxes for a view (points used as pixels, origin top left), or ``{}``
    when the view is too large or the layout ran out of time.

    >>> boxes = archimate_layout([("a", "Proses", "process"), ("b", "Aplikasi", "application")],
    ...                          [("a", "b")])
    >>> boxes["a"][1] < boxes["b"][1], boxes["a"][2:]
    (True, (160.0, 60.0))
    """
    if not nodes or len(nodes) > MAX_NODES:
        return {}
    try:
        boxes = layout(view_source(nodes, edges), time_limit=TIME_LIMIT)
    except RenderError:
        return {}
    return {name: (b.x, b.y, b.width, b.height) for name, b in boxes.items()}


__all__ = ["archimate_layout", "view_source"]
