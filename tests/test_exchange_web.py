"""Bulk import and downloads through the web: the import page per role, uploads applied,
tried, rejected (every problem located, nothing written), the upload limit and unknown
file types, template and export downloads that respect visibility, and the JSON API."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.exchange.columns import SHEET_OF_KIND
from catalog.kinds import KINDS
from catalog.models import ChangeRecord, ImportRun, Instansi, Organisation
from catalog.settings import Settings
from tests_support import PASSWORD, bearer, make_user

CITY = "35.78"
KOMINFO, HEALTH = "030801", "030201"
APPS = KINDS["application"].model
DATASETS = KINDS["dataset"].model


@contextmanager
def web(engine: Any, username: str | None = None, **settings: Any) -> Iterator[TestClient]:
    """A client for the app (signed in as ``username`` when given)."""
    from web.app import create_app

    app = create_app(
        settings=Settings(secret_key="test-secret-" + "x" * 32, **settings), engine=engine
    )
    with TestClient(app) as client:
        if username:
            page = client.get("/masuk")
            answer = client.post(
                "/masuk",
                data={"username": username, "password": PASSWORD, "csrf_token": csrf(page.text)},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
        yield client


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def count(engine: Any, model: Any, *where: Any) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def runs(engine: Any) -> list[ImportRun]:
    with Session(engine) as s:
        return list(s.execute(select(ImportRun).order_by(ImportRun.started_at)).scalars())


@pytest.fixture
def city(demo_city_engine: Any) -> dict[str, Any]:
    with Session(demo_city_engine) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == CITY)).scalar_one()
        units = {
            o.code: o.id
            for o in s.execute(
                select(Organisation).where(
                    Organisation.instansi_id == inst.id,
                    Organisation.code.in_([KOMINFO, HEALTH]),
                )
            ).scalars()
        }
    return {"instansi_id": inst.id, "kominfo": units[KOMINFO], "health": units[HEALTH]}


@pytest.fixture
def users(demo_city_engine: Any, city: dict[str, Any]) -> dict[str, str]:
    """Username → API token, one per role."""
    e = demo_city_engine
    return {
        "op.kominfo": make_user(e, "op.kominfo", "operator", organisation_id=city["kominfo"])[1],
        "arsitek": make_user(e, "arsitek", "arsitek", instansi_id=city["instansi_id"])[1],
        "admin": make_user(e, "admin", "admin")[1],
        "pimpinan": make_user(e, "pimpinan", "pimpinan", instansi_id=city["instansi_id"])[1],
    }


def new_apps_yaml(*rows: dict[str, Any]) -> bytes:
    doc = {"katalog_spbe": 1, "applications": [{"instansi": CITY, **row} for row in rows]}
    return yaml.safe_dump(doc, allow_unicode=True).encode()


GOOD = new_apps_yaml(
    {"code": "APL-IMPOR-1", "name": "Aplikasi Impor Satu", "owner": KOMINFO},
    {"code": "APL-IMPOR-2", "name": "Aplikasi Impor Dua", "owner": KOMINFO, "status": "active"},
)


def post_import(client: TestClient, files: list[tuple[str, bytes]], **fields: str) -> Any:
    token = csrf(client.get("/impor").text)
    return client.post(
        "/impor",
        data={"csrf_token": token, **fields},
        files=[("files", (name, content)) for name, content in files],
    )


# -- the page per role -----------------------------------------------------------------------


def test_the_import_page_per_role(demo_city_engine, users) -> None:
    with web(demo_city_engine) as c:
        page = c.get("/impor")
        assert page.status_code == 403
        assert 'href="/masuk?next=/impor"' in page.text
        assert 'href="/impor"' not in c.get("/").text
        # Refused before the upload is read: no run, nothing stored.
        assert c.post("/impor", files=[("files", ("a.yaml", GOOD))]).status_code == 403
    with web(demo_city_engine, "pimpinan") as c:
        page = c.get("/impor")
        assert page.status_code == 403 and "tidak berhak mengimpor" in page.text
        assert 'href="/impor"' not in page.text
    for name in ("op.kominfo", "arsitek", "admin"):
        with web(demo_city_engine, name) as c:
            page = c.get("/impor")
            assert page.status_code == 200, name
            html = page.text
            assert 'href="/impor"' in html  # in the navigation
            assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
            assert re.search(r'id="dry_run"[^>]*checked', html)
            assert 'name="retire_missing"' in html
            assert 'value="denpasar"' in html and 'value="banten"' in html
            assert "50 MiB" in html
            assert "/unduh/templat?format=xlsx" in html and "/unduh/ekspor?format=dcat" in html
    with web(demo_city_engine, "admin") as c:
        # An administrator writes everywhere: the instansi is a choice.
        assert '<select id="instansi" name="instansi">' in c.get("/impor").text
    with web(demo_city_engine, "op.kominfo") as c:
        english = c.get("/impor?lang=en").text
        assert "Import an inventory" in english and "Dry run: check and show" in english
    assert runs(demo_city_engine) == []


# -- uploads ---------------------------------------------------------------------------------


def test_a_good_upload_is_applied_and_again_changes_nothing(demo_city_engine, users) -> None:
    before = count(demo_city_engine, APPS)
    with web(demo_city_engine, "op.kominfo") as c:
        answer = post_import(c, [("aplikasi-baru.yaml", GOOD)])
        assert answer.status_code == 200, answer.text[-3000:]
        assert "Tersimpan" in answer.text and "semua perubahan tersimpan" in answer.text
        assert "APL-IMPOR-1" in answer.text and "aplikasi-baru.yaml" in answer.text
        assert count(demo_city_engine, APPS) == before + 2
        again = post_import(c, [("aplikasi-baru.yaml", GOOD)])
        assert again.status_code == 200
    assert count(demo_city_engine, APPS) == before + 2
    first, second = runs(demo_city_engine)
    assert (first.outcome, second.outcome) == ("applied", "applied")
    assert first.counts["application"]["created"] == 2
    assert second.counts["application"] == {
        "created": 0,
        "updated": 0,
        "retired": 0,
        "unchanged": 2,
    }
    assert first.files[0]["name"] == "aplikasi-baru.yaml" and len(first.files[0]["sha256"]) == 64
    with Session(demo_city_engine) as s:
        sources = set(
            s.execute(
                select(ChangeRecord.source).where(ChangeRecord.request_id == first.id)
            ).scalars()
        )
    assert sources == {"import"}


def test_a_dry_run_writes_nothing_and_offers_to_apply(demo_city_engine, users) -> None:
    before = count(demo_city_engine, APPS)
    changes = count(demo_city_engine, ChangeRecord)
    with web(demo_city_engine, "op.kominfo") as c:
        answer = post_import(c, [("aplikasi-baru.yaml", GOOD)], dry_run="1")
    assert answer.status_code == 200
    html = answer.text
    assert "Uji coba" in html and "Tidak ada yang disimpan" in html
    assert "APL-IMPOR-1" in html and "APL-IMPOR-2" in html  # what would be created
    # The form below is ready to apply the same files.
    assert not re.search(r'id="dry_run"[^>]*checked', html)
    assert count(demo_city_engine, APPS) == before
    assert count(demo_city_engine, ChangeRecord) == changes
    assert [r.outcome for r in runs(demo_city_engine)] == ["dry_run"]


def test_bad_rows_show_every_located_problem_and_write_nothing(demo_city_engine, users) -> None:
    sheet = SHEET_OF_KIND["application"]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title
    headers = ["Kode instansi", "Kode", "Nama", "Kode OPD pemilik", "Status", "Tahun pembuatan"]
    ws.append(headers)
    ws.append([CITY, "APL-OK-1", "Aplikasi Baik", KOMINFO, "active", 2020])
    ws.append([CITY, "APL-BAD-1", "Aplikasi Pemilik Salah", "999999", "active", 2020])
    ws.append([CITY, "APL-BAD-2", "Aplikasi Status Salah", KOMINFO, "bogus", 2020])
    ws.append([CITY, "APL-BAD-3", "Aplikasi Tahun Salah", KOMINFO, "active", "kemarin"])
    data = io.BytesIO()
    wb.save(data)
    before = count(demo_city_engine, APPS)
    changes = count(demo_city_engine, ChangeRecord)
    with web(demo_city_engine, "op.kominfo") as c:
        answer = post_import(c, [("inventaris.xlsx", data.getvalue())])
    assert answer.status_code == 422
    html = answer.text
    assert "Ditolak" in html and "3 masalah. Tidak ada yang disimpan." in html
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>(.*?)</tr>", html, re.S)
    assert len(rows) == 3
    cells = [re.findall(r"<td>(.*?)</td>", body, re.S) for _, body in rows]
    located = {(c[0], c[1], c[2], c[3]) for c in cells}
    assert located == {
        ("inventaris.xlsx", "Aplikasi", "3", "Kode OPD pemilik"),
        ("inventaris.xlsx", "Aplikasi", "4", "Status"),
        ("inventaris.xlsx", "Aplikasi", "5", "Tahun pembuatan"),
    }
    # Both languages for every problem.
    assert html.count('<span lang="en" class="muted">') >= 3 and "999999" in html
    assert count(demo_city_engine, APPS) == before
    assert count(demo_city_engine, ChangeRecord) == changes
    assert [r.outcome for r in runs(demo_city_engine)] == ["rejected"]


def test_an_operator_cannot_import_another_units_items(demo_city_engine, users) -> None:
    theirs = new_apps_yaml(
        {"code": "APL-MILIKKU", "name": "Aplikasi Kominfo", "owner": KOMINFO},
        {"code": "APL-BUKAN", "name": "Aplikasi Dinas Kesehatan", "owner": HEALTH},
    )
    before = count(demo_city_engine, APPS)
    with web(demo_city_engine, "op.kominfo") as c:
        answer = post_import(c, [("campur.yaml", theirs)])
    assert answer.status_code == 422
    assert "tidak berwenang" in answer.text and "campur.yaml" in answer.text
    assert count(demo_city_engine, APPS) == before
    # The architect of the instansi may.
    with web(demo_city_engine, "arsitek") as c:
        assert post_import(c, [("campur.yaml", theirs)]).status_code == 200
    assert count(demo_city_engine, APPS) == before + 2


def test_oversized_uploads_and_unknown_file_types(demo_city_engine, users) -> None:
    before = count(demo_city_engine, APPS)
    with web(demo_city_engine, "op.kominfo", upload_limit_mb=1) as c:
        big = b"a" * (1024 * 1024 + 400 * 1024)
        answer = post_import(c, [("besar.csv", big)])
        assert answer.status_code == 413
        assert "terlalu besar" in answer.text and "batasnya 1 MiB" in answer.text
        assert "too large" in answer.text and "Tidak ada yang disimpan." in answer.text
        # Two files under the limit each, over it together.
        half = b"a" * (700 * 1024)
        assert post_import(c, [("a.csv", half), ("b.csv", half)]).status_code == 413
        odd = post_import(c, [("program.exe", b"MZ\x90\x00"), ("aplikasi.yaml", GOOD)])
        assert odd.status_code == 422
        assert "Jenis berkas &#39;.exe&#39; tidak didukung" in odd.text
        assert "File type &#39;.exe&#39; is not supported" in odd.text
        empty = c.post("/impor", data={"csrf_token": csrf(c.get("/impor").text)})
        assert empty.status_code == 422 and "Pilih setidaknya satu berkas" in empty.text
    assert count(demo_city_engine, APPS) == before
    assert [r.outcome for r in runs(demo_city_engine)] == ["rejected"]


def test_a_zip_bomb_is_refused_before_reading(demo_city_engine, users) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("aplikasi.csv", "Kode,Nama\n" + "x" * (5 * 1024 * 1024))
    with web(demo_city_engine, "op.kominfo", upload_limit_mb=1) as c:
        answer = post_import(c, [("bom.zip", packed.getvalue())])
    assert answer.status_code == 422 and "terlalu besar setelah dibuka" in answer.text


# -- downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "yaml", "json", "schema"])
def test_templates_download_for_anyone(demo_city_engine, fmt) -> None:
    with web(demo_city_engine) as c:
        answer = c.get(f"/unduh/templat?format={fmt}")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(answer.content))
        assert SHEET_OF_KIND["application"].title in wb.sheetnames
    elif fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
        assert SHEET_OF_KIND["application"].file in names
    elif fmt == "yaml":
        assert yaml.safe_load(answer.text)["katalog_spbe"] == 1
    else:
        assert isinstance(json.loads(answer.text), dict)


def restricted_codes(engine: Any) -> set[str]:
    with Session(engine) as s:
        return set(
            s.execute(
                select(DATASETS.code)
                .join(Instansi, Instansi.id == DATASETS.instansi_id)
                .where(
                    Instansi.code == CITY,
                    DATASETS.classification.in_(["terbatas", "tertutup"]),
                )
            ).scalars()
        )


def test_exports_show_the_public_only_what_is_public(demo_city_engine, users) -> None:
    hidden = restricted_codes(demo_city_engine)
    assert hidden
    with web(demo_city_engine) as c:
        public = c.get(f"/unduh/ekspor?format=json&instansi={CITY}")
        assert public.status_code == 200
        assert public.headers["content-disposition"].endswith('.json"')
        doc = public.json()
    codes = {d["code"] for d in doc["datasets"]}
    assert codes and not codes & hidden
    # Nothing refers to them either: relations, integrations carrying them.
    named = {r["target"] for r in doc["relations"]} | {r["source"] for r in doc["relations"]}
    carried = {d for i in doc["integrations"] for d in i.get("data_sets", [])}
    assert not (named | carried) & hidden
    with web(demo_city_engine, "pimpinan") as c:
        inside = c.get(f"/unduh/ekspor?format=json&instansi={CITY}").json()
    assert hidden <= {d["code"] for d in inside["datasets"]}


def test_xlsx_and_dcat_exports_open(demo_city_engine, users) -> None:
    with web(demo_city_engine) as c:
        page = c.get(f"/unduh?instansi={CITY}")
        assert page.status_code == 200 and "Hanya item yang terbuka untuk publik" in page.text
        workbook = c.get(f"/unduh/ekspor?format=xlsx&instansi={CITY}&opd={KOMINFO}")
        assert workbook.status_code == 200
        wb = load_workbook(io.BytesIO(workbook.content), read_only=True)
        assert SHEET_OF_KIND["application"].title in wb.sheetnames
        owners = {
            row[4]
            for row in wb[SHEET_OF_KIND["application"].title].iter_rows(min_row=3, values_only=True)
        }
        assert owners and all(str(o).startswith(KOMINFO) for o in owners)
        dcat = c.get(f"/unduh/ekspor?format=dcat&instansi={CITY}")
        assert dcat.headers["content-type"].startswith("application/ld+json")
        graph = json.loads(dcat.text)
        assert "dcat" in json.dumps(graph["@context"])
        wrong = c.get("/unduh/ekspor?format=docx")
        assert wrong.status_code == 422 and "tidak dikenal" in wrong.text


def test_download_links_on_the_pages(demo_city_engine, city) -> None:
    with web(demo_city_engine) as c:
        assert "/unduh?instansi=" in c.get("/").text
        unit = c.get(f"/opd/{city['kominfo']}").text
        assert f"/unduh?instansi={CITY}&amp;opd={KOMINFO}" in unit
        page = c.get(f"/unduh?instansi={CITY}&opd={KOMINFO}").text
        assert f"/unduh/ekspor?format=csv&amp;instansi={CITY}&amp;opd={KOMINFO}" in page


# -- the JSON API ----------------------------------------------------------------------------


def test_api_import_applied_dry_run_and_rejected(demo_city_engine, users) -> None:
    token = users["op.kominfo"]
    before = count(demo_city_engine, APPS)
    with web(demo_city_engine) as c:
        files = [("files", ("aplikasi.yaml", GOOD))]
        dry = c.post(
            "/api/v1/imports", files=files, data={"dry_run": "true"}, headers=bearer(token)
        )
        assert dry.status_code == 200, dry.text
        body = dry.json()
        assert body["outcome"] == "dry_run" and body["saved"] is False
        assert sorted(body["created"]["application"]) == ["APL-IMPOR-1", "APL-IMPOR-2"]
        assert count(demo_city_engine, APPS) == before
        done = c.post("/api/v1/imports", files=files, headers=bearer(token))
        assert done.status_code == 200 and done.json()["outcome"] == "applied"
        assert done.json()["counts"]["application"]["created"] == 2
        assert count(demo_city_engine, APPS) == before + 2
        bad = new_apps_yaml(
            {"code": "APL-X", "name": "X", "owner": "999999"},
            {"code": "APL-Y", "name": "Y", "owner": KOMINFO, "status": "bogus"},
        )
        rejected = c.post(
            "/api/v1/imports", files=[("files", ("salah.yaml", bad))], headers=bearer(token)
        )
        assert rejected.status_code == 422
        answer = rejected.json()
        assert answer["code"] == "import_rejected" and answer["saved"] is False
        assert [(p["file"], p["sheet"], p["row"], p["column"]) for p in answer["problems"]] == [
            ("salah.yaml", "applications", 1, "owner"),
            ("salah.yaml", "applications", 2, "status"),
        ]
        assert all(p["message"] and p["message_en"] for p in answer["problems"])
        assert count(demo_city_engine, APPS) == before + 2
        # Who may not import is told so; a wrong option is named.
        assert c.post("/api/v1/imports", files=files).status_code == 403
        refused = c.post("/api/v1/imports", files=files, headers=bearer(users["pimpinan"]))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        wrong = c.post(
            "/api/v1/imports",
            files=files,
            data={"mapping": "atlantis", "key": "nama"},
            headers=bearer(token),
        )
        assert wrong.status_code == 422
        assert {p["field"] for p in wrong.json()["problems"]} == {"mapping", "key"}


def test_api_upload_limit(demo_city_engine, users) -> None:
    with web(demo_city_engine, upload_limit_mb=1) as c:
        answer = c.post(
            "/api/v1/imports",
            files=[("files", ("besar.csv", b"a" * (2 * 1024 * 1024)))],
            headers=bearer(users["admin"]),
        )
    assert answer.status_code == 413
    assert answer.json()["code"] == "upload_too_large" and "MiB" in answer.json()["message_en"]
    assert runs(demo_city_engine) == []


def test_api_exports_and_templates(demo_city_engine, users) -> None:
    hidden = restricted_codes(demo_city_engine)
    with web(demo_city_engine) as c:
        public = c.get("/api/v1/exports", params={"format": "json", "instansi": CITY})
        assert public.status_code == 200
        assert public.headers["content-type"].startswith("application/json")
        assert not {d["code"] for d in public.json()["datasets"]} & hidden
        inside = c.get(
            "/api/v1/exports",
            params={"format": "json", "instansi": CITY},
            headers=bearer(users["arsitek"]),
        )
        assert hidden <= {d["code"] for d in inside.json()["datasets"]}
        sheets = c.get("/api/v1/exports", params={"format": "csv", "instansi": CITY})
        assert (
            SHEET_OF_KIND["dataset"].file in zipfile.ZipFile(io.BytesIO(sheets.content)).namelist()
        )
        template = c.get("/api/v1/templates", params={"format": "xlsx", "instansi": CITY})
        assert template.status_code == 200
        assert load_workbook(io.BytesIO(template.content)).sheetnames
        unknown = c.get("/api/v1/templates", params={"format": "pdf"})
        assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "format"
        missing = c.get("/api/v1/exports", params={"format": "json", "instansi": "99.99"})
        assert missing.status_code == 404


# -- a legacy inventory through a shipped mapping --------------------------------------------

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def test_a_legacy_inventory_folder_uploaded_as_zip(sqlite_engine) -> None:
    folder = REALDATA / "denpasar-spbe-inventaris-aplikasi"
    if not folder.is_dir():
        reason = f"data nyata tidak ada di {folder} (lihat shared/realdata/README.md)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI harus menjalankan tes ini / CI must run this test")
        pytest.skip(reason)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zf:
        for path in sorted(folder.glob("*.csv")):
            zf.write(path, f"denpasar/{path.name}")
    make_user(sqlite_engine, "admin", "admin")
    with web(sqlite_engine, "admin") as c:
        answer = post_import(c, [("denpasar.zip", packed.getvalue())], mapping="denpasar")
        assert answer.status_code == 200, answer.text[-3000:]
        assert "Tersimpan" in answer.text
    (run,) = runs(sqlite_engine)
    assert run.mapping == "denpasar.yaml" and run.files[0]["name"] == "denpasar.zip"
    assert run.counts["application"]["created"] == 189


def test_a_filtered_list_downloads_as_the_list_shows_it(demo_city_engine) -> None:
    from tests_support import client_for

    with client_for(demo_city_engine) as client:
        page = client.get("/aplikasi", params={"reference": "RAA.02", "status": "active"})
        assert page.status_code == 200
        link = "/api/v1/applications/export?format=json&amp;reference=RAA.02&amp;status=active"
        assert link in page.text
        listed = client.get(
            "/api/v1/applications",
            params={"reference": "RAA.02", "status": "active", "per_page": 200},
        ).json()
        download = client.get(
            "/api/v1/applications/export",
            params={"format": "json", "reference": "RAA.02", "status": "active"},
        )
        assert download.status_code == 200
        assert "attachment" in download.headers["content-disposition"]
        doc = download.json()
        assert {a["code"] for a in doc["applications"]} == {i["code"] for i in listed["items"]}
        assert listed["total"] == len(doc["applications"]) > 0
        assert set(doc) - {"katalog_spbe", "instansi", "organisations", "relations"} == {
            "applications"
        }
        # The public list leaves out restricted data sets; so does its download.
        public = client.get("/api/v1/datasets/export", params={"format": "json"}).json()
        listed = client.get("/api/v1/datasets", params={"per_page": 1}).json()
        assert len(public["datasets"]) == listed["total"]
        model = KINDS["dataset"].model
        with Session(demo_city_engine) as s:
            assert s.execute(select(func.count()).select_from(model)).scalar_one() > listed["total"]
        bad = client.get("/api/v1/applications/export", params={"format": "pdf"})
        assert bad.status_code == 422 and "pdf" in bad.json()["message"]
