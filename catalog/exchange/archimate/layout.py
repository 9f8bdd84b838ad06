"""Where each element of a view goes: a layout function, or a simple layered grid.

The writer takes any function ``(nodes, edges) → {id: (x, y, width, height)}`` (pixels,
origin top left), so that an interface can pass Graphviz's layout without this package
importing ``diagrams``; without one, :func:`grid_layout` puts each domain on its own band,
business at the top and technology and security at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable

Box = tuple[float, float, float, float]
Layout = Callable[[list[tuple[str, str, str]], list[tuple[str, str]]], dict[str, Box]]

# Bands from top to bottom, by node kind.
BANDS: dict[str, int] = {
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
WIDTH, HEIGHT = 160, 60
GAP_X, GAP_Y, BAND_GAP = 30, 25, 50
MARGIN = 20
PER_ROW = 8


def grid_layout(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> dict[str, Box]:
    """Boxes on a grid: one band per domain (in input order, at most eight a row).

    >>> boxes = grid_layout([("a", "A", "process"), ("b", "B", "application"),
    ...                      ("c", "C", "process")], [("a", "b")])
    >>> boxes["a"], boxes["c"]
    ((20, 20, 160, 60), (210, 20, 160, 60))
    >>> boxes["b"][1] > boxes["a"][1]
    True
    """
    del edges  # a grid does not look at the edges
    bands: dict[int, list[str]] = {}
    for node_id, _label, kind in nodes:
        bands.setdefault(BANDS.get(kind, len(BANDS)), []).append(node_id)
    boxes: dict[str, Box] = {}
    y = MARGIN
    for band in sorted(bands):
        members = bands[band]
        for i, node_id in enumerate(members):
            row, col = divmod(i, PER_ROW)
            boxes[node_id] = (
                MARGIN + col * (WIDTH + GAP_X),
                y + row * (HEIGHT + GAP_Y),
                WIDTH,
                HEIGHT,
            )
        rows = (len(members) + PER_ROW - 1) // PER_ROW
        y += rows * (HEIGHT + GAP_Y) - GAP_Y + BAND_GAP
    return boxes


__all__ = ["BANDS", "Box", "Layout", "grid_layout"]
