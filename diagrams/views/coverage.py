"""Reference coverage: the reference tree as a heat map of how many items each code has."""

from __future__ import annotations

import networkx as nx

from diagrams.views.common import MAX_NODES, Canvas, View
from diagrams.views.labels import escape, label, number

# Fill colours from few to many items; codes without any item stand out in pale red.
EMPTY = "#f8d7d7"
HEAT = ("#deebf7", "#b5d3ec", "#7fb1da", "#4a8cc6", "#1f5fa5")


def heat(count: int, most: int) -> str:
    """The fill colour of a code with ``count`` items when the busiest has ``most``.

    >>> heat(0, 10), heat(1, 10), heat(10, 10)
    ('#f8d7d7', '#deebf7', '#1f5fa5')
    """
    if count <= 0 or most <= 0:
        return EMPTY
    return HEAT[min(len(HEAT) - 1, (count * len(HEAT) - 1) // most)]


def _depths(tree: nx.DiGraph) -> dict[str, int]:
    depth: dict[str, int] = {}
    for root in sorted(n for n in tree if tree.in_degree(n) == 0):
        for node, d in nx.single_source_shortest_path_length(tree, root).items():
            depth.setdefault(node, d)
    for node in tree:  # a cycle has no root: draw it at the top rather than lose it
        depth.setdefault(node, 0)
    return depth


def coverage(tree: nx.DiGraph, title: str = "") -> View:
    """The reference tree (nodes = codes with ``name``, ``level`` and ``count``: the items
    classified at that code *or anywhere under it*; edges parent → child), each code
    coloured by its count. A tree over the size limit keeps its upper levels.

    >>> t = nx.DiGraph()
    >>> t.add_node("RAA.01", name="Pelayanan Publik", level=1, count=3)
    >>> t.add_node("RAA.01.01", name="Kependudukan", level=2, count=3)
    >>> t.add_node("RAA.01.02", name="Perizinan", level=2, count=0)
    >>> t.add_edges_from([("RAA.01", "RAA.01.01"), ("RAA.01", "RAA.01.02")])
    >>> v = coverage(t, "RAA")
    >>> v.title, v.nodes, v.edges, v.note
    ('Cakupan referensi: RAA', 3, 2, '1 dari 3 kode belum punya item.')
    """
    name = f"Cakupan referensi: {title}" if title else "Cakupan referensi"
    name_en = f"Reference coverage: {title}" if title else "Reference coverage"
    depth = _depths(tree)
    chosen = sorted(tree, key=lambda n: (depth[n], str(n)))
    aggregated = False
    note_extra = note_extra_en = ""
    if len(chosen) > MAX_NODES:
        aggregated = True
        keep_depth = 0
        while sum(1 for n in chosen if depth[n] <= keep_depth + 1) <= MAX_NODES:
            keep_depth += 1
            if keep_depth > max(depth.values()):
                break
        kept = [n for n in chosen if depth[n] <= keep_depth]
        if len(kept) > MAX_NODES:  # even one level is too wide: the busiest codes
            ranked = sorted(kept, key=lambda n: (-int(tree.nodes[n].get("count") or 0), str(n)))
            kept = sorted(ranked[:MAX_NODES], key=lambda n: (depth[n], str(n)))
        note_extra = (
            f"Diagram diringkas: {number(len(chosen))} kode melebihi batas {MAX_NODES}; "
            f"ditampilkan {number(len(kept))} kode teratas. "
        )
        note_extra_en = (
            f"Diagram summarised: {len(chosen):,} codes exceed the limit of {MAX_NODES}; "
            f"the top {len(kept):,} codes are shown. "
        )
        chosen = kept
    shown = set(chosen)
    most = max((int(tree.nodes[n].get("count") or 0) for n in chosen), default=0)
    canvas = Canvas("coverage", name, name_en, rankdir="LR")
    canvas.graph.graph_attr.update(ranksep="0.3", nodesep="0.15")
    for node in sorted(chosen, key=str):
        attrs = tree.nodes[node]
        count = int(attrs.get("count") or 0)
        text = f"{number(count)} item" if count else "belum ada item"
        canvas.node(
            str(node),
            {
                "label": label(node, attrs.get("name"), text),
                "shape": "box",
                "style": "rounded,filled",
                "color": "#888888",
                "fillcolor": heat(count, most),
                "fontcolor": "white" if heat(count, most) in HEAT[3:] else "black",
                "tooltip": escape(f"{node} — {attrs.get('name') or '-'}: {text}"),
            },
        )
    for u, v in sorted(tree.edges(), key=lambda e: (str(e[0]), str(e[1]))):
        if u in shown and v in shown:
            canvas.edge(str(u), str(v), ["tree"])
    for colour, text in (
        (EMPTY, "Belum ada item"),
        (HEAT[0], "Sedikit item"),
        (HEAT[-1], f"Terbanyak ({number(most)} item)"),
    ):
        canvas.extra_legend.append((colour, text))
    empty = sum(1 for n in chosen if not int(tree.nodes[n].get("count") or 0))
    if chosen:
        note = f"{note_extra}{number(empty)} dari {number(len(chosen))} kode belum punya item."
        note_en = f"{note_extra_en}{empty:,} of {len(chosen):,} codes have no item yet."
    else:
        note, note_en = "Pohon referensi kosong.", "The reference tree is empty."
    return canvas.view(aggregated=aggregated, note=note, note_en=note_en)
