"""Integration map of an instansi: applications per OPD, the SPL as the hub,
point-to-point links and gaps highlighted, national systems at the edge."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from diagrams.source import INTEGRATION
from diagrams.styles import FLAG_MARK, style_of
from diagrams.views.aggregation import oversized
from diagrams.views.common import MAX_NODES, Canvas, View
from diagrams.views.labels import number
from diagrams.views.landscape import owner_title
from diagrams.views.reading import edge_kind, is_spl, opd_of, owned_by

# Past this many applications an instansi's map is drawn per OPD: hub and spokes put
# every application in one column (a city's 250 make a picture 20 metres tall).
READABLE_APPS = 120


def integration(g: nx.MultiDiGraph, owner: str | None = None) -> View:
    """Every local application (clustered by OPD), the SPL nodes, and the national systems
    the instansi integrates with; an integration through an SPL is drawn through it.
    ``g`` is already limited to one instansi (with the national items it touches).

    >>> g = nx.MultiDiGraph(title="Kota Contoh")
    >>> g.add_node("application:1", kind="application", label="SIMPEG", owner="BKD")
    >>> g.add_node("application:2", kind="application", label="E-Kinerja", owner="BKD")
    >>> g.add_node("application:3", kind="application", label="SIAK", national=True)
    >>> g.add_node("infrastructure:4", kind="infrastructure", label="SPL", infra_type="spl")
    >>> _ = g.add_edge("application:1", "application:2", "integration",
    ...                through_spl=True, via="infrastructure:4", confirmed=True)
    >>> _ = g.add_edge("application:3", "application:1", "integration",
    ...                through_spl=False, confirmed=False)
    >>> v = integration(g)
    >>> v.title, v.nodes, v.edges
    ('Peta integrasi: Kota Contoh', 4, 3)
    """
    place = str(g.graph.get("title") or "katalog")
    if owner is not None:
        place = f"{owner_title(g, owner)}, {place}"
    title, title_en = f"Peta integrasi: {place}", f"Integration map: {place}"
    spl = sorted(n for n, a in g.nodes(data=True) if is_spl(a))
    links = sorted(
        (u, v, attrs)
        for u, v, k, attrs in g.edges(keys=True, data=True)
        if k == INTEGRATION
    )  # fmt: skip
    apps = {n for n, a in g.nodes(data=True) if a.get("kind") == "application"}
    touched = {n for u, v, _ in links for n in (u, v)}
    local = {n for n in apps if not g.nodes[n].get("national")}
    if owner is not None:
        # One OPD's map: its applications and every application they integrate with.
        own = {n for n in local if owned_by(g.nodes[n], owner)}
        links = [(u, v, a) for u, v, a in links if u in own or v in own]
        touched = {n for u, v, _ in links for n in (u, v)}
        local = own | (local & touched)
    national = {n for n in apps & touched if g.nodes[n].get("national")}
    chosen = local | national | set(spl)
    if len(chosen) > MAX_NODES or (owner is None and len(local) > READABLE_APPS):
        return oversized(
            g,
            chosen,
            name="integration",
            title=title,
            title_en=title_en,
            hubs=spl,
            limit=None if len(chosen) > MAX_NODES else READABLE_APPS,
            hint=(
                "peta per OPD: buka kotak OPD-nya, atau minta dengan --opd KODE",
                "one unit's map: open its box, or ask with --opd CODE",
            ),
        )
    canvas = Canvas("integration", title, title_en, rankdir="LR")
    owners: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for node in sorted(local):
        attrs = g.nodes[node]
        code, name = opd_of(attrs)
        owner = str(code or "")
        owners.setdefault(owner, []).append(node)
        if name:
            names.setdefault(owner, str(name))
    colour = style_of("application").colour
    for owner in sorted(owners):
        text = f"{names[owner]} ({owner})" if owner in names else owner or "Tanpa OPD"
        box = canvas.cluster(f"opd_{owner or '-'}", text, colour)
        for node in owners[owner]:
            canvas.item(node, g.nodes[node], box)
        canvas.close(box)
    if spl:
        box = canvas.cluster("spl", "SPL (penghubung layanan)", style_of("spl").colour)
        for node in spl:
            canvas.item(node, g.nodes[node], box)
        canvas.close(box)
    if national:
        box = canvas.cluster("national", "Sistem nasional", "#777777")
        box.attr(rank="sink")  # at the edge of the map
        for node in sorted(national):
            canvas.item(node, g.nodes[node], box)
        canvas.close(box)
    # Through an SPL: provider → SPL → consumer, one edge per pair and side with a count.
    hub_links: Counter[tuple[str, str, bool]] = Counter()
    gaps = p2p = 0
    for u, v, attrs in links:
        if u not in chosen or v not in chosen:
            continue
        styles = edge_kind(INTEGRATION, attrs)
        via = attrs.get("via")
        if "spl" in styles and via in chosen and "gap" not in styles:
            confirmed = attrs.get("confirmed") is not False
            hub_links[(u, via, confirmed)] += 1
            hub_links[(via, v, confirmed)] += 1
            continue
        gaps += "gap" in styles
        p2p += "p2p" in styles
        canvas.catalogue_edge(g, u, v, INTEGRATION, named=True)
    for (a, b, confirmed), n in sorted(hub_links.items()):
        styles = ["spl"] if confirmed else ["spl", "unconfirmed"]
        tip = f"{n} integrasi via SPL"
        canvas.edge(a, b, styles, text=f"×{n}" if n > 1 else None, tip=tip)
    note = note_en = None
    if p2p or gaps:
        note = (
            f"{number(p2p)} integrasi titik-ke-titik (merah), "
            f"{number(gaps)} celah bertanda {FLAG_MARK}."
        )
        note_en = f"{p2p:,} point-to-point integrations (red), {gaps:,} flagged gaps."
    return canvas.view(note=note, note_en=note_en)
