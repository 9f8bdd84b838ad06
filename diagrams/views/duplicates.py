"""Duplicate cluster: its members, who owns them, and what they have in common."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from diagrams.styles import FLAG_COLOUR, RELATION_LABELS
from diagrams.views.aggregation import oversized
from diagrams.views.common import MAX_NODES, Canvas, View, ViewError
from diagrams.views.labels import label, number, owner_text


def duplicates(g: nx.MultiDiGraph, members: Sequence[str]) -> View:
    """The members of a duplicate cluster side by side, each linked to its owner, and
    what two or more of them share: a neighbour (data set, server, service…) or a
    reference code.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("application:1", kind="application", label="SIMPEG", owner="BKD",
    ...            reference="RAA.02.01", flags=("duplicates.application",))
    >>> g.add_node("application:2", kind="application", label="SIMPEG Dinkes", owner="DINKES",
    ...            reference="RAA.02.01", flags=("duplicates.application",))
    >>> g.add_node("dataset:3", kind="dataset", label="Pegawai")
    >>> _ = g.add_edge("application:1", "dataset:3", "reads")
    >>> _ = g.add_edge("application:2", "dataset:3", "reads")
    >>> v = duplicates(g, ["application:2", "application:1"])
    >>> v.title, v.nodes
    ('Kelompok duplikat: 2 item', 6)
    >>> try:
    ...     duplicates(g, ["application:9"])
    ... except ViewError as e:
    ...     print(e.message_en)
    Cluster members not in the catalogue being drawn: application:9.
    """
    chosen = sorted(set(members))
    missing = [m for m in chosen if m not in g]
    if not chosen:
        raise ViewError("Kelompok duplikat tidak punya anggota.", "The cluster has no members.")
    if missing:
        raise ViewError(
            f"Anggota kelompok tidak ada di katalog yang digambar: {', '.join(missing)}.",
            f"Cluster members not in the catalogue being drawn: {', '.join(missing)}.",
        )
    n = len(chosen)
    title, title_en = f"Kelompok duplikat: {number(n)} item", f"Duplicate cluster: {n:,} items"
    if n > MAX_NODES:
        return oversized(g, chosen, name="duplicates", title=title, title_en=title_en)
    canvas = Canvas("duplicates", title, title_en)
    box = canvas.cluster("members", "Anggota kelompok", FLAG_COLOUR)
    for node in chosen:
        canvas.item(node, g.nodes[node], box)
    canvas.close(box)
    member_set = set(chosen)
    # Owners (one node each), drawn under the members.
    owners: dict[str, str] = {}
    for node in chosen:
        attrs = g.nodes[node]
        owners[node] = f"opd:{attrs.get('owner') or attrs.get('instansi') or '-'}"
        if owners[node] not in canvas.drawn:
            text = owner_text(attrs) if attrs.get("owner") else attrs.get("instansi_name") or "-"
            canvas.node(owners[node], {"label": label(text)}, kind="opd")
    # Neighbours two or more members touch, with the relation each uses.
    touching: dict[str, set[tuple[str, str, str, bool]]] = defaultdict(set)
    for node in chosen:
        for _, other, key in g.out_edges(node, keys=True):
            touching[other].add((node, other, key, True))
        for other, _, key in g.in_edges(node, keys=True):
            touching[other].add((other, node, key, False))
    shared = sorted(
        o
        for o, links in touching.items()
        if o not in member_set and len({(u if out else v) for u, v, _, out in links}) > 1
    )
    if shared:
        box = canvas.cluster("shared", "Dipakai bersama", "#b07d00")
        for node in shared:
            canvas.item(node, g.nodes[node], box)
        canvas.close(box)
    refs: dict[str, list[str]] = defaultdict(list)
    for node in chosen:
        if g.nodes[node].get("reference"):
            refs[str(g.nodes[node]["reference"])].append(node)
    for code in sorted(refs):
        if len(refs[code]) < 2:
            continue
        name = next(
            (
                g.nodes[m].get("reference_name")
                for m in refs[code]
                if g.nodes[m].get("reference_name")
            ),
            None,
        )
        canvas.node(f"reference:{code}", {"label": label(code, name)}, kind="reference")
    for node in chosen:
        canvas.edge(node, owners[node], ["owner"], tip="dimiliki oleh")
    for code in sorted(refs):
        if len(refs[code]) > 1:
            for node in refs[code]:
                canvas.edge(node, f"reference:{code}", ["shared"], tip="referensi yang sama")
    for node in shared:
        for u, v, key, _ in sorted(touching[node]):
            canvas.edge(u, v, ["shared"], text=RELATION_LABELS.get(key, key), tip=key)
    for u, v, key in sorted(g.subgraph(member_set).edges(keys=True)):
        canvas.catalogue_edge(g, u, v, key, named=True)
    common = len(shared) + sum(1 for c in refs if len(refs[c]) > 1)
    note = f"{number(common)} kesamaan antar anggota." if common else "Tidak ada kesamaan tercatat."
    note_en = f"{common:,} things in common." if common else "Nothing in common recorded."
    return canvas.view(note=note, note_en=note_en)
