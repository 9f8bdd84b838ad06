"""Templates, exports and the all-or-nothing importer."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.cli import app as cli
from catalog.exchange.columns import SHEET_OF_KIND, SHEETS
from catalog.exchange.document import Scope, document
from catalog.exchange.jsonschema import catalogue_schema
from catalog.kinds import KINDS
from catalog.models import ChangeRecord, ImportRun, Instansi
from tests_support import fresh_sqlite, make_user

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def katalog(engine, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["--database", str(engine.url), *args], catch_exceptions=False)


def city_of(engine) -> Instansi:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()


def city_document(engine) -> dict:  # type: ignore[no-untyped-def]
    city = city_of(engine)
    with Session(engine) as s:
        return document(s, Scope(instansi_ids=[city.id]))


def count(engine, kind: str) -> int:  # type: ignore[no-untyped-def]
    model = KINDS[kind].model
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "yaml", "json"])
def test_export_then_import_reproduces_the_inventory(demo_city_engine, tmp_path, fmt) -> None:
    out = tmp_path / f"kota.{fmt}"
    assert katalog(demo_city_engine, "export", "--format", fmt, "--output", str(out)).exit_code == 0
    target = fresh_sqlite(tmp_path / "target.sqlite3")
    first = katalog(target, "import", str(out))
    assert first.exit_code == 0, first.output
    assert city_document(target) == city_document(demo_city_engine)
    with Session(target) as s:
        changes = s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
    again = katalog(target, "import", str(out))
    assert again.exit_code == 0, again.output
    with Session(target) as s:
        assert s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one() == changes
        runs = s.execute(select(ImportRun).order_by(ImportRun.started_at)).scalars().all()
        assert [r.outcome for r in runs] == ["applied", "applied"]
        assert all(c["created"] == 0 and c["updated"] == 0 for c in runs[1].counts.values())


def test_every_change_names_the_import_run(demo_city_engine, tmp_path) -> None:
    out = tmp_path / "kota.yaml"
    katalog(demo_city_engine, "export", "--format", "yaml", "--output", str(out))
    target = fresh_sqlite(tmp_path / "t.sqlite3")
    katalog(target, "import", str(out))
    with Session(target) as s:
        run = s.execute(select(ImportRun)).scalar_one()
        sources = dict(
            s.execute(
                select(ChangeRecord.source, func.count())
                .where(ChangeRecord.request_id == run.id)
                .group_by(ChangeRecord.source)
            ).all()
        )
        assert set(sources) == {"import"} and sources["import"] > 1000
        assert run.files[0]["name"] == "kota.yaml" and len(run.files[0]["sha256"]) == 64


def test_a_changed_row_updates_and_dry_run_writes_nothing(demo_city_engine, tmp_path) -> None:
    out = tmp_path / "kota.yaml"
    katalog(demo_city_engine, "export", "--format", "yaml", "--output", str(out))
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    doc["applications"][0]["description"] = "Uraian baru dari berkas"
    doc["applications"].append(
        {
            "instansi": doc["instansi"][0]["code"],
            "name": "Aplikasi Baru",
            "owner": doc["applications"][0]["owner"],
        }
    )
    # "status" means another code list on the integrations sheet: "proposed" is valid there
    # even though it is not an application status.
    doc["integrations"].append(
        {
            "instansi": doc["instansi"][0]["code"],
            "code": "INT-USULAN-1",
            "name": "Usulan integrasi dari berkas",
            "provider": doc["applications"][0]["code"],
            "consumer": doc["applications"][1]["code"],
            "mechanism": "rest_api",
            "owner": doc["applications"][0]["owner"],
            "status": "proposed",
        }
    )
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    before = count(demo_city_engine, "application")
    dry = katalog(demo_city_engine, "import", str(out), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "akan dibuat application" in dry.output and "akan diubah application" in dry.output
    assert count(demo_city_engine, "application") == before
    real = katalog(demo_city_engine, "import", str(out))
    assert real.exit_code == 0
    assert count(demo_city_engine, "application") == before + 1
    assert "INT-USULAN-1" in {i["code"] for i in city_document(demo_city_engine)["integrations"]}
    code = doc["applications"][0]["code"]
    model = KINDS["application"].model
    with Session(demo_city_engine) as s:
        app = s.execute(
            select(model).where(
                model.code == code, model.instansi_id == city_of(demo_city_engine).id
            )
        ).scalar_one()
        assert app.description == "Uraian baru dari berkas" and app.version == 2


def test_retire_missing_only_when_asked(demo_city_engine, tmp_path) -> None:
    out = tmp_path / "kota.yaml"
    katalog(demo_city_engine, "export", "--format", "yaml", "--output", str(out))
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    gone = doc["applications"].pop()
    doc = {"katalog_spbe": 1, "instansi": doc["instansi"], "applications": doc["applications"]}
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    model = KINDS["application"].model
    katalog(demo_city_engine, "import", str(out))
    with Session(demo_city_engine) as s:
        app = s.execute(
            select(model).where(
                model.code == gone["code"], model.instansi_id == city_of(demo_city_engine).id
            )
        ).scalar_one()
        assert app.retired_at is None
    katalog(demo_city_engine, "import", str(out), "--retire-missing")
    with Session(demo_city_engine) as s:
        app = s.get(model, app.id)
        assert app.retired_at is not None and app.status == "retired"


def _bad_rows_workbook(path: Path, good_owner: str, rows: int = 20) -> None:
    sheet = SHEET_OF_KIND["application"]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title
    ws.append([c.header for c in sheet.columns])
    keys = [c.key for c in sheet.columns]
    for i in range(rows):
        values = {"name": f"Aplikasi {i}", "owner": good_owner, "code": f"UJI-{i:03d}"}
        problem = i % 5
        if problem == 0:
            values["owner"] = "999999"  # unknown unit
        elif problem == 1:
            values["reference_code"] = "RAL.01.25"  # wrong scheme
        elif problem == 2:
            values["status"] = "hidup"  # not a status
        elif problem == 3:
            values["year_built"] = "dua ribu"
        else:
            values["name"] = ""  # required
        ws.append([values.get(k) for k in keys])
    ws.append([None] * len(keys))
    ws.append([{"code": "UJI-OK", "name": "Baik", "owner": good_owner}.get(k) for k in keys])
    wb.save(path)


def test_twenty_bad_rows_are_all_reported_and_nothing_is_written(
    demo_city_engine, tmp_path
) -> None:
    city = city_of(demo_city_engine)
    model = KINDS["application"].model
    with Session(demo_city_engine) as s:
        owner = (
            s.execute(select(model.owner_id).where(model.instansi_id == city.id)).scalars().first()
        )
        from catalog.models import Organisation

        unit = s.get(Organisation, owner).code
    path = tmp_path / "salah.xlsx"
    _bad_rows_workbook(path, unit)
    before = count(demo_city_engine, "application")
    report = tmp_path / "laporan.json"
    result = katalog(demo_city_engine, "import", str(path), "--report", str(report))
    assert result.exit_code == 1
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert sorted({p["row"] for p in problems}) == list(range(2, 22))  # all twenty, nothing else
    columns = {p["column"] for p in problems}
    assert {"Kode OPD pemilik", "Kode referensi", "Status", "Tahun pembuatan", "Nama"} <= columns
    assert all(p["message"] and p["message_en"] and p["sheet"] == "Aplikasi" for p in problems)
    assert "20 masalah" in " ".join(result.output.split())
    assert count(demo_city_engine, "application") == before


def test_bad_files_get_a_clear_report(demo_city_engine, tmp_path) -> None:
    cases: dict[str, tuple[bytes | None, str]] = {
        "catatan.txt": (b"halo", "tidak didukung"),
        "rusak.xlsx": (b"PK\x03\x04bukan-zip", "rusak"),
        "terkunci.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "kata sandi"),
        "rusak.yaml": (b"applications: [unclosed", "YAML"),
        "aneh.json": (b'{"bukan": "katalog"}', "katalog_spbe"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)  # type: ignore[arg-type]
        result = katalog(demo_city_engine, "import", str(path))
        assert result.exit_code == 1, name
        assert expected in result.output, (name, result.output)


def test_sheets_columns_formulas_and_merged_cells(demo_city_engine, tmp_path) -> None:
    sheet = SHEET_OF_KIND["application"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Lembar Aneh"
    other = wb.create_sheet(sheet.title)
    other.append(["Nama", "Kode OPD pemilik", "Warna Favorit"])
    other.append(['=CONCAT("SIM","PEG")', "030801", "biru"])
    other.append(["Digabung", "030801", None])
    other.merge_cells("A4:B4")
    wb.save(tmp_path / "aneh.xlsx")
    report = tmp_path / "r.json"
    result = katalog(
        demo_city_engine, "import", str(tmp_path / "aneh.xlsx"), "--report", str(report)
    )
    assert result.exit_code == 1
    text = json.dumps(json.loads(report.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "Lembar 'Lembar Aneh' tidak dikenal" in text
    assert "Warna Favorit" in text and "rumus" in text and "digabung" in text


def test_csv_encodings_and_duplicate_codes(demo_city_engine, tmp_path) -> None:
    with Session(demo_city_engine) as s:
        from catalog.models import Organisation

        unit = (
            s.execute(
                select(Organisation).where(Organisation.instansi_id == city_of(demo_city_engine).id)
            )
            .scalars()
            .first()
        )
    rows = [
        ["Kode", "Nama", "Kode OPD pemilik", "Uraian"],
        ["UJI-1", "Sistem Informasi Pelayanan Terpadu", unit.code, "Layanan café di balai kota"],
        ["UJI-1", "Duplikat", unit.code, ""],
    ]
    text = "\n".join(";".join(r) for r in rows) + "\n"
    path = tmp_path / "aplikasi.csv"
    path.write_bytes(text.encode("cp1252"))
    report = tmp_path / "r.json"
    result = katalog(demo_city_engine, "import", str(path), "--report", str(report))
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert "Windows-1252" in " ".join(data["notices"])
    assert [p["row"] for p in data["problems"]] == [3] and "lebih dari sekali" in data["problems"][
        0
    ]["message"]
    path.write_bytes(("\ufeff" + "\n".join(",".join(r) for r in rows[:2]) + "\n").encode("utf-8"))
    ok = katalog(demo_city_engine, "import", str(path))
    assert ok.exit_code == 0, ok.output
    model = KINDS["application"].model
    with Session(demo_city_engine) as s:
        app = s.execute(select(model).where(model.code == "UJI-1")).scalar_one()
        assert app.description == "Layanan café di balai kota"


def test_operators_import_only_their_own_units_items(demo_city_engine, tmp_path) -> None:
    city = city_of(demo_city_engine)
    with Session(demo_city_engine) as s:
        from catalog.models import Organisation

        units = (
            s.execute(
                select(Organisation).where(
                    Organisation.instansi_id == city.id, Organisation.parent_id.is_(None)
                )
            )
            .scalars()
            .all()
        )
    mine, theirs = units[0], units[1]
    make_user(demo_city_engine, "operator", "operator", organisation_id=mine.id)
    doc = {
        "katalog_spbe": 1,
        "applications": [
            {"instansi": city.code, "code": "OP-1", "name": "Milik sendiri", "owner": mine.code},
            {
                "instansi": city.code,
                "code": "OP-2",
                "name": "Milik orang lain",
                "owner": theirs.code,
            },
        ],
    }
    path = tmp_path / "op.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    before = count(demo_city_engine, "application")
    result = katalog(demo_city_engine, "import", str(path), "--as", "operator")
    assert result.exit_code == 1 and "Milik orang lain" not in result.output
    assert count(demo_city_engine, "application") == before
    doc["applications"].pop()
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert katalog(demo_city_engine, "import", str(path), "--as", "operator").exit_code == 0
    assert count(demo_city_engine, "application") == before + 1


def test_a_killed_import_leaves_the_database_as_it_was(demo_city_engine, tmp_path) -> None:
    from catalog.exchange.readers import read_path
    from catalog.services.context import Actor
    from catalog.services.imports import ImportOptions, import_rows

    out = tmp_path / "kota.yaml"
    katalog(demo_city_engine, "export", "--format", "yaml", "--output", str(out))
    target = fresh_sqlite(tmp_path / "t.sqlite3")
    rows = read_path(out).rows

    def killed(what: str, done: int, total: int) -> None:
        if what == "Integrasi" and done >= 500:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C half-way

    with Session(target) as s, pytest.raises(KeyboardInterrupt):
        import_rows(s, Actor(name="t", source="cli"), rows, ImportOptions(), progress=killed)
    assert count(target, "application") == 28  # only the national catalogue
    with Session(target) as s:
        assert (
            s.execute(
                select(func.count()).select_from(Instansi).where(Instansi.kind == "kota")
            ).scalar_one()
            == 0
        )


def test_templates(demo_city_engine, tmp_path) -> None:
    xlsx = tmp_path / "templat.xlsx"
    assert katalog(demo_city_engine, "export-template", "--output", str(xlsx)).exit_code == 0
    wb = load_workbook(xlsx)
    assert [s.title for s in SHEETS] == [
        t for t in wb.sheetnames if t not in ("Petunjuk", "Daftar")
    ]
    assert wb["Daftar"].sheet_state == "hidden"
    apps = wb[SHEET_OF_KIND["application"].title]
    headers = [c.value for c in apps[1]]
    assert headers[:3] == ["Kode instansi", "Kode", "Nama"]
    assert apps.cell(2, 3).value and apps.cell(3, 2).value.startswith("CONTOH")
    validations = {str(dv.sqref): dv.formula1 for dv in apps.data_validations.dataValidation}
    assert any("Daftar!" in f for f in validations.values())
    status_col = headers.index("Status") + 1
    from openpyxl.utils import get_column_letter

    assert any(r.startswith(f"{get_column_letter(status_col)}3") for r in validations)
    # The template as it is (examples only) imports cleanly and creates nothing.
    result = katalog(demo_city_engine, "import", str(xlsx), "--dry-run")
    assert result.exit_code == 0, result.output
    for fmt, name in (("csv", "templat.zip"), ("yaml", "templat.yaml"), ("json", "templat.json")):
        target = tmp_path / name
        assert (
            katalog(
                demo_city_engine, "export-template", "--format", fmt, "--output", str(target)
            ).exit_code
            == 0
        )
    with zipfile.ZipFile(tmp_path / "templat.zip") as zf:
        assert "aplikasi.csv" in zf.namelist() and "PETUNJUK.txt" in zf.namelist()
        first = next(csv.reader(zf.read("aplikasi.csv").decode("utf-8-sig").splitlines()))
        assert first[:3] == ["Kode instansi", "Kode", "Nama"]


def test_json_schema_is_published_and_exports_follow_it(demo_city_engine, tmp_path) -> None:
    published = json.loads(
        (ROOT / "schemas" / "katalog-spbe.schema.json").read_text(encoding="utf-8")
    )
    assert published == catalogue_schema(), "regenerate schemas/katalog-spbe.schema.json"
    schema_file = tmp_path / "s.json"
    katalog(demo_city_engine, "export-template", "--format", "schema", "--output", str(schema_file))
    assert json.loads(schema_file.read_text(encoding="utf-8")) == published
    out = tmp_path / "kota.json"
    katalog(demo_city_engine, "export", "--format", "json", "--output", str(out))
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), published)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"katalog_spbe": 1, "applications": [{"nama": "x"}]}, published)


def test_a_filtered_list_exports_only_what_the_list_shows(demo_city_engine, tmp_path) -> None:
    out = tmp_path / "daftar.yaml"
    args = ["export", "--format", "yaml", "--output", str(out), "--kind", "aplikasi"]
    result = katalog(demo_city_engine, *args, "--reference", "RAA.02", "--status", "active")
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    apps = doc["applications"]
    assert not any(k in doc for k in ("datasets", "services", "integrations"))
    model = KINDS["application"].model
    with Session(demo_city_engine) as s:
        expected = set(
            s.execute(
                select(model.code).where(
                    model.instansi_id == city_of(demo_city_engine).id,
                    model.status == "active",
                    model.reference_code.like("RAA.02.%"),
                )
            ).scalars()
        )
    assert expected and {a["code"] for a in apps} == expected
    codes = {a["code"] for a in apps}
    assert all(r["source"] in codes for r in doc["relations"])
    # The list goes back in unchanged: nothing new in the history.
    with Session(demo_city_engine) as s:
        before = s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
    again = katalog(demo_city_engine, "import", str(out))
    assert again.exit_code == 0, again.output
    with Session(demo_city_engine) as s:
        assert s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one() == before

    bad = katalog(demo_city_engine, *args, "--status", "hidup")
    assert bad.exit_code == 1 and "Status 'hidup' tidak dikenal" in bad.output


def test_the_format_decides_not_the_file_name(demo_city_engine, tmp_path) -> None:
    as_json, as_yaml = tmp_path / "katalog.txt", tmp_path / "katalog.out"
    assert katalog(demo_city_engine, "export", "-f", "json", "-o", str(as_json)).exit_code == 0
    assert katalog(demo_city_engine, "export", "-f", "yaml", "-o", str(as_yaml)).exit_code == 0
    # Both streamed documents parse, and say the same thing.
    from_json = json.loads(as_json.read_text(encoding="utf-8"))
    assert from_json == yaml.safe_load(as_yaml.read_text(encoding="utf-8"))
    assert from_json == city_document(demo_city_engine)
