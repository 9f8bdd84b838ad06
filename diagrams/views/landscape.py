"""Landscape of an OPD: its applications grouped by reference area, with the data sets
they read and produce, where they run, and whom they integrate with."""

from __future__ import annotations

import networkx as nx

from diagrams.source import INTEGRATION
from diagrams.styles import style_of
from diagrams.views.aggregation import area, oversized
from diagrams.views.common import MAX_NODES, Canvas, View
from diagrams.views.reading import owned_by, sorted_edges

DATA_LINKS = ("reads", "produces", "uses_data")


def owner_title(g: nx.MultiDiGraph, owner: str) -> str:
    """An OPD's name and code, as the graph knows it.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("application:1", kind="application", owner="BKD", owner_name="Badan Kepegawaian")
    >>> owner_title(g, "BKD"), owner_title(g, "X")
    ('Badan Kepegawaian (BKD)', 'X')
    """
    names = sorted(
        {
            str(a["owner_name"])
            for _, a in g.nodes(data=True)
            if a.get("owner") == owner and a.get("owner_name")
        }
        | {
            str(a["opd_name"])
            for _, a in g.nodes(data=True)
            if a.get("opd") == owner and a.get("opd_name")
        }
    )
    return f"{names[0]} ({owner})" if names and names[0] != owner else owner


def landscape(g: nx.MultiDiGraph, owner: str) -> View:
    """The applications of OPD ``owner`` in one box per reference area, their data sets,
    their hosting, and their integration partners (other OPD; national systems apart).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("application:1", kind="application", label="SIMPEG", owner="BKD",
    ...            reference="RAA.02.01")
    >>> g.add_node("dataset:2", kind="dataset", label="Pegawai", owner="BKD")
    >>> g.add_node("application:3", kind="application", label="SIAK", national=True)
    >>> _ = g.add_edge("application:1", "dataset:2", "produces")
    >>> _ = g.add_edge("application:3", "application:1", "integration", through_spl=False)
    >>> v = landscape(g, "BKD")
    >>> v.nodes, v.edges, "RAA.02" in v.source
    (3, 2, True)
    >>> print(landscape(g, "DISHUB").note)
    Perangkat daerah 'DISHUB' belum punya aplikasi yang terdaftar (atau yang boleh Anda lihat).
    """
    apps = sorted(
        n
        for n, a in g.nodes(data=True)
        if a.get("kind") == "application" and owned_by(a, owner) and not a.get("national")
    )
    who = owner_title(g, owner)
    title, title_en = f"Lanskap aplikasi: {who}", f"Application landscape: {who}"
    if not apps:
        # An OPD page always has its diagram: an empty one that says why.
        return Canvas("landscape", title, title_en).view(
            note=f"Perangkat daerah '{owner}' belum punya aplikasi yang terdaftar (atau yang "
            "boleh Anda lihat).",
            note_en=f"Unit (OPD) '{owner}' has no application registered (or visible to you).",
        )
    data: set[str] = set()
    hosts: set[str] = set()
    partners: set[str] = set()
    for app in apps:
        for u, v, key in [*g.out_edges(app, keys=True), *g.in_edges(app, keys=True)]:
            other = v if u == app else u
            kind = g.nodes[other].get("kind")
            if key == INTEGRATION:
                partners.add(other)
            elif key in DATA_LINKS and kind == "dataset":
                data.add(other)
            elif key == "hosted_on" and kind == "infrastructure":
                hosts.add(other)
    partners -= set(apps)
    vias = {
        via
        for app in apps
        for u, v, key, attrs in [
            *g.out_edges(app, keys=True, data=True),
            *g.in_edges(app, keys=True, data=True),
        ]
        if key == INTEGRATION and (via := attrs.get("via")) in g
    }
    chosen = set(apps) | data | hosts | partners
    if len(chosen) > MAX_NODES:
        return oversized(
            g,
            chosen | vias,
            name="landscape",
            title=title,
            title_en=title_en,
            owner=owner,
            hubs=vias,
        )
    canvas = Canvas("landscape", title, title_en, rankdir="LR")
    areas: dict[str | None, list[str]] = {}
    for app in apps:
        areas.setdefault(area(g.nodes[app].get("reference")), []).append(app)
    colour = style_of("application").colour
    for code in sorted(areas, key=lambda c: (c is None, c or "")):
        names = sorted(
            {str(g.nodes[a]["area_name"]) for a in areas[code] if g.nodes[a].get("area_name")}
            or {
                str(g.nodes[a].get("reference_name"))
                for a in areas[code]
                if g.nodes[a].get("reference") == code and g.nodes[a].get("reference_name")
            }
        )
        text = f"{code} {names[0]}" if code and names else code or "Belum diklasifikasi"
        box = canvas.cluster(f"area_{code or '-'}", text, colour)
        for app in areas[code]:
            canvas.item(app, g.nodes[app], box)
        canvas.close(box)
    local = sorted(p for p in partners if not g.nodes[p].get("national"))
    national = sorted(p for p in partners if g.nodes[p].get("national"))
    for name, title_box, members, kind in (
        ("data", "Data", sorted(data), "dataset"),
        ("hosting", "Infrastruktur", sorted(hosts), "infrastructure"),
        ("partners", "Mitra integrasi", local, "application"),
        ("national", "Sistem nasional", national, "application"),
    ):
        if not members:
            continue
        box = canvas.cluster(name, title_box, style_of(kind).colour)
        for node in members:
            canvas.item(node, g.nodes[node], box)
        canvas.close(box)
    for u, v, k in sorted_edges(g, chosen):
        canvas.catalogue_edge(g, u, v, k, named=False)
    return canvas.view()
