"""Aggregate: the catalogue per OPD (or, nationally, per instansi) with edge counts."""

from __future__ import annotations

import networkx as nx

from diagrams.views.aggregation import by_instansi, by_owner, summarise
from diagrams.views.common import View, ViewError
from diagrams.views.labels import number

BY = {
    "owner": (by_owner, "perangkat daerah", "unit (OPD)"),
    "instansi": (by_instansi, "instansi", "instansi"),
}


def aggregate(g: nx.MultiDiGraph, by: str = "owner") -> View:
    """One node per OPD (``by="owner"``; national systems per instansi) or per instansi
    (``by="instansi"``), labelled with its item counts, and one edge per pair and kind of
    link with how many. Nodes may already be summaries (``weight``, ``counts`` per kind;
    edges with ``weight``), as the national totals are. Over the size limit, the largest
    groups are kept and the rest merged.

    >>> g = nx.MultiDiGraph(title="Kota Contoh")
    >>> g.add_node("application:1", kind="application", owner="BKD")
    >>> g.add_node("application:2", kind="application", owner="BKD")
    >>> g.add_node("application:3", kind="application", owner="DINKES")
    >>> _ = g.add_edge("application:1", "application:3", "integration", through_spl=False)
    >>> v = aggregate(g)
    >>> v.title, v.nodes, v.edges, v.aggregated
    ('Ringkasan per perangkat daerah: Kota Contoh', 2, 1, True)
    >>> aggregate(g, by="region")
    Traceback (most recent call last):
    ...
    diagrams.views.common.ViewError: Ringkasan 'region' tidak dikenal; pilih owner atau instansi.
    """
    if by not in BY:
        raise ViewError(
            f"Ringkasan '{by}' tidak dikenal; pilih owner atau instansi.",
            f"Unknown summary '{by}'; choose owner or instansi.",
        )
    group_of, what, what_en = BY[by]
    place = g.graph.get("title")
    title = f"Ringkasan per {what}" + (f": {place}" if place else "")
    title_en = f"Summary per {what_en}" + (f": {place}" if place else "")
    n = len(g)
    return summarise(
        g,
        list(g.nodes),
        group_of,
        name="aggregate",
        title=title,
        title_en=title_en,
        note=f"{number(n)} simpul diringkas per {what}." if n else "Katalog kosong.",
        note_en=f"{n:,} nodes summarised per {what_en}." if n else "The catalogue is empty.",
    )
