"""The DCAT JSON-LD export of the data sets and the SPBE evidence tables, through the CLI
on the demo city."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from sqlalchemy import Engine, func, select, update
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.access import RESTRICTED_CLASSES
from catalog.cli import app
from catalog.enums import IntegrationMechanism, LifecycleStatus, choices
from catalog.exchange.dcat import ACCESS_RIGHTS, FREQUENCY
from catalog.exchange.evidence import SHEETS
from catalog.models import (
    Application,
    DataSet,
    InfrastructureItem,
    Instansi,
    Integration,
    IntegrationDataSet,
    ReferenceNode,
    ReferenceSet,
)
from catalog.queries.scope import resolve_instansi

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
KSPBE = Namespace("https://katalog-spbe.invalid/ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
LOOKUPS = Path(__file__).resolve().parents[1] / "catalog" / "data" / "lookups.yaml"

runner = CliRunner()
# rdflib's JSON-LD parser uses its own deprecated class internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def run(engine: Engine, *args: str) -> Any:
    url = engine.url.render_as_string(hide_password=False)
    return runner.invoke(app, ["--database", url, *args], catch_exceptions=False)


def home_id(engine: Engine) -> int:
    with Session(engine) as s:
        inst = resolve_instansi(s, None)
        assert inst is not None
        return inst.id  # type: ignore[return-value]


def export_dcat(engine: Engine, tmp_path: Path, *extra: str) -> Graph:
    out = tmp_path / "data.jsonld"
    result = run(engine, "export", "--format", "dcat", "--output", str(out), *extra)
    assert result.exit_code == 0, result.output
    return Graph().parse(data=out.read_text(encoding="utf-8"), format="json-ld")


def datasets_of(graph: Graph) -> dict[str, URIRef]:
    """dct:identifier → node of every dcat:Dataset."""
    out = {}
    for node in graph.subjects(RDF.type, DCAT.Dataset):
        out[str(graph.value(node, DCT.identifier))] = node
    return out


def test_dcat_is_json_ld_with_one_dataset_per_data_set(demo_city_engine: Engine, tmp_path) -> None:
    graph = export_dcat(demo_city_engine, tmp_path)
    inst_id = home_id(demo_city_engine)
    with Session(demo_city_engine) as s:
        inst = s.get(Instansi, inst_id)
        rows = {
            d.code: d
            for d in s.execute(select(DataSet).where(DataSet.instansi_id == inst_id)).scalars()
        }
    found = datasets_of(graph)
    assert set(found) == set(rows)

    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    assert str(graph.value(catalog, DCT.title)) == f"Katalog Data {inst.name}"  # type: ignore[union-attr]
    publisher = graph.value(catalog, DCT.publisher)
    assert str(graph.value(publisher, DCT.identifier)) == inst.code  # type: ignore[union-attr]
    assert set(graph.objects(catalog, DCAT.dataset)) == set(found.values())

    rights = set(ACCESS_RIGHTS.values())
    for code, node in found.items():
        ds = rows[code]
        assert graph.value(node, DCT.title) == Literal(ds.name, lang="id")
        unit = graph.value(node, DCT.publisher)
        assert (unit, RDF.type, FOAF.Organization) in graph
        assert graph.value(unit, DCT.identifier) is not None
        access = str(graph.value(node, DCT.accessRights))
        assert access in rights
        assert access == ACCESS_RIGHTS[str(ds.classification)]
        frequency = str(graph.value(node, DCT.accrualPeriodicity))
        assert frequency == f"{EU}frequency/{FREQUENCY[ds.update_schedule]}"  # type: ignore[index]
        distribution = graph.value(node, DCAT.distribution)
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        assert graph.value(distribution, DCT["format"]) is not None
        assert str(graph.value(node, DCAT.landingPage)).endswith(f"/data/{ds.id}")
        assert graph.value(node, DCT.modified).datatype == XSD.dateTime  # type: ignore[union-attr]
        assert graph.value(node, KSPBE.dataInduk).toPython() is ds.is_master  # type: ignore[union-attr]
        if ds.reference_code:
            theme = graph.value(node, DCAT.theme)
            assert str(graph.value(theme, SKOS.notation)) == ds.reference_code


def test_dcat_maps_formats_stewards_and_sectors(demo_city_engine: Engine, tmp_path) -> None:
    graph = export_dcat(demo_city_engine, tmp_path)
    formats = {str(o) for o in graph.objects(None, DCT["format"])}
    assert f"{EU}file-type/CSV" in formats
    media = {str(o) for o in graph.objects(None, DCAT.mediaType)}
    assert "http://www.iana.org/assignments/media-types/text/csv" in media
    # The walidata is the contact point, a named vCard organisation.
    contacts = set(graph.objects(None, DCAT.contactPoint))
    assert contacts
    assert all(graph.value(c, URIRef("http://www.w3.org/2006/vcard/ns#fn")) for c in contacts)
    # RAD concepts carry their name from the active reference set; the sector's name is a
    # keyword.
    with Session(demo_city_engine) as s:
        names = dict(
            s.execute(
                select(ReferenceNode.code, ReferenceNode.name)
                .join(ReferenceSet, ReferenceSet.id == ReferenceNode.set_id)
                .where(ReferenceSet.is_active.is_(True), ReferenceNode.scheme == "RAD")
            ).all()
        )
    named = 0
    for node in datasets_of(graph).values():
        theme = graph.value(node, DCAT.theme)
        if theme is None:
            continue
        code = str(graph.value(theme, SKOS.notation))
        if code in names:
            assert graph.value(theme, SKOS.prefLabel) == Literal(names[code], lang="id")
            named += 1
        keywords = {str(k) for k in graph.objects(node, DCAT.keyword)}
        assert names[".".join(code.split(".")[:2])] in keywords
    assert named


def test_dcat_public_leaves_restricted_data_sets_out(demo_city_engine: Engine, tmp_path) -> None:
    graph = export_dcat(demo_city_engine, tmp_path, "--public")
    inst_id = home_id(demo_city_engine)
    with Session(demo_city_engine) as s:
        rows = list(s.execute(select(DataSet).where(DataSet.instansi_id == inst_id)).scalars())
    public = {d.code for d in rows if str(d.classification) not in RESTRICTED_CLASSES}
    assert len(public) < len(rows)
    found = datasets_of(graph)
    assert set(found) == public
    assert {str(o) for o in graph.objects(None, DCT.accessRights)} == {ACCESS_RIGHTS["terbuka"]}


def test_every_default_update_schedule_has_a_frequency() -> None:
    schedules = [
        v[0] for v in yaml.safe_load(LOOKUPS.read_text(encoding="utf-8"))["update_schedule"]
    ]
    assert set(schedules) == set(FREQUENCY)


# -- evidence ----------------------------------------------------------------------------------


def sheet_rows(wb: Any, title: str) -> list[dict[str, Any]]:
    """Data rows of an evidence sheet (headers, then a row of notes), keyed by header."""
    sheet = next(s for s in SHEETS if s.title == title)
    rows = list(wb[title].iter_rows(values_only=True))
    headers = rows[0]
    assert headers == tuple(c.header for c in sheet.columns)
    notes = tuple(c.note for c in sheet.columns)
    data = rows[2:] if len(rows) > 1 and rows[1] == notes else rows[1:]
    return [dict(zip(headers, r, strict=True)) for r in data]


def counts(engine: Engine) -> dict[str, int]:
    inst_id = home_id(engine)
    with Session(engine) as s:

        def n(model: Any, *where: Any) -> int:
            stmt = select(func.count(model.id)).where(model.instansi_id == inst_id, *where)
            return int(s.execute(stmt).scalar_one())

        return {
            "apps": n(Application),
            "infra": n(InfrastructureItem),
            "spl": n(Integration, Integration.intermediary_id.is_not(None)),
            "direct": n(Integration, Integration.intermediary_id.is_(None)),
            "spl_confirmed": n(
                Integration,
                Integration.intermediary_id.is_not(None),
                Integration.confirmed_by_provider.is_(True),
                Integration.confirmed_by_consumer.is_(True),
            ),
        }


def test_evidence_workbook_matches_the_database(demo_city_engine: Engine, tmp_path) -> None:
    out = tmp_path / "bukti.xlsx"
    result = run(demo_city_engine, "export", "--format", "evidence", "--output", str(out))
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert [s.title for s in SHEETS] == [
        "Aset Aplikasi",
        "Aset Infrastruktur",
        "API pada SPL",
        "Integrasi di luar SPL",
    ]
    assert set(wb.sheetnames) >= {s.title for s in SHEETS}
    expected = counts(demo_city_engine)
    assert expected["spl"] and expected["direct"]

    apps = sheet_rows(wb, "Aset Aplikasi")
    assert len(apps) == expected["apps"]
    statuses = {label for _, label in choices(LifecycleStatus)}
    assert {r["Status"] for r in apps} <= statuses
    assert any(r["Ditempatkan pada"] for r in apps)
    assert all(r["OPD pemilik"] for r in apps)

    infra = sheet_rows(wb, "Aset Infrastruktur")
    assert len(infra) == expected["infra"]
    assert "Sistem Penghubung Layanan" in {r["Jenis"] for r in infra}

    spl = sheet_rows(wb, "API pada SPL")
    assert len(spl) == expected["spl"]
    assert all(r["SPL"] for r in spl)
    assert {r["Mekanisme"] for r in spl} <= {label for _, label in choices(IntegrationMechanism)}
    assert sum(r["Dikonfirmasi kedua pihak"] == "ya" for r in spl) == expected["spl_confirmed"]
    assert {r["Dikonfirmasi kedua pihak"] for r in spl} <= {"ya", "tidak"}

    direct = sheet_rows(wb, "Integrasi di luar SPL")
    assert len(direct) == expected["direct"]
    assert "SPL" not in direct[0]

    # The data sets carried are named, as in the database.
    with Session(demo_city_engine) as s:
        integ = s.execute(
            select(Integration).where(Integration.code == spl[0]["Kode integrasi"])
        ).scalar_one()
        names = s.execute(
            select(DataSet.name)
            .join(IntegrationDataSet, IntegrationDataSet.data_set_id == DataSet.id)
            .where(IntegrationDataSet.integration_id == integ.id)
            .order_by(DataSet.name)
        ).scalars()
        assert spl[0]["Data yang dipertukarkan"] == "; ".join(names)
    cover = [r[0] for r in wb["Petunjuk"].iter_rows(values_only=True)]
    assert any(line and f"{expected['spl']} integrasi" in line for line in cover)


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("target", ["bukti.zip", "bukti"])
def test_evidence_as_csv(demo_city_engine: Engine, tmp_path, target: str) -> None:
    out = tmp_path / target
    result = run(demo_city_engine, "export", "--format", "evidence", "--output", str(out))
    assert result.exit_code == 0, result.output
    if out.suffix == ".zip":
        with zipfile.ZipFile(out) as zf:
            files = {n: zf.read(n).decode("utf-8") for n in zf.namelist()}
    else:
        files = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert {s.file for s in SHEETS} <= set(files)
    assert "RINGKASAN.txt" in files
    expected = counts(demo_city_engine)
    assert len(_csv_rows(files["aset_aplikasi.csv"])) == expected["apps"]
    assert len(_csv_rows(files["aset_infrastruktur.csv"])) == expected["infra"]
    spl = _csv_rows(files["api_pada_spl.csv"])
    assert len(spl) == expected["spl"]
    assert "Aplikasi penyedia" in spl[0]
    assert len(_csv_rows(files["integrasi_di_luar_spl.csv"])) == expected["direct"]


def test_public_evidence_leaves_internal_and_restricted_items_out(
    demo_city_engine: Engine, tmp_path
) -> None:
    inst_id = home_id(demo_city_engine)
    with Session(demo_city_engine) as s:
        hidden = s.execute(
            select(Application)
            .where(Application.instansi_id == inst_id)
            .order_by(Application.code)
            .limit(1)
        ).scalar_one()
        hidden_code = hidden.code
        s.execute(update(Application).where(Application.id == hidden.id).values(is_internal=True))
        s.commit()
        open_names = set(
            s.execute(
                select(DataSet.name).where(DataSet.classification.not_in(RESTRICTED_CLASSES))
            ).scalars()
        )
    out = tmp_path / "publik.xlsx"
    result = run(
        demo_city_engine, "export", "--format", "evidence", "--public", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    apps = sheet_rows(wb, "Aset Aplikasi")
    assert len(apps) == counts(demo_city_engine)["apps"] - 1
    assert hidden_code not in {r["Kode aplikasi"] for r in apps}
    integrations = sheet_rows(wb, "API pada SPL") + sheet_rows(wb, "Integrasi di luar SPL")
    assert hidden_code not in {r["Kode aplikasi penyedia"] for r in integrations}
    assert hidden_code not in {r["Kode aplikasi penerima"] for r in integrations}
    carried = {
        name
        for r in integrations
        if r["Data yang dipertukarkan"]
        for name in r["Data yang dipertukarkan"].split("; ")
    }
    assert carried and carried <= open_names


def test_evidence_refuses_an_unknown_file_type(demo_city_engine: Engine, tmp_path) -> None:
    out = tmp_path / "bukti.pdf"
    result = run(demo_city_engine, "export", "--format", "evidence", "--output", str(out))
    assert result.exit_code == 1
    assert not out.exists()
