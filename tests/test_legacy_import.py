"""Legacy inventories imported through mapping files (catalog/exchange/mapping/).

The real inventories are read from ``../shared/realdata`` when it is there (the Denpasar
one carries no licence and is never copied into the repository); expectations are computed
from the CSV files at test time. Without the folder the tests are skipped with the reason,
except under CI (``CI=true``), which must run them.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from catalog.exchange.mapping import (
    MAPPINGS_DIR,
    mapping_defaults,
    read_with_mapping,
    unit_code,
)
from catalog.models import Application, Instansi, Integration, Organisation
from catalog.services.context import system_actor
from catalog.services.imports import ImportOptions, import_rows
from tests_support import client_for, fresh_sqlite

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
DENPASAR = REALDATA / "denpasar-spbe-inventaris-aplikasi"
BANTEN = REALDATA / "banten-daftar-website-aplikasi-2017"


def _need(folder: Path) -> Path:
    if folder.is_dir():
        return folder
    reason = f"data nyata tidak ada di {folder} (lihat shared/realdata/README.md)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI harus menjalankan tes ini / CI must run these tests")
    pytest.skip(reason)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _import(engine, mapping: Path, paths: list[Path]):  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        result = read_with_mapping(s, mapping, paths)
        assert not result.problems, [(p.where.describe(), p.message) for p in result.problems]
        instansi, key = mapping_defaults(mapping)
        report = import_rows(
            s,
            system_actor(),
            result.rows,
            ImportOptions(instansi=instansi, key=key or "code", mapping=mapping.name),
            notices=result.notices,
        )
    assert report.outcome == "applied", [p.to_dict() for p in report.problems[:10]]
    return result, report


def _assert_no_op(report) -> None:  # type: ignore[no-untyped-def]
    for kind, counts in report.counts().items():
        assert counts["created"] == 0 and counts["updated"] == 0, (kind, counts)


# -- the real inventories ------------------------------------------------------------------
def test_denpasar_inventory_imports_through_its_mapping(tmp_path) -> None:
    folder = _need(DENPASAR)
    apps = _csv(folder / "aplikasi.csv")
    units = _csv(folder / "tb_opd.csv")
    engine = fresh_sqlite(tmp_path / "denpasar.sqlite3")
    mapping = MAPPINGS_DIR / "denpasar.yaml"
    result, report = _import(engine, mapping, [folder])
    counts = report.counts()
    assert counts["application"]["created"] == len(apps) == 189
    assert counts["organisation"]["created"] == len(units)
    assert counts["integration"]["created"] >= 1
    # Unmatched notes are listed for a person to read, with the summary last.
    assert any("usulan integrasi" in n for n in result.notices)

    # Units below an OPD hang under it (8-digit code under its 6-digit prefix).
    codes = {u["idopd"] for u in units}
    child = next(c for c in sorted(codes) if len(c) == 8 and c[:6] in codes)
    with Session(engine) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == "51.71")).scalar_one()
        org = s.execute(
            select(Organisation).where(
                Organisation.instansi_id == inst.id, Organisation.code == child
            )
        ).scalar_one()
        parent = s.get(Organisation, org.parent_id)
        assert parent is not None and parent.code == child[:6]

    # "ACRONYM (Expansion)": name and acronym split, the owner and status kept, the source
    # key visible in the API.
    pattern = re.compile(r"^([A-Z]{3,12}) \(([^()]+ [^()]+)\)$")
    sample = next(a for a in apps if pattern.match(a["judul"].strip()))
    acronym, expansion = pattern.match(sample["judul"].strip()).groups()  # type: ignore[union-attr]
    with client_for(engine) as client:
        body = client.get("/api/v1/applications", params={"q": acronym, "instansi": "51.71"}).json()
        item = next(i for i in body["items"] if i["source_key"] == sample["id_app"])
        assert item["acronym"] == acronym and item["name"] == expansion
        assert item["owner"]["code"] == sample["unit"]
        assert item["status"] == {"aktif": "active", "naktif": "inactive"}[sample["sts_aktif"]]
        inactive = client.get(
            "/api/v1/applications", params={"status": "inactive", "instansi": "51.71"}
        ).json()
        assert inactive["total"] == sum(a["sts_aktif"] == "naktif" for a in apps)
        integrations = client.get(
            "/api/v1/integrations", params={"instansi": "51.71", "per_page": 200}
        ).json()
        assert integrations["total"] == counts["integration"]["created"]
        for found in integrations["items"]:
            assert found["status"] == "proposed"
            assert not found["confirmed_by_provider"] and not found["confirmed_by_consumer"]
            assert found["mechanism"] == "other" and "catatan integrasi" in found["description"]

    # Importing the same files again changes nothing.
    _result, again = _import(engine, mapping, [folder])
    _assert_no_op(again)
    assert again.counts()["application"]["unchanged"] == len(apps)


def test_banten_list_imports_through_its_mapping(tmp_path) -> None:
    folder = _need(BANTEN)
    rows = _csv(folder / "daftar-website-dan-aplikasi-2017.csv")
    engine = fresh_sqlite(tmp_path / "banten.sqlite3")
    mapping = MAPPINGS_DIR / "banten.yaml"
    _result, report = _import(engine, mapping, [folder])
    counts = report.counts()
    assert counts["application"]["created"] == len(rows) == 100
    assert counts["organisation"]["created"] == len({r["OPD / Lembaga"] for r in rows})

    sample = next(r for r in rows if r["Keterangan"] and r["Posisi Server"] == "Diluar Kominfo")
    host = sample["URL"].strip().lower()
    with client_for(engine) as client:
        body = client.get(
            "/api/v1/applications", params={"q": host.split(".")[0], "instansi": "36"}
        ).json()
        item = next(i for i in body["items"] if i["source_key"] == sample["no"])
    assert item["owner"]["code"] == unit_code(sample["OPD / Lembaga"])
    assert item["description"] == sample["Keterangan"] and item["platform"] == "web"
    assert item["url"] == sample["URL"] and host in item["name"]
    assert item["hosting_note"].startswith("Di luar")
    with Session(engine) as s:
        unnamed = (
            s.execute(
                select(Application.name).where(
                    Application.source_key.in_(
                        [r["no"] for r in rows if not r["Keterangan"] and not r["URL"].strip()]
                    )
                )
            )
            .scalars()
            .all()
        )
    assert all(name.startswith(("Website ", "Aplikasi ")) for name in unnamed)

    _result, again = _import(engine, mapping, [folder])
    _assert_no_op(again)


# -- small synthetic mappings --------------------------------------------------------------
MAPPING = """\
katalog_spbe_mapping: 1
key: source_key
instansi: {code: "99.01", name: Pemerintah Kota Uji, kind: kota}
empty: ["-"]
files:
  apps: {name: apps.csv}
  media: {name: media.csv}
lookups:
  media: {file: media, key: id, value: nama}
sheets:
  organisations:
    file: apps
    distinct: true
    columns:
      code: {column: opd, code_from_name: true}
      name: opd
  applications:
    file: apps
    columns:
      source_key: id
      code: {template: "APL-UJI-{id}"}
      name: {column: judul, split: name}
      acronym: {column: judul, split: acronym}
      owner: {column: opd, code_from_name: true}
      status: {column: aktif, values: {aktif: active, naktif: inactive}}
      app_type: {column: klas, values: {1: khusus, "2": umum}}
      platform: {column: media, lookup: media, values: {Website: web, Mobile: mobile}}
      year_built: tahun
integration_notes:
  columns: [catatan]
"""
MEDIA = "id,nama\n1,Website\n2,Mobile\n"
APPS = (
    "id;judul;opd;aktif;klas;media;tahun;catatan\n"
    "1;SIDAB (Sistem Informasi Distribusi Air Bersih);Dinas Uji;aktif;1;1;2019;"
    "Sudah terintegrasi dengan SIAK. Belum terintegrasi dengan SIPD.\n"
    "2;Sistem Informasi Gaji (SIGA);Dinas Uji;naktif;2;2;-;"
    "Terintegrasi dengan SIDAB. Terintegrasi dengan Data Center Dinas\n"
    "3;Caf\xe9 Online;Badan Uji;aktif;1;1;-;\n"
)


def _files(tmp_path: Path, apps: str = APPS, mapping: str = MAPPING) -> tuple[Path, Path]:
    folder = tmp_path / "lama"
    folder.mkdir()
    (folder / "apps.csv").write_bytes(apps.encode("cp1252"))
    (folder / "media.csv").write_text(MEDIA, encoding="utf-8")
    path = tmp_path / "uji.yaml"
    path.write_text(mapping, encoding="utf-8")
    return path, folder


def test_values_are_translated_and_names_split(tmp_path) -> None:
    mapping, folder = _files(tmp_path)
    engine = fresh_sqlite(tmp_path / "uji.sqlite3")
    with Session(engine) as s:
        result = read_with_mapping(s, mapping, [folder])
    assert not result.problems, [p.message for p in result.problems]
    assert any("Windows-1252" in n for n in result.notices)
    apps = {r.values["source_key"]: r for r in result.rows if r.sheet.key == "applications"}
    first, second, third = apps["1"].values, apps["2"].values, apps["3"].values
    assert (first["name"], first["acronym"]) == ("Sistem Informasi Distribusi Air Bersih", "SIDAB")
    assert (second["name"], second["acronym"]) == ("Sistem Informasi Gaji", "SIGA")
    assert (third["name"], third["acronym"]) == ("Caf\xe9 Online", None)
    assert (first["status"], second["status"]) == ("active", "inactive")
    assert (first["app_type"], second["app_type"]) == ("khusus", "umum")
    assert (first["platform"], second["platform"]) == ("web", "mobile")
    assert first["year_built"] == "2019" and second["year_built"] is None
    assert first["owner"] == unit_code("Dinas Uji") != third["owner"]
    # Problems point at the user's own file: the row and the original column.
    assert apps["2"].at("status").describe() == "apps.csv, baris 3, kolom aktif"

    # Notes: a clear mention (a national application, a row of the file) is proposed; a
    # negated one is not; one naming nothing known is a notice.
    proposed = [r for r in result.rows if r.sheet.key == "integrations"]
    pairs = {(r.values["provider"], r.values["consumer"]) for r in proposed}
    assert pairs == {("KEMENDAGRI/SIAK", "APL-UJI-1"), ("APL-UJI-1", "APL-UJI-2")}
    assert all(r.values["confirmed_by_provider"] is False for r in proposed)
    assert any("Data Center" in n for n in result.notices)

    _result, report = _import(engine, mapping, [folder])
    assert report.counts()["integration"]["created"] == 2
    with Session(engine) as s:
        stored = s.execute(select(Integration)).scalars().all()
        assert {i.status.value for i in stored} == {"proposed"}
        assert not any(i.confirmed_by_provider or i.confirmed_by_consumer for i in stored)
    _result, again = _import(engine, mapping, [folder])
    _assert_no_op(again)


def test_a_missing_mapped_column_is_located(tmp_path) -> None:
    mapping, folder = _files(tmp_path, apps=APPS.replace("judul", "nama_aplikasi"))
    engine = fresh_sqlite(tmp_path / "uji.sqlite3")
    with Session(engine) as s:
        result = read_with_mapping(s, mapping, [folder])
    [problem] = result.problems
    assert (problem.where.file, problem.where.row, problem.where.column) == ("apps.csv", 1, "judul")
    assert "nama_aplikasi" in problem.message  # the columns that are there
    assert not [r for r in result.rows if r.sheet.key == "applications"]


def test_an_unknown_code_is_a_located_problem_and_nothing_is_written(tmp_path) -> None:
    bad = APPS.replace("Dinas Uji;naktif;2;2;", "Dinas Uji;hapus;2;7;")
    mapping, folder = _files(tmp_path, apps=bad)
    db = tmp_path / "uji.sqlite3"
    engine = fresh_sqlite(db)
    with Session(engine) as s:
        result = read_with_mapping(s, mapping, [folder])
    where = {(p.where.file, p.where.row, p.where.column): p for p in result.problems}
    assert set(where) == {("apps.csv", 3, "media"), ("apps.csv", 3, "aktif")}
    assert "media.csv" in where[("apps.csv", 3, "media")].message
    assert "hapus" in where[("apps.csv", 3, "aktif")].message_en

    from typer.testing import CliRunner

    from catalog.cli import app
    from catalog.models import ImportRun

    # The mapping's instansi does not exist yet: the rejected run creates nothing at all,
    # not even the instansi, and is still recorded.
    cli = CliRunner().invoke(
        app, ["--database", f"sqlite:///{db}", "import", "--mapping", str(mapping), str(folder)]
    )
    assert cli.exit_code == 1, cli.output
    with Session(engine) as s:
        assert s.execute(select(Instansi.id).where(Instansi.code == "99.01")).all() == []
        run = s.execute(select(ImportRun)).scalar_one()
        assert run.outcome == "rejected" and run.instansi_id is None
    with Session(engine) as s:
        assert (
            s.execute(select(Application.id).where(Application.code.like("APL-UJI-%"))).all() == []
        )
        assert (
            s.execute(select(Organisation.id).where(Organisation.name == "Dinas Uji")).all() == []
        )


def test_a_broken_mapping_is_reported_against_the_mapping_file(tmp_path) -> None:
    broken = MAPPING.replace("lookup: media", "lookup: jenis").replace(
        "year_built: tahun", "tahun_dibuat: tahun"
    )
    mapping, folder = _files(tmp_path, mapping=broken)
    engine = fresh_sqlite(tmp_path / "uji.sqlite3")
    with Session(engine) as s:
        result = read_with_mapping(s, mapping, [folder])
    columns = {p.where.column for p in result.problems}
    assert {p.where.file for p in result.problems} == {"uji.yaml"}
    assert "sheets.applications.columns.platform.lookup" in columns
    assert "sheets.applications.columns.tahun_dibuat" in columns
    assert not result.rows


def test_an_xlsx_sheet_below_a_title_row(tmp_path) -> None:
    from openpyxl import Workbook

    folder = tmp_path / "lama"
    folder.mkdir()
    wb = Workbook()
    wb.active.title = "Catatan"
    ws = wb.create_sheet("Daftar")
    ws.append(["Daftar aplikasi 2024"])  # a title above the header row
    ws.append(["no", "Nama", "OPD"])
    ws.append([1, "SIGA (Sistem Informasi Gaji)", "Badan Uji"])
    ws.append([None, None, None])
    ws.append([2, "Portal Uji", "Badan Uji"])
    wb.save(folder / "inventaris-2024.xlsx")
    mapping = tmp_path / "xlsx.yaml"
    mapping.write_text(
        "katalog_spbe_mapping: 1\n"
        "instansi: {code: '99.02', name: Kabupaten Uji, kind: kabupaten}\n"
        "files:\n  daftar: {name: 'inventaris-*.xlsx', sheet: Daftar, header_row: 2}\n"
        "sheets:\n"
        "  organisations:\n    file: daftar\n    distinct: true\n"
        "    columns: {code: {column: OPD, code_from_name: true}, name: OPD}\n"
        "  applications:\n    file: daftar\n    columns:\n"
        "      source_key: 'no'\n"
        "      name: {column: Nama, split: name}\n"
        "      acronym: {column: Nama, split: acronym}\n"
        "      owner: {column: OPD, code_from_name: true}\n",
        encoding="utf-8",
    )
    engine = fresh_sqlite(tmp_path / "uji.sqlite3")
    result, report = _import(engine, mapping, [folder])
    apps = [r for r in result.rows if r.sheet.key == "applications"]
    assert [r.where.describe() for r in apps] == [
        "inventaris-2024.xlsx, lembar Daftar, baris 3",
        "inventaris-2024.xlsx, lembar Daftar, baris 5",
    ]
    assert apps[0].values["acronym"] == "SIGA" and apps[0].values["source_key"] == "1"
    assert report.counts()["application"]["created"] == 2
    _result, again = _import(engine, mapping, [folder])
    _assert_no_op(again)


# -- mistakes in files and mappings are located, never crashes ---------------------------
SMALL = """\
katalog_spbe_mapping: 1
instansi: {code: "99.03", name: Kota Kecil, kind: kota}
files:
  apps: {name: apps.csv}
sheets:
  applications:
    file: apps
    columns: {source_key: id, name: nama}
"""


def _read(tmp_path: Path, mapping: str, files: dict[str, bytes | str]):  # type: ignore[no-untyped-def]
    folder = tmp_path / "lama"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    path = tmp_path / "kecil.yaml"
    path.write_text(mapping, encoding="utf-8")
    with Session(fresh_sqlite(tmp_path / "kecil.sqlite3")) as s:
        return read_with_mapping(s, path, [folder])


def _located(result) -> set[tuple[str, int, str | None]]:  # type: ignore[no-untyped-def]
    return {(p.where.file, p.where.row, p.where.column) for p in result.problems}


def test_the_csv_delimiter_comes_from_the_header_row(tmp_path) -> None:
    mapping = SMALL.replace("{name: apps.csv}", "{name: apps.csv, header_row: 2}")
    text = "Daftar aplikasi, Kota Kecil, 2024\nid;nama\n1;Portal, Kota\n2;SIGA\n"
    result = _read(tmp_path, mapping, {"apps.csv": text})
    assert not result.problems, [p.message for p in result.problems]
    apps = [r for r in result.rows if r.sheet.key == "applications"]
    assert [(r.values["source_key"], r.values["name"], r.where.row) for r in apps] == [
        ("1", "Portal, Kota", 3),
        ("2", "SIGA", 4),
    ]


@pytest.mark.parametrize("value", ["dua", "0", "-1", "1.5", "true"])
def test_numbers_in_a_mapping_are_checked(tmp_path, value) -> None:
    mapping = SMALL.replace("{name: apps.csv}", f"{{name: apps.csv, header_row: {value}}}")
    mapping += (
        "  organisations:\n    file: apps\n"
        f"    parent_from_code: {{step: {value}, min_length: {value}}}\n"
        "    columns: {code: id, name: nama}\n"
    )
    result = _read(tmp_path, mapping, {"apps.csv": "id,nama\n1,A\n"})
    assert _located(result) == {
        ("kecil.yaml", 0, "files.apps.header_row"),
        ("kecil.yaml", 0, "sheets.organisations.parent_from_code.step"),
        ("kecil.yaml", 0, "sheets.organisations.parent_from_code.min_length"),
    }
    shown = {"true": "True"}.get(value, value)  # as YAML reads it
    assert all(f"'{shown}'" in p.message and p.message_en for p in result.problems)
    assert not result.rows


def test_a_bad_delimiter_or_parent_rule_is_located(tmp_path) -> None:
    mapping = SMALL.replace("{name: apps.csv}", "{name: apps.csv, delimiter: ';;'}")
    mapping += (
        "  organisations:\n    file: apps\n    parent_from_code: 2\n"
        "    columns: {code: id, name: nama}\n"
    )
    result = _read(tmp_path, mapping, {"apps.csv": "id,nama\n1,A\n"})
    assert _located(result) == {
        ("kecil.yaml", 0, "files.apps.delimiter"),
        ("kecil.yaml", 0, "sheets.organisations.parent_from_code"),
    }


def test_a_mapping_of_the_wrong_shape_is_located(tmp_path) -> None:
    mapping = SMALL.replace("files:", "empty: true\nlookups: [media]\nfiles:").replace(
        "columns: {source_key: id, name: nama}",
        "join: {file: apps, column: id, equals: id}\n"
        "    columns: {source_key: id, name: {column: nama, match: Nama, lookup: [x]}}",
    )
    result = _read(tmp_path, mapping, {"apps.csv": "id,nama\n1,A\n"})
    assert _located(result) == {
        ("kecil.yaml", 0, "empty"),
        ("kecil.yaml", 0, "lookups"),
        ("kecil.yaml", 0, "sheets.applications.join"),
        ("kecil.yaml", 0, "sheets.applications.columns.name.match"),
        ("kecil.yaml", 0, "sheets.applications.columns.name.lookup"),
    }


def test_every_wrong_join_key_is_reported_once_and_alone(tmp_path) -> None:
    mapping = (
        SMALL.replace(
            "  apps: {name: apps.csv}\n",
            "  apps: {name: apps.csv}\n  detail: {name: detail.csv}\n",
        )
        .replace(
            "    file: apps\n",
            "    file: apps\n    join: [{file: detail, column: id_apl, equals: no_app}]\n",
        )
        .replace("name: nama}", "name: nama, description: detail.keluaran, status: no_app}")
    )
    files = {"apps.csv": "id,nama\n1,A\n", "detail.csv": "id_app,keluaran\n1,Laporan\n"}
    result = _read(tmp_path, mapping, files)
    # The join's own key in each table, once each (no_app is also a field), and nothing
    # about detail.keluaran, which detail.csv has.
    assert _located(result) == {("detail.csv", 1, "id_apl"), ("apps.csv", 1, "no_app")}
    assert len(result.problems) == 2
    assert all("join[1]" in p.message for p in result.problems)

    fixed = mapping.replace("column: id_apl", "column: id_app").replace("status: no_app", "")
    result = _read(tmp_path, fixed.replace("equals: no_app", "equals: id"), files)
    assert not result.problems, [p.message for p in result.problems]
    [app] = [r for r in result.rows if r.sheet.key == "applications"]
    assert app.values["description"] == "Laporan"


WORKBOOKS = {
    "terkunci": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "kata sandi"),
    "rusak": (b"PK\x03\x04bukan-zip", "rusak"),
    "halaman": (b"<html><table><tr><td>id</td></tr></table></html>", "halaman web"),
    "teks": (b"id,nama\n1,A\n", "teks biasa"),
    "kosong": (b"", "kosong"),
}


@pytest.mark.parametrize("case", sorted(WORKBOOKS))
def test_an_unreadable_workbook_gets_the_template_readers_advice(tmp_path, case) -> None:
    from catalog.exchange.readers import read_path

    content, expected = WORKBOOKS[case]
    mapping = SMALL.replace("apps.csv", "apps.xlsx")
    result = _read(tmp_path, mapping, {"apps.xlsx": content})
    [problem] = result.problems
    assert (problem.where.file, problem.where.row) == ("apps.xlsx", 0)
    assert expected in problem.message
    [direct] = read_path(tmp_path / "lama" / "apps.xlsx").problems
    assert (direct.message, direct.message_en) == (problem.message, problem.message_en)


def test_a_workbook_with_broken_xml_is_a_problem_on_both_paths(tmp_path) -> None:
    import zipfile

    from openpyxl import Workbook

    from catalog.exchange.readers import read_path

    good, broken = tmp_path / "baik.xlsx", tmp_path / "lama" / "apps.xlsx"
    wb = Workbook()
    wb.active.title = "Aplikasi"  # a known sheet, so that the exchange reader reads it
    wb.save(good)
    broken.parent.mkdir()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"<worksheet" if "worksheets/" in name else src.read(name))
    result = _read(tmp_path, SMALL.replace("apps.csv", "apps.xlsx"), {})
    [problem] = result.problems
    assert "rusak" in problem.message and problem.where.file == "apps.xlsx"
    [direct] = read_path(broken).problems
    assert direct.message == problem.message


@pytest.mark.parametrize("name", ["apps.numbers", "apps.txt"])
def test_a_mapped_file_in_another_format_is_named_not_read_as_csv(tmp_path, name) -> None:
    mapping = SMALL.replace("apps.csv", name)
    result = _read(tmp_path, mapping, {name: "id,nama\n1,A\n"})
    [problem] = result.problems
    assert problem.where.file == name and name in problem.message
    assert ".xlsx atau .csv" in problem.message and ".xlsx or .csv" in problem.message_en
    if name != "apps.txt":
        assert "tidak dapat dibaca (hanya XLSX, XLS, ODS dan CSV)" in problem.message
    assert not result.rows[1:]


def test_a_spreadsheet_saved_as_ods_reads_like_its_csv(tmp_path) -> None:
    # Banten published the same table as CSV and as LibreOffice .ods: both read alike.
    folder = _need(BANTEN)
    mapping = (MAPPINGS_DIR / "banten.yaml").read_text(encoding="utf-8")
    assert "daftar-website-dan-aplikasi-2017.csv" in mapping
    ods = tmp_path / "banten-ods.yaml"
    ods.write_text(mapping.replace("2017.csv", "2017.ods"), encoding="utf-8")
    engine = fresh_sqlite(tmp_path / "ods.sqlite3")
    with Session(engine) as s:
        from_csv = read_with_mapping(s, MAPPINGS_DIR / "banten.yaml", [folder])
        from_ods = read_with_mapping(s, ods, [folder])
    assert not from_ods.problems, [p.message for p in from_ods.problems]
    values = [
        [r.values for r in res.rows if r.sheet.key == "applications"]
        for res in (from_csv, from_ods)
    ]
    assert len(values[0]) == 100 and values[0] == values[1]


def test_an_xlsm_is_read_and_an_unreadable_copy_beside_it_is_ignored(tmp_path) -> None:
    from openpyxl import Workbook

    folder = tmp_path / "lama"
    folder.mkdir()
    wb = Workbook()
    wb.active.append(["id", "nama"])
    wb.active.append([1, "SIGA"])
    wb.save(folder / "apps.xlsm")
    (folder / "apps.numbers").write_bytes(b"PK\x03\x04")
    result = _read(tmp_path, SMALL.replace("apps.csv", "apps.*"), {})
    assert not result.problems, [p.message for p in result.problems]
    [app] = [r for r in result.rows if r.sheet.key == "applications"]
    assert app.values == {"instansi": "99.03", "source_key": "1", "name": "SIGA"}
    assert any(n.startswith("apps.numbers:") for n in result.notices)


def test_an_unclosed_quote_is_located(tmp_path) -> None:
    text = 'id,nama\n1,A\n2,"B\n' + "3,C\n" * 50_000
    result = _read(tmp_path, SMALL, {"apps.csv": text})
    [problem] = result.problems
    assert (problem.where.file, problem.where.row) == ("apps.csv", 3)
    assert "kutip" in problem.message
