"""Impact: what fails, step by step, when an item fails."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from diagrams.views.aggregation import oversized
from diagrams.views.common import MAX_NODES, Canvas, View, require_item
from diagrams.views.labels import item_name, number
from diagrams.views.reading import sorted_edges


def impact(g: nx.MultiDiGraph, item: str, reached: Mapping[str, int]) -> View:
    """``item`` and what depends on it (``reached``: node key → distance, 1 = direct),
    one column per distance. Reached items missing from ``g`` (hidden from the reader)
    are left out.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("infrastructure:1", kind="infrastructure", label="Server A")
    >>> g.add_node("application:2", kind="application", label="SIMPEG")
    >>> g.add_node("service:3", kind="service", label="Layanan ASN")
    >>> _ = g.add_edge("application:2", "infrastructure:1", "hosted_on")
    >>> _ = g.add_edge("service:3", "application:2", "delivered_by")
    >>> v = impact(g, "infrastructure:1", {"application:2": 1, "service:3": 2})
    >>> v.title, v.nodes, v.edges
    ('Dampak bila Server A gagal', 3, 2)
    """
    attrs = require_item(g, item)
    who = item_name(attrs, item)
    title, title_en = f"Dampak bila {who} gagal", f"Impact if {who} fails"
    hit = {n: d for n, d in reached.items() if n in g and n != item}
    chosen = {item, *hit}
    if len(chosen) > MAX_NODES:
        return oversized(g, chosen, name="impact", title=title, title_en=title_en)
    # Right to left: the failing item first, then what depends on it, step by step
    # (an edge points from the dependent item to what it depends on).
    canvas = Canvas("impact", title, title_en, rankdir="RL")
    steps: dict[int, list[str]] = {0: [item]}
    for node in sorted(hit):
        steps.setdefault(hit[node], []).append(node)
    for step in sorted(steps):
        text = (
            "Item yang gagal" if step == 0
            else "Terdampak langsung" if step == 1
            else f"Terdampak, jarak {step}"
        )  # fmt: skip
        colour = "#c0392b" if step <= 1 else "#e67e22" if step == 2 else "#999999"
        box = canvas.cluster(f"step_{step}", text, colour)
        box.attr(rank="same")
        for node in steps[step]:
            canvas.item(node, g.nodes[node], box, focus=step == 0)
        canvas.close(box)
    for u, v, k in sorted_edges(g, chosen):
        canvas.catalogue_edge(g, u, v, k, named=len(chosen) <= 40)
    if hit:
        direct = sum(1 for d in hit.values() if d == 1)
        note = f"{number(len(hit))} item terdampak, {number(direct)} di antaranya langsung."
        note_en = f"{len(hit):,} items affected, {direct:,} of them directly."
    else:
        note = "Tidak ada item lain yang bergantung pada item ini."
        note_en = "No other item depends on this one."
    return canvas.view(note=note, note_en=note_en)
