"""The eight diagram views on a small hand-made catalogue (golden DOT files) and on a
generated city too large to draw item by item.

Regenerate the golden files after an intended change of look with
``KATALOG_UPDATE_GOLDEN=1 python -m pytest tests/test_diagram_views.py`` and review the
diff; a missing golden file fails the test.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from diagrams.styles import FLAG_COLOUR
from diagrams.views import (
    MAX_NODES,
    VIEWS,
    View,
    ViewError,
    aggregate,
    context,
    coverage,
    duplicates,
    impact,
    integration,
    landscape,
    layers,
)
from diagrams.views.labels import dot_id

GOLDEN = Path(__file__).parent / "golden" / "diagrams"
UPDATE = os.environ.get("KATALOG_UPDATE_GOLDEN") == "1"

BKD = {"owner": "BKD", "owner_name": "Badan Kepegawaian Daerah"}
DINKES = {"owner": "DINKES", "owner_name": "Dinas Kesehatan"}
PLACE = {"instansi": "99.01", "instansi_name": "Kota Contoh"}
DUP = ("duplicates.application",)
P2P = ("integration.point_to_point",)

NODES: list[tuple[str, dict[str, Any]]] = [
    ("process:1", {"kind": "process", "label": "Pengelolaan ASN", "code": "PB-01", **BKD,
                   "reference": "RAB.02.01", "reference_name": "Manajemen ASN"}),
    ("process:2", {"kind": "process", "label": "Pelayanan Kesehatan", "code": "PB-02", **DINKES}),
    ("service:3", {"kind": "service", "label": "Layanan Kepegawaian", "code": "LY-01", **BKD}),
    ("service:4", {"kind": "service", "label": "Layanan Rujukan", "code": "LY-02", **DINKES}),
    ("application:5", {"kind": "application", "label": "SIMPEG", "code": "APL-01", **BKD,
                       "reference": "RAA.02.01", "reference_name": "Kepegawaian", "flags": DUP}),
    ("application:6", {"kind": "application", "label": "SIMPEG Kesehatan", "code": "APL-02",
                       **DINKES, "reference": "RAA.02.01", "reference_name": "Kepegawaian",
                       "flags": DUP}),
    ("application:7", {"kind": "application", "label": "E-Kinerja", "code": "APL-03", **BKD,
                       "reference": "RAA.02.02", "reference_name": "Kinerja"}),
    ("application:8", {"kind": "application", "label": "SIMRS", "code": "APL-04", **DINKES,
                       "reference": "RAA.01.03", "reference_name": "Kesehatan"}),
    ("application:9", {"kind": "application", "label": "SIAK Terpusat", "code": "NAS-01",
                       "owner": None, "owner_name": None, "instansi": "KEMENDAGRI",
                       "instansi_name": "Kementerian Dalam Negeri", "national": True}),
    ("dataset:10", {"kind": "dataset", "label": "Data Pegawai", "code": "DS-01", **BKD}),
    ("dataset:11", {"kind": "dataset", "label": "Data Pasien", "code": "DS-02", **DINKES}),
    ("infrastructure:12", {"kind": "infrastructure", "label": "Server Pusat Data",
                           "code": "INF-01", **BKD, "infra_type": "server"}),
    ("infrastructure:13", {"kind": "infrastructure", "label": "SPL Kota", "code": "INF-02",
                           **BKD, "infra_type": "spl"}),
    ("security:14", {"kind": "security", "label": "Firewall Aplikasi Web", "code": "KAM-01",
                     **BKD}),
]  # fmt: skip
SPL = "infrastructure:13"
EDGES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("process:1", "service:3", "supported_by", {}),
    ("process:2", "service:4", "supported_by", {}),
    ("service:3", "application:5", "delivered_by", {}),
    ("service:4", "application:8", "delivered_by", {}),
    ("application:5", "dataset:10", "reads", {}),
    ("application:6", "dataset:10", "reads", {}),
    ("application:7", "dataset:10", "reads", {}),
    ("application:8", "dataset:11", "produces", {}),
    ("application:5", "infrastructure:12", "hosted_on", {}),
    ("application:6", "infrastructure:12", "hosted_on", {}),
    ("application:8", "infrastructure:12", "hosted_on", {}),
    ("security:14", "application:5", "protects", {}),
    ("application:5", "application:7", "integration",
     {"code": "INT-01", "label": "Data pegawai ke kinerja", "via": SPL, "through_spl": True,
      "confirmed": True, "status": "active", "flags": (), "data": ("Data Pegawai",)}),
    ("application:9", "application:8", "integration",
     {"code": "INT-02", "label": "NIK", "via": SPL, "through_spl": True, "confirmed": True,
      "status": "active", "flags": (), "data": ()}),
    ("application:8", "application:6", "integration",
     {"code": "INT-03", "label": "Tenaga kesehatan", "via": None, "through_spl": False,
      "confirmed": True, "status": "active", "flags": P2P, "data": ()}),
    ("application:7", "application:8", "integration",
     {"code": "INT-04", "label": "Kinerja dokter", "via": SPL, "through_spl": True,
      "confirmed": False, "status": "active", "flags": (), "data": ()}),
]  # fmt: skip
REFERENCES = [
    ("RAA.01", "Pelayanan Publik", 1, 1, None),
    ("RAA.01.03", "Kesehatan", 2, 1, "RAA.01"),
    ("RAA.02", "Administrasi Pemerintahan", 1, 3, None),
    ("RAA.02.01", "Kepegawaian", 2, 2, "RAA.02"),
    ("RAA.02.02", "Kinerja", 2, 1, "RAA.02"),
    ("RAA.02.03", "Kearsipan", 2, 0, "RAA.02"),
]


def build(seed: int | None = None) -> nx.MultiDiGraph:
    """The catalogue; with ``seed``, nodes and edges inserted in a shuffled order."""
    nodes, edges = list(NODES), list(EDGES)
    if seed is not None:
        random.Random(seed).shuffle(nodes)
        random.Random(seed).shuffle(edges)
    g = nx.MultiDiGraph(title="Kota Contoh", instansi="99.01")
    for key, attrs in nodes:
        full = {"status": "active", "flags": (), **PLACE, **attrs, "url": f"/item/{key}"}
        g.add_node(key, **full)
    for u, v, key, attrs in edges:
        g.add_edge(u, v, key, **attrs)
    return g


def tree(seed: int | None = None) -> nx.DiGraph:
    rows = list(REFERENCES)
    if seed is not None:
        random.Random(seed).shuffle(rows)
    t = nx.DiGraph(scheme="RAA")
    for code, name, level, count, _ in rows:
        t.add_node(code, name=name, level=level, count=count)
    for code, *_, parent in rows:
        if parent:
            t.add_edge(parent, code)
    return t


def impact_of_server() -> dict[str, int]:
    return {"application:5": 1, "application:6": 1, "application:8": 1, "service:3": 2,
            "service:4": 2, "process:1": 3, "process:2": 3}  # fmt: skip


CASES: dict[str, Callable[[nx.MultiDiGraph, nx.DiGraph], View]] = {
    "context": lambda g, t: context(g, "application:5", depth=1),
    "landscape": lambda g, t: landscape(g, "BKD"),
    "integration": lambda g, t: integration(g),
    "layers": lambda g, t: layers(g, owner="DINKES"),
    "duplicates": lambda g, t: duplicates(g, ["application:6", "application:5"]),
    "impact": lambda g, t: impact(g, "infrastructure:12", impact_of_server()),
    "coverage": lambda g, t: coverage(t, "RAA — Kota Contoh"),
    "aggregate": lambda g, t: aggregate(g),
}


def drawn(view: View) -> set[str]:
    """The ids of the nodes a view draws (the legend left out), unquoted."""
    ids = {i.strip('"') for i in re.findall(r"^\t+(\S+) \[", view.source, flags=re.M)}
    return {i for i in ids if i not in ("graph", "node", "edge") and not i.startswith("legend")}


def _ident(key: str) -> str:
    return f'"?{re.escape(dot_id(key))}"?'


def node_line(view: View, key: str) -> str:
    found = re.search(rf"^\t+{_ident(key)} \[.*$", view.source, flags=re.M)
    assert found, f"{key} not drawn"
    return found.group(0)


def edge_line(view: View, u: str, v: str) -> str | None:
    found = re.search(
        rf"^\t+{_ident(u)} -> {_ident(v)} \[(?!style=invis).*$", view.source, flags=re.M
    )
    return found.group(0) if found else None


def cluster(view: View, name: str) -> str:
    """The body of one cluster."""
    found = re.search(
        rf"subgraph \"?cluster_{re.escape(dot_id(name))}\"? \{{(.*?)\n\t\}}", view.source, re.S
    )
    assert found, f"no cluster {name}"
    return found.group(1)


# -- golden files ------------------------------------------------------------------------


def test_views_are_the_eight_the_issue_lists() -> None:
    assert sorted(VIEWS) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_dot(name: str) -> None:
    view = CASES[name](build(), tree())
    path = GOLDEN / f"{name}.dot"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(view.source, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with KATALOG_UPDATE_GOLDEN=1 and review it"
    assert view.source == path.read_text(encoding="utf-8")
    assert view.name == name
    assert "Legenda" in view.source
    assert view.nodes == len(drawn(view))


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_catalogue_in_any_order_gives_the_same_dot(name: str) -> None:
    first = CASES[name](build(), tree()).source
    assert CASES[name](build(), tree()).source == first
    assert CASES[name](build(seed=7), tree(seed=7)).source == first
    assert CASES[name](build(seed=11), tree(seed=11)).source == first


# -- what a reader sees ------------------------------------------------------------------


def test_context_depth_two_reaches_further_than_depth_one() -> None:
    g = build()
    near, far = context(g, "application:7", 1), context(g, "application:7", 2)
    one = {dot_id(k) for k in ("application:7", "application:5", "application:8", "dataset:10")}
    assert drawn(near) == one
    # Two steps away: SIMPEG's service and server, SIMRS's partners, the duplicate.
    assert one < drawn(far)
    for key in ("service:3", "infrastructure:12", "application:6", "application:9"):
        assert dot_id(key) in drawn(far) and dot_id(key) not in drawn(near)
    assert "kedalaman 2" in far.title and far.title_en.endswith("depth 2")
    assert "penwidth=3.5" in node_line(near, "application:7")  # the item asked about


def test_layers_stack_the_domains_and_put_security_aside() -> None:
    view = layers(build(), owner="BKD")
    source = view.source
    boxes = re.findall(
        r"subgraph cluster_layer__(\w+) \{\n\t+graph \[[^\n]*label=(\"[^\"]+\"|\w+)", source
    )
    assert [(kind, name.strip('"')) for kind, name in boxes] == [
        ("process", "Proses Bisnis"),
        ("service", "Layanan"),
        ("application", "Aplikasi"),
        ("dataset", "Data"),
        ("infrastructure", "Infrastruktur"),
        ("security", "Keamanan"),
    ]
    # Invisible edges chain the five layers top to bottom (security hangs off the first).
    chain = re.findall(r"^\t(\S+) -> (\S+) \[style=invis", source, flags=re.M)
    kinds = [(a.split("_c")[0], b.split("_c")[0]) for a, b in chain]
    assert kinds == [
        ("process", "service"),
        ("service", "application"),
        ("application", "dataset"),
        ("dataset", "infrastructure"),
        ("process", "security"),
    ]
    security = cluster(view, "layer_security")
    assert "label=Keamanan" in security and dot_id("security:14") in security
    protects = edge_line(view, "security:14", "application:5")
    assert protects and "constraint=false" in protects  # beside the layers, not above them
    # An OPD's picture holds its own items and what they use, not its integration partners.
    assert dot_id("infrastructure:12") in drawn(view)
    assert dot_id("application:8") not in drawn(view)


def test_layers_of_a_reference_area() -> None:
    view = layers(build(), area="RAA.02")
    apps = {dot_id(f"application:{i}") for i in (5, 6, 7)}
    assert apps <= drawn(view) and dot_id("application:8") not in drawn(view)
    assert "area RAA.02" in view.title


VIEWS_WITH_SIMPEG = ["context", "landscape", "integration", "duplicates", "impact"]


@pytest.mark.parametrize("name", VIEWS_WITH_SIMPEG)
def test_flagged_items_are_marked_alike_in_every_view(name: str) -> None:
    view = CASES[name](build(), tree())
    line = node_line(view, "application:5")
    assert 'label="⚠ SIMPEG' in line
    assert f'color="{FLAG_COLOUR}"' in line and "peripheries=2" in line
    assert "Ditandai temuan" in view.source  # the legend explains it
    # Only the flagged are marked: every other item drawn is plain.
    names = {dot_id(key): key for key, _ in NODES}
    for ident in drawn(view) & set(names):
        marked = "⚠" in node_line(view, names[ident])
        assert marked is (names[ident] in ("application:5", "application:6")), ident


def test_integration_map_highlights_point_to_point_and_routes_through_the_spl() -> None:
    view = integration(build())
    p2p = edge_line(view, "application:8", "application:6")
    assert p2p and f'color="{FLAG_COLOUR}"' in p2p and "⚠ INT-03" in p2p
    # Through the SPL: provider → SPL → consumer, green, never a direct line.
    assert edge_line(view, "application:5", "application:7") is None
    to_hub, from_hub = edge_line(view, "application:5", SPL), edge_line(view, SPL, "application:7")
    assert to_hub and from_hub and '"#2f7d4f"' in to_hub and FLAG_COLOUR not in to_hub
    # One-sided (not confirmed by both): dashed.
    one_sided = edge_line(view, "application:7", SPL)
    assert one_sided and "style=dashed" in one_sided
    assert to_hub and "dashed" not in to_hub
    # The national system sits apart, in its own box, marked national.
    assert dot_id("application:9") in cluster(view, "national")
    assert 'style="filled,dashed"' in node_line(view, "application:9")
    assert view.note == "1 integrasi titik-ke-titik (merah), 1 celah bertanda ⚠."
    for legend in ("Integrasi melalui SPL", "titik-ke-titik", "belum dikonfirmasi"):
        assert legend in view.source


def test_nodes_link_to_their_page_with_a_tooltip() -> None:
    line = node_line(landscape(build(), "BKD"), "application:5")
    assert 'URL="/item/application:5"' in line and "target=_top" in line
    tip = re.search(r'tooltip="([^"]*)"', line)
    assert tip and tip.group(1).split("\\n") == [
        "APL-01 — SIMPEG",
        "Jenis: Aplikasi",
        "Pemilik: Badan Kepegawaian Daerah (BKD)",
        "Referensi: RAA.02.01 Kepegawaian",
        "Status: active",
        "Temuan: duplicates.application",
    ]


def test_landscape_groups_applications_by_reference_area() -> None:
    view = landscape(build(), "BKD")
    area = cluster(view, "area_RAA.02")
    assert 'label="RAA.02"' in area  # no item is classified at the area code itself
    assert dot_id("application:5") in area and dot_id("application:7") in area
    # Its data, hosting and an integration partner of another OPD are drawn too.
    for key in ("dataset:10", "infrastructure:12", "security:14"):
        assert (dot_id(key) in drawn(view)) is (key != "security:14")


def test_duplicates_show_owners_and_what_the_members_share() -> None:
    view = duplicates(build(), ["application:5", "application:6"])
    ids = drawn(view)
    assert {dot_id("opd:BKD"), dot_id("opd:DINKES")} <= ids
    assert {dot_id("dataset:10"), dot_id("infrastructure:12")} <= ids  # both read / run there
    assert dot_id("reference:RAA.02.01") in ids  # the same reference code
    assert dot_id("dataset:11") not in ids  # SIMRS's data: no member touches it
    assert view.note == "3 kesamaan antar anggota."


def test_impact_puts_each_distance_in_its_own_column() -> None:
    view = impact(build(), "infrastructure:12", impact_of_server())
    step = cluster(view, "step_2")
    assert "Terdampak, jarak 2" in step
    assert dot_id("service:3") in step and dot_id("application:5") not in step
    assert view.note == "7 item terdampak, 3 di antaranya langsung."
    lone = impact(build(), "security:14", {})
    assert lone.nodes == 1 and lone.note_en == "No other item depends on this one."


def test_coverage_is_a_heat_map_with_counts() -> None:
    view = coverage(tree(), "RAA")
    assert "Kearsipan\\nbelum ada item" in node_line(view, "RAA.02.03")
    assert 'fillcolor="#f8d7d7"' in node_line(view, "RAA.02.03")  # nothing classified
    assert 'fillcolor="#1f5fa5"' in node_line(view, "RAA.02")  # the busiest
    assert view.note == "1 dari 6 kode belum punya item."


def test_coverage_of_a_huge_tree_keeps_its_upper_levels() -> None:
    t = nx.DiGraph()
    for i in range(20):
        t.add_node(f"RAA.{i:02}", name=f"Area {i}", level=1, count=i)
        for j in range(30):
            t.add_node(f"RAA.{i:02}.{j:02}", name=f"Sub {j}", level=2, count=j % 2)
            t.add_edge(f"RAA.{i:02}", f"RAA.{i:02}.{j:02}")
    view = coverage(t)
    assert view.aggregated and view.nodes == 20 and view.nodes <= MAX_NODES
    assert view.note and view.note.startswith("Diagram diringkas: 620 kode melebihi batas 300")


def test_aggregate_counts_items_and_links_per_opd() -> None:
    view = aggregate(build())
    bkd = node_line(view, "opd:BKD")
    assert "Badan Kepegawaian Daerah\\n(BKD)\\n8 item" in bkd
    national = node_line(view, "instansi:KEMENDAGRI")
    assert 'style="filled,dashed"' in national  # a national system, per instansi
    p2p = edge_line(view, "opd:DINKES", "opd:DINKES")
    assert p2p is None  # links inside one OPD are not drawn as loops
    spl = edge_line(view, "opd:BKD", "opd:DINKES")
    assert spl and "label=1 " in spl and '"#2f7d4f"' in spl  # INT-04, through the SPL
    # SIMPEG Kesehatan reads BKD's data and runs on its server, and so does SIMRS.
    uses = edge_line(view, "opd:DINKES", "opd:BKD")
    assert uses and "label=3 " in uses


# -- errors ------------------------------------------------------------------------------

ERRORS: dict[str, Callable[[nx.MultiDiGraph], View]] = {
    "context": lambda g: context(g, "application:404"),
    "impact": lambda g: impact(g, "application:404", {}),
    "layers-area": lambda g: layers(g, area="RAA.09"),
    "duplicates": lambda g: duplicates(g, ["application:5", "application:404"]),
    "aggregate": lambda g: aggregate(g, by="provinsi"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_unknown_item_or_opd_is_a_view_error_in_both_languages(case: str) -> None:
    with pytest.raises(ViewError) as caught:
        ERRORS[case](build())
    err = caught.value
    assert err.message and err.message_en and err.message != err.message_en
    assert str(err) == err.message
    wanted = "404" if "404" in case or case in ("context", "impact", "duplicates") else ""
    assert wanted in err.message and wanted in err.message_en


def test_an_opd_with_nothing_to_draw_gets_an_empty_diagram_that_says_why() -> None:
    """The OPD page embeds its landscape and layers: an OPD with no (visible) application
    gets a diagram with a note, not an error."""
    for view in (landscape(build(), "TIDAKADA"), layers(build(), owner="TIDAKADA")):
        assert view.nodes == 0
        assert view.note and "TIDAKADA" in view.note and "TIDAKADA" in (view.note_en or "")
        assert "belum punya" in view.source


def test_an_opd_includes_the_items_of_its_sub_units() -> None:
    g = build()
    g.add_node("application:900", kind="application", label="SIMPUS", owner="BKD.01",
               owner_name="UPT Kepegawaian", units=("BKD.01", "BKD"), opd="BKD",
               opd_name="Badan Kepegawaian", reference="RAA.07.01",
               area_name="Aplikasi Contoh", flags=())  # fmt: skip
    assert "SIMPUS" in landscape(g, "BKD").source
    # Its area's box is named from the area itself, not only its code.
    assert 'label="RAA.07 Aplikasi Contoh"' in landscape(g, "BKD").source
    assert "SIMPUS" in layers(g, owner="BKD").source
    assert "SIMPUS" not in landscape(g, "DINKES").source


# -- too large to draw item by item ------------------------------------------------------


@pytest.fixture(scope="module")
def big_city() -> nx.MultiDiGraph:
    """2,000 applications over 40 OPD (the first holding 400), each with a data set, on
    shared servers, with integrations through the SPL and point to point."""
    rng = random.Random(3)
    g = nx.MultiDiGraph(title="Kota Besar")
    g.add_node("infrastructure:1", kind="infrastructure", label="SPL", infra_type="spl",
               owner="OPD00", flags=())  # fmt: skip
    owners = ["OPD00"] * 400 + [f"OPD{1 + i % 39:02}" for i in range(1600)]
    for i, owner in enumerate(owners, start=1):
        app, data = f"application:{i}", f"dataset:{i}"
        ref = f"RAA.{i % 7:02}.{i % 5:02}"
        flags = DUP if i % 50 == 0 else ()
        g.add_node(
            app,
            kind="application",
            label=f"Aplikasi {i}",
            code=f"APL-{i:04}",
            owner=owner,
            owner_name=f"Dinas {owner}",
            reference=ref,
            flags=flags,
        )
        g.add_node(data, kind="dataset", label=f"Data {i}", owner=owner)
        g.add_edge(app, data, "produces")
        server = f"infrastructure:{100 + i % 30}"
        g.add_node(server, kind="infrastructure", label=f"Server {i % 30}", owner="OPD00")
        g.add_edge(app, server, "hosted_on")
    for _ in range(3000):
        a, b = rng.sample(range(1, 2001), 2)
        spl = rng.random() < 0.7
        g.add_edge(f"application:{a}", f"application:{b}", "integration",
                   through_spl=spl, via="infrastructure:1" if spl else None,
                   confirmed=rng.random() < 0.8, flags=() if spl else P2P)  # fmt: skip
    return g


def with_hub(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with one data centre hosting 400 applications."""
    hub = g.copy()
    hub.add_node("infrastructure:999", kind="infrastructure", label="Pusat Data", owner="OPD00")
    hub.add_edges_from(
        (f"application:{i}", "infrastructure:999", "hosted_on") for i in range(1, 401)
    )
    return hub


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda g: integration(g), id="integration"),
        pytest.param(lambda g: landscape(g, "OPD00"), id="landscape"),
        pytest.param(lambda g: layers(g), id="layers"),
        pytest.param(lambda g: layers(g, owner="OPD00"), id="layers-opd"),
        # A deeper context is drawn shallower (see below); one item's direct
        # neighbourhood over the limit is summarised.
        pytest.param(lambda g: context(with_hub(g), "infrastructure:999"), id="context"),
    ],
)
def test_too_large_for_dot_aggregates_instead_of_hanging(
    big_city: nx.MultiDiGraph, draw: Callable[[nx.MultiDiGraph], View]
) -> None:
    view = draw(big_city)
    assert view.aggregated
    assert 0 < view.nodes <= MAX_NODES
    assert view.note and view.note.startswith("Diagram diringkas: ")
    assert "melebihi batas 300 item" in view.note
    assert view.note_en and "exceed the limit of 300" in view.note_en
    assert "(ringkasan)" in view.title and "Legenda" in view.source
    assert view.nodes == len(drawn(view))


def test_summary_keeps_the_spl_as_hub(big_city: nx.MultiDiGraph) -> None:
    view = integration(big_city)
    assert dot_id("infrastructure:1") in drawn(view)
    assert edge_line(view, "opd:OPD00", "infrastructure:1") is not None
    assert "per perangkat daerah" in (view.note or "")
    single = landscape(big_city, "OPD00")
    assert "per jenis dan area referensi" in (single.note or "")


def test_national_aggregate_of_many_instansi_stays_under_the_limit() -> None:
    g = nx.MultiDiGraph(title="Nasional")
    for i in range(550):
        g.add_node(f"instansi:{i}", kind="instansi", label=f"Kabupaten {i}", code=f"{i:04}",
                   instansi=f"{i:04}", weight=1000 - i, counts={"application": 1000 - i},
                   national=i == 0, flags=())  # fmt: skip
    for i in range(1, 550):
        g.add_edge(f"instansi:{i}", "instansi:0", "integration", through_spl=i % 2 == 0,
                   confirmed=True, weight=i % 5 + 1, flags=())  # fmt: skip
    view = aggregate(g, by="instansi")
    assert view.nodes == MAX_NODES and view.engine == "sfdp"
    assert "Lainnya (251 kelompok)" in view.source
    assert view.note and "251 kelompok lain digabung" in view.note
    assert "Kabupaten 0\\n1.000 item" in node_line(view, "instansi:0000")


# -- the integration map of a big instansi, and of one OPD ------------------------------


def spokes(n_apps: int) -> nx.MultiDiGraph:
    """``n_apps`` applications over 10 OPD, each integrated through one SPL."""
    g = nx.MultiDiGraph(title="Kota Sedang", unit_urls={f"OPD{i}": f"/opd/{i}" for i in range(10)})
    g.add_node("infrastructure:1", kind="infrastructure", label="SPL", infra_type="spl",
               owner="OPD0", flags=())  # fmt: skip
    for i in range(n_apps):
        g.add_node(f"application:{i + 10}", kind="application", label=f"Aplikasi {i}",
                   owner=f"OPD{i % 10}", flags=())  # fmt: skip
        if i:
            g.add_edge(f"application:{i + 10}", "application:10", "integration",
                       via="infrastructure:1", through_spl=True, confirmed=True,
                       flags=())  # fmt: skip
    return g


def test_a_big_instansi_map_is_summarised_per_opd_with_a_way_in() -> None:
    small, big = integration(spokes(100)), integration(spokes(130))
    assert not small.aggregated and small.nodes == 101
    # 131 nodes are under MAX_NODES, but 130 applications in one column are unreadable.
    assert big.aggregated and big.nodes < 20
    assert "--opd" in (big.note or "") and "--opd" in (big.note_en or "")
    assert 'URL="/opd/3"' in big.source  # each OPD's box opens its page
    assert big.engine == "neato"  # hub and spokes, drawn radially


def test_one_opd_integration_map_shows_its_applications_and_their_partners() -> None:
    g = spokes(130)
    view = integration(g, owner="OPD3")
    assert not view.aggregated
    assert "Aplikasi 3" in view.source and "Aplikasi 13" in view.source
    assert "Aplikasi 0" in view.source  # the partner they all integrate with
    # OPD3's 13 applications, their one partner and the SPL: no other OPD's application.
    assert view.nodes == 15


def test_too_deep_a_context_is_drawn_one_step_shallower_and_says_so() -> None:
    g = spokes(130)  # application:10 is every other application's partner
    deep = context(g, "application:11", depth=2)  # 11 → 10 → everyone
    assert not deep.aggregated and "kedalaman 2" not in deep.title
    assert deep.nodes == 2  # depth 1: the application and its one partner
    assert "Kedalaman 2 mencakup" in (deep.note or "") and "Depth 2 reaches" in (deep.note_en or "")
    assert context(g, "application:11", depth=1).note is None
