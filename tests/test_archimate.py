"""The ArchiMate Model Exchange export (``katalog export --format archimate``) and its import
back: schema-valid files, allowed relationships, properties, views, scope, visibility, and
a round trip through ``katalog import``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.cli import app as cli
from catalog.exchange.archimate import build_model, looks_like_archimate, read_archimate
from catalog.exchange.archimate.vocabulary import ALLOWED, NS, XSI
from catalog.exchange.document import Scope, document
from catalog.models import (
    Application,
    ChangeRecord,
    DataSet,
    ImportRun,
    Instansi,
    Integration,
    Organisation,
    ReferenceNode,
)
from tests_support import fresh_sqlite

runner = CliRunner()
SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs" / "archimate"
TYPE = f"{{{XSI}}}type"
A = f"{{{NS}}}"


def katalog(engine, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["--database", str(engine.url), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The Open Group's schema, read from ../shared with every import resolved locally."""
    if not (SPECS / "archimate3_Diagram.xsd").exists():
        pytest.skip(f"ArchiMate schemas not found in {SPECS} (the shared specs folder)")

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
            local = SPECS / str(url).rsplit("/", 1)[-1]
            return self.resolve_filename(str(local), context) if local.exists() else None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(SPECS / "archimate3_Diagram.xsd"), parser))


def export(engine, path: Path, *extra: str) -> etree._Element:  # type: ignore[no-untyped-def]
    result = katalog(engine, "export", "--format", "archimate", "--output", str(path), *extra)
    assert result.exit_code == 0, result.output
    return etree.parse(str(path)).getroot()


_DEFINITIONS: dict[int, tuple[etree._Element, dict[str, str]]] = {}


def props(node: etree._Element, root: etree._Element) -> dict[str, str]:
    """A concept's properties by property name (definitions read once per file)."""
    if id(root) not in _DEFINITIONS:
        names = {
            pd.get("identifier"): pd.findtext(f"{A}name")
            for pd in root.iter(f"{A}propertyDefinition")
        }
        _DEFINITIONS[id(root)] = (root, names)  # the root is kept, so its id stays its own
    names = _DEFINITIONS[id(root)][1]
    return {
        names[p.get("propertyDefinitionRef")]: p.findtext(f"{A}value") or ""
        for p in node.iterfind(f"{A}properties/{A}property")
    }


def elements(root: etree._Element) -> dict[str, etree._Element]:
    return {e.get("identifier"): e for e in root.iter(f"{A}element")}


def relationships(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{A}relationship"))


def city_document(engine) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        city = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        return document(s, Scope(instansi_ids=[city.id]))


@pytest.fixture(scope="module")
def city_export(tmp_path_factory: pytest.TempPathFactory, demo_city_template: Path) -> Path:
    from catalog.db import make_engine

    eng = make_engine(f"sqlite:///{demo_city_template}")
    out = tmp_path_factory.mktemp("archimate") / "kota.xml"
    export(eng, out)
    eng.dispose()
    return out


@pytest.fixture(scope="module")
def city_root(city_export: Path) -> etree._Element:
    return etree.parse(str(city_export)).getroot()


def test_demo_city_export_is_valid_archimate(city_root, city_export, schema, tmp_path) -> None:
    schema.assertValid(city_root.getroottree())
    assert looks_like_archimate(city_export)
    other = tmp_path / "lain.xml"
    other.write_text("<catalog/>", encoding="utf-8")
    assert not looks_like_archimate(other)
    types = {e.get(TYPE) for e in elements(city_root).values()}
    assert {
        "BusinessActor",
        "BusinessProcess",
        "BusinessService",
        "ApplicationComponent",
        "DataObject",
        "Node",
        "Device",
        "SystemSoftware",
        "CommunicationNetwork",
        "Facility",
        "Requirement",
    } <= types
    for name in city_root.iter(f"{A}name"):
        assert name.get("{http://www.w3.org/XML/1998/namespace}lang") in ("id", "en", None)


def test_small_catalogue_export_is_valid(sqlite_engine, tmp_path, schema) -> None:
    doc = {
        "katalog_spbe": 1,
        "instansi": [{"code": "99.01", "name": "Kota Uji", "kind": "kota"}],
        "organisations": [
            {"instansi": "99.01", "code": "01", "name": "Dinas Kominfo"},
            {"instansi": "99.01", "code": "0101", "name": "Bidang Aplikasi", "parent": "01"},
        ],
        "applications": [
            {"instansi": "99.01", "code": "APL-1", "name": "SIMPEG", "owner": "0101",
             "reference_code": "RAA.02"},
            {"instansi": "99.01", "code": "APL-2", "name": "e-Kinerja", "owner": "01"},
        ],
        "integrations": [
            {"instansi": "99.01", "code": "INT-1", "name": "Pegawai", "owner": "01",
             "provider": "APL-1", "consumer": "APL-2"},
        ],
        "relations": [
            {"instansi": "99.01", "type": "depends_on", "source_kind": "application",
             "source": "APL-2", "target_kind": "application", "target": "APL-1"},
        ],
    }  # fmt: skip
    src = tmp_path / "kecil.yaml"
    src.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert katalog(sqlite_engine, "import", str(src)).exit_code == 0
    root = export(sqlite_engine, tmp_path / "kecil.xml", "--instansi", "99.01")
    schema.assertValid(root.getroottree())
    found = elements(root)
    app = found["id-application-99.01-APL-1"]
    assert app.get(TYPE) == "ApplicationComponent"
    assert props(app, root)["spbe:RAA"] == "RAA.02"
    assert props(app, root)["katalog:owner"] == "0101"
    # depends_on: the application depended on serves the one that depends on it.
    serving = [r for r in relationships(root) if r.get(TYPE) == "Serving"]
    assert [(r.get("source"), r.get("target")) for r in serving] == [
        ("id-application-99.01-APL-1", "id-application-99.01-APL-2")
    ]
    flow = next(r for r in relationships(root) if r.get(TYPE) == "Flow")
    assert flow.get("identifier") == "id-integration-99.01-INT-1"
    # The unit tree: instansi composes the OPD, the OPD its sub-unit.
    compositions = {
        (r.get("source"), r.get("target"))
        for r in relationships(root)
        if r.get(TYPE) == "Composition"
    }
    assert compositions == {
        ("id-instansi-99.01", "id-unit-99.01-01"),
        ("id-unit-99.01-01", "id-unit-99.01-0101"),
    }


def test_relationships_are_allowed_and_mapped_by_relation_type(
    city_root, demo_city_template
) -> None:
    found = elements(city_root)
    by_type: dict[str, list[tuple[str, str, etree._Element]]] = {}
    for rel in relationships(city_root):
        kind = rel.get(TYPE)
        if kind == "Association":
            continue  # allowed between any two concepts
        src, dst = found[rel.get("source")], found[rel.get("target")]
        triple = (src.get(TYPE), kind, dst.get(TYPE))
        assert triple in ALLOWED, triple
        by_type.setdefault(props(rel, city_root).get("katalog:relasi", kind), []).append(
            (src.get(TYPE), dst.get(TYPE), rel)
        )
    assert {(s, d) for s, d, _ in by_type["supported_by"]} == {
        ("BusinessService", "BusinessProcess")
    }
    assert {r.get(TYPE) for _, _, r in by_type["supported_by"]} == {"Serving"}
    assert {(s, d) for s, d, _ in by_type["delivered_by"]} == {
        ("ApplicationComponent", "BusinessService")
    }
    assert {r.get("accessType") for _, _, r in by_type["reads"]} == {"Read"}
    assert {r.get("accessType") for _, _, r in by_type["produces"]} == {"Write"}
    assert {d for _, d, _ in by_type["protects"]} == {"Requirement"}
    flows = by_type["Flow"]
    # Every integration of the catalogue is one flow between two applications.
    from catalog.db import make_engine

    eng = make_engine(f"sqlite:///{demo_city_template}")
    with Session(eng) as s:
        integrations = s.execute(select(func.count()).select_from(Integration)).scalar_one()
    eng.dispose()
    assert integrations > 100
    assert len(flows) == integrations and {s for s, _, _ in flows} == {"ApplicationComponent"}
    spl = [e for e in found.values() if props(e, city_root).get("katalog:infra_type") == "spl"]
    assert spl and {e.get(TYPE) for e in spl} == {"SystemSoftware"}


def test_properties_carry_codes_owner_and_reference(city_root, demo_city_template) -> None:
    from catalog.db import make_engine

    eng = make_engine(f"sqlite:///{demo_city_template}")
    with Session(eng) as s:
        apps = {a.code: a for a in s.execute(select(Application)).scalars()}
        owners = {o.id: o.code for o in s.execute(select(Organisation)).scalars()}
        references = dict(s.execute(select(ReferenceNode.code, ReferenceNode.name)).all())
    eng.dispose()
    seen = 0
    for element in elements(city_root).values():
        values = props(element, city_root)
        if values.get("katalog:jenis") != "application" or "katalog:di-luar-ekspor" in values:
            continue
        app = apps[values["katalog:code"]]
        assert element.findtext(f"{A}name") == app.name
        assert values["katalog:owner"] == owners[app.owner_id]
        assert values["katalog:status"] == str(app.status)
        assert values.get("spbe:RAA") == app.reference_code
        if app.reference_code:
            assert values["spbe:RAA:nama"] == references[app.reference_code]
        seen += 1
    assert seen >= 200
    definitions = {
        pd.findtext(f"{A}name"): pd.get("type") for pd in city_root.iter(f"{A}propertyDefinition")
    }
    assert definitions["spbe:RAA"] == "string"
    assert definitions["katalog:is_internal"] == "boolean"
    assert definitions["katalog:contract_value"] == "number"


def test_views_place_every_element_and_connect_their_relationships(city_root) -> None:
    views = list(city_root.iter(f"{A}view"))
    names = [v.findtext(f"{A}name") for v in views]
    assert "Integrasi aplikasi" in names
    assert sum(1 for n in names if n.startswith("OPD ")) >= 10
    rel_ids = {r.get("identifier") for r in relationships(city_root)}
    for view in views:
        nodes = {n.get("identifier"): n for n in view.iter(f"{A}node")}
        assert nodes
        spots = {(n.get("x"), n.get("y")) for n in nodes.values()}
        assert len(spots) == len(nodes)  # no two boxes on the same spot
        for conn in view.iter(f"{A}connection"):
            assert conn.get("relationshipRef") in rel_ids
            assert conn.get("source") in nodes and conn.get("target") in nodes
    # The folder tree: one folder per domain, views referenced from their own folder.
    labels = [i.findtext(f"{A}label") for i in city_root.find(f"{A}organizations")]
    assert labels[:3] == ["Organisasi", "Proses Bisnis", "Layanan"]
    assert "Tampilan" in labels


def test_a_layout_function_places_the_nodes() -> None:
    def diagonal(nodes, edges):  # type: ignore[no-untyped-def]
        return {
            node_id: (i * 100.4, i * 50.0, 120.0, 55.0) for i, (node_id, _, _) in enumerate(nodes)
        }

    sections = {
        "organisations": [{"instansi": "X", "code": "01", "name": "Dinas"}],
        "applications": [
            {"instansi": "X", "code": "A", "name": "Satu", "owner": "01"},
            {"instansi": "X", "code": "B", "name": "Dua", "owner": "01"},
        ],
    }
    root = build_model(sections, layout=diagonal)
    view = next(root.iter(f"{A}view"))
    boxes = [(n.get("x"), n.get("y"), n.get("w"), n.get("h")) for n in view.iter(f"{A}node")]
    assert boxes == [
        ("0", "0", "120", "55"),
        ("100", "50", "120", "55"),
        ("201", "100", "120", "55"),
    ]


def test_opd_option_limits_the_export(demo_city_engine, city_root, tmp_path, schema) -> None:
    with Session(demo_city_engine) as s:
        unit = s.execute(select(Organisation).where(Organisation.code == "030801")).scalar_one()
        subtree = set(
            s.execute(
                select(Organisation.code).where(Organisation.path.startswith(unit.path))
            ).scalars()
        )
    root = export(demo_city_engine, tmp_path / "opd.xml", "--opd", "030801")
    schema.assertValid(root.getroottree())
    owned = 0
    for element in elements(root).values():
        values = props(element, root)
        if values.get("katalog:jenis") == "organisation":
            assert values["katalog:code"] in subtree
        elif "katalog:owner" in values:
            assert values["katalog:owner"] in subtree
            owned += 1
    assert owned > 0
    assert len(elements(root)) < len(elements(city_root)) / 2


def test_public_export_leaves_out_restricted_data_sets(demo_city_engine, tmp_path, schema) -> None:
    with Session(demo_city_engine) as s:
        restricted = set(
            s.execute(select(DataSet.code).where(DataSet.classification != "terbuka")).scalars()
        )
    assert restricted
    root = export(demo_city_engine, tmp_path / "publik.xml", "--public")
    schema.assertValid(root.getroottree())
    shown = {
        props(e, root).get("katalog:code")
        for e in elements(root).values()
        if e.get(TYPE) == "DataObject"
    }
    assert len(shown) > 100
    assert not shown & restricted
    # Nor does any integration name one among the data sets it carries.
    for rel in relationships(root):
        carried = props(rel, root).get("katalog:data_sets", "")
        assert not {c.strip() for c in carried.split(";")} & restricted


def test_round_trip_through_import_reproduces_the_catalogue(
    demo_city_engine, city_export, tmp_path
) -> None:
    target = fresh_sqlite(tmp_path / "target.sqlite3")
    first = katalog(target, "import", str(city_export))
    assert first.exit_code == 0, first.output
    # Same items (kind, code, name, owner, reference, every column), relations, integrations.
    assert city_document(target) == city_document(demo_city_engine)
    with Session(target) as s:
        changes = s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
    again = katalog(target, "import", str(city_export))
    assert again.exit_code == 0, again.output
    with Session(target) as s:
        assert s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one() == changes


def _nothing_written(engine, before: int) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(Application)).scalar_one() == before
        runs = s.execute(select(ImportRun.outcome)).scalars().all()
        assert runs in ([], ["rejected"])


def _apps(engine) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(Application)).scalar_one()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<model><elements>", "bukan XML yang sah"),
        ('<?xml version="1.0"?><catalog xmlns="urn:x"><item/></catalog>', "bukan berkas ArchiMate"),
    ],
)
def test_malformed_or_foreign_xml_is_refused(sqlite_engine, tmp_path, content, expected) -> None:
    before = _apps(sqlite_engine)
    path = tmp_path / "rusak.xml"
    path.write_text(content, encoding="utf-8")
    result = katalog(sqlite_engine, "import", str(path))
    assert result.exit_code == 1
    assert expected in " ".join(result.output.split())
    _nothing_written(sqlite_engine, before)


def test_a_foreign_archimate_model_names_the_element_it_cannot_import(
    sqlite_engine, tmp_path
) -> None:
    if not (SPECS / "example-Sample1.xml").exists():
        pytest.skip(f"example-Sample1.xml not found in {SPECS}")
    before = _apps(sqlite_engine)
    path = tmp_path / "Sample1.xml"
    path.write_bytes((SPECS / "example-Sample1.xml").read_bytes())
    result = katalog(sqlite_engine, "import", str(path))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    # The process has no owning unit; the business role maps to nothing and is skipped.
    assert "BusinessProcess id-89c22226 (Sell Product)" in text
    assert "BusinessRole" in text and "dilewati" in text
    _nothing_written(sqlite_engine, before)


def test_entities_are_not_expanded(tmp_path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" identifier="m"><name>&x;</name><elements>'
        '<element identifier="id-a" xsi:type="ApplicationComponent"><name>&x;</name></element>'
        "</elements></model>",
        encoding="utf-8",
    )
    result = read_archimate(path)
    assert all("RAHASIA" not in str(row.values) for row in result.rows)
    assert all("RAHASIA" not in p.message for p in result.problems)


def test_a_hand_edited_model_adds_items_and_relations(sqlite_engine, tmp_path) -> None:
    doc = {
        "katalog_spbe": 1,
        "instansi": [{"code": "99.02", "name": "Kabupaten Uji", "kind": "kabupaten"}],
        "organisations": [{"instansi": "99.02", "code": "01", "name": "Dinas Kominfo"}],
        "services": [{"instansi": "99.02", "code": "LY-1", "name": "Perizinan", "owner": "01"}],
    }
    src = tmp_path / "awal.yaml"
    src.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert katalog(sqlite_engine, "import", str(src)).exit_code == 0
    out = tmp_path / "model.xml"
    root = export(sqlite_engine, out, "--instansi", "99.02")
    # As a modeller would in Archi: a new sub-unit (composed by the OPD) and a new
    # application it owns (an association), realizing the service.
    for ident, kind, name in (
        ("id-SIMPERIZINAN", "ApplicationComponent", "SIM Perizinan"),
        ("id-0102", "BusinessActor", "Bidang Aplikasi"),
    ):
        new = etree.SubElement(root.find(f"{A}elements"), f"{A}element", identifier=ident)
        new.set(TYPE, kind)
        etree.SubElement(new, f"{A}name").text = name
    rels = root.find(f"{A}relationships")
    for ident, kind, source, target in (
        ("id-r0", "Composition", "id-unit-99.02-01", "id-0102"),
        ("id-r1", "Association", "id-0102", "id-SIMPERIZINAN"),
        ("id-r2", "Realization", "id-SIMPERIZINAN", "id-service-99.02-LY-1"),
    ):
        rel = etree.SubElement(
            rels, f"{A}relationship", identifier=ident, source=source, target=target
        )
        rel.set(TYPE, kind)
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = katalog(sqlite_engine, "import", str(out))
    assert result.exit_code == 0, result.output
    with Session(sqlite_engine) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == "99.02")).scalar_one()
        data = document(s, Scope(instansi_ids=[inst.id]))
    assert [(u["code"], u.get("parent")) for u in data["organisations"]] == [
        ("01", None),
        ("0102", "01"),
    ]
    assert [(a["code"], a["name"], a["owner"]) for a in data["applications"]] == [
        ("SIMPERIZINAN", "SIM Perizinan", "0102")
    ]
    assert [(r["type"], r["source"], r["target"]) for r in data["relations"]] == [
        ("delivered_by", "LY-1", "SIMPERIZINAN")
    ]


def test_export_help_names_the_format(sqlite_engine) -> None:
    result = katalog(sqlite_engine, "export", "--help")
    assert "archimate" in result.output and "ArchiMate" in result.output


def test_control_characters_in_names_still_give_valid_xml(schema) -> None:
    root = build_model(
        {
            "organisations": [{"instansi": "X", "code": "01", "name": "Dinas\x0b A"}],
            "processes": [{"instansi": "X", "code": "P", "name": "Izin\x01", "owner": "01"}],
        }
    )
    schema.assertValid(root.getroottree())
    assert [e.findtext(f"{A}name") for e in root.iter(f"{A}element")] == ["Dinas A", "Izin"]


def test_views_take_their_positions_from_graphviz(city_root) -> None:
    """The CLI passes Graphviz's layout: boxes sit where dot put them, not on the
    exporter's fallback grid (x = 20 + 190·k)."""
    grid_x = {20 + 190 * k for k in range(8)}
    placed_by_graphviz = 0
    for view in city_root.iter(f"{A}view"):
        xs = {int(n.get("x")) for n in view.iter(f"{A}node")}
        if xs and not xs <= grid_x:
            placed_by_graphviz += 1
    assert placed_by_graphviz >= 10


def test_the_downloads_page_offers_archimate_and_it_validates(demo_city_engine, schema) -> None:
    from tests_support import client_for

    with client_for(demo_city_engine) as c:
        page = c.get("/unduh")
        assert "format=archimate" in page.text and "ArchiMate" in page.text
        answer = c.get("/unduh/ekspor?format=archimate")
    assert answer.status_code == 200, answer.text[-500:]
    assert answer.headers["content-disposition"].endswith('.xml"')
    root = etree.fromstring(answer.content)
    schema.assertValid(root.getroottree())
    assert len(list(root.iter(f"{A}view"))) > 5
