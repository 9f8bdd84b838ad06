"""The HTML pages, as a person sees them: Bahasa Indonesia, links to JSON twins, no JS."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from catalog.kinds import KINDS
from catalog.services import create_item
from catalog.services.context import Actor
from tests_support import client_for


@pytest.fixture
def web(demo_city_engine):  # type: ignore[no-untyped-def]
    with client_for(demo_city_engine) as c:
        yield c


def json_twin(html: str) -> str:
    match = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', html)
    assert match, "page has no JSON twin"
    return match.group(1).replace("&amp;", "&")


def test_home_shows_counts_per_domain(web) -> None:
    page = web.get("/")
    assert page.status_code == 200
    html = page.text
    assert 'lang="id"' in html and "Kota " in html
    for spec in KINDS.values():
        assert spec.label in html
    twin = web.get(json_twin(html)).json()
    count = f"{twin['counts']['application']:,}".replace(",", ".")
    assert count in html


@pytest.mark.parametrize("kind", list(KINDS))
def test_list_and_detail_pages_link_to_their_json(web, kind) -> None:
    spec = KINDS[kind]
    listing = web.get(f"/{spec.page_path}")
    assert listing.status_code == 200
    twin = web.get(json_twin(listing.text)).json()
    first = twin["items"][0]
    assert first["name"].replace("&", "&amp;") in listing.text or first["code"] in listing.text
    detail = web.get(f"/{spec.page_path}/{first['id']}")
    assert detail.status_code == 200
    assert json_twin(detail.text) == f"/api/v1/{spec.api_path}/{first['id']}"
    assert first["code"] in detail.text


def test_detail_shows_classification_relations_and_integrations(web) -> None:
    apps = web.get("/api/v1/applications", params={"per_page": 200}).json()["items"]
    app = next(a for a in apps if a["reference_code"])
    detail = web.get(app["links"]["self"]).json()
    page = web.get(app["links"]["html"]).text
    assert "Klasifikasi" in page and app["reference_code"] in page
    for rel in detail["relations"]:
        assert rel["item"]["links"]["html"] in page
    busy = max(apps, key=lambda a: web.get(a["links"]["self"]).json()["integration_total"])
    html = web.get(busy["links"]["html"]).text
    assert "Integrasi" in html and "Lewat SPL" in html


def test_filters_search_opd_and_reference_pages(web) -> None:
    units = web.get("/api/v1/organisations", params={"top_level": True}).json()["items"]
    opd = web.get("/opd").text
    assert units[0]["name"] in opd
    unit_page = web.get(f"/opd/{units[0]['id']}")
    assert (
        unit_page.status_code == 200
        and json_twin(unit_page.text) == f"/api/v1/organisations/{units[0]['id']}"
    )
    filtered = web.get("/aplikasi", params={"status": "active", "q": "sistem"})
    assert filtered.status_code == 200 and "Saring" in filtered.text
    search = web.get("/cari", params={"q": "antrian"})
    assert search.status_code == 200 and "hasil untuk" in search.text
    refs = web.get("/referensi", params={"scheme": "RAL", "parent": "RAL.01"})
    assert "RAL.01.25" in refs.text and "Kesehatan" in refs.text
    assert web.get("/instansi").status_code == 200


def test_english_is_available(web) -> None:
    page = web.get("/aplikasi", params={"lang": "en"})
    assert page.status_code == 200
    assert "Applications" in page.text and "Filter" in page.text
    assert page.cookies.get("lang") == "en" or "lang=en" in page.headers.get("set-cookie", "")
    again = web.get("/aplikasi")  # the cookie remembers the choice
    assert "Filter" in again.text


def test_missing_page_and_bad_filter_answer_html(web) -> None:
    missing = web.get("/aplikasi/999999")
    assert missing.status_code == 404 and "Ada masalah" in missing.text and "999999" in missing.text
    bad = web.get("/aplikasi", params={"page": "nol"})
    assert bad.status_code == 422 and "page" in bad.text


def test_text_is_escaped_not_executed(demo_city_engine) -> None:
    with Session(demo_city_engine, expire_on_commit=False) as s:
        from sqlalchemy import select

        from catalog.models import Organisation

        unit = s.execute(
            select(Organisation).where(Organisation.parent_id.is_(None)).limit(1)
        ).scalar_one()
        app = create_item(
            s,
            Actor(name="t", source="test"),
            "application",
            {
                "owner_id": unit.id,
                "name": "<script>alert(1)</script>",
                "description": "<img src=x onerror=alert(2)>",
            },
        )
    with client_for(demo_city_engine) as c:
        html = c.get(f"/aplikasi/{app.id}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_every_page_text_has_an_english_translation() -> None:
    from pathlib import Path

    from web.i18n import _catalogue

    english = _catalogue("en")
    root = Path(__file__).resolve().parents[1] / "web" / "templates"
    missing = set()
    for path in root.glob("*.html"):
        for m in re.finditer(
            r'_\(\s*"((?:[^"\\]|\\.)*)"|_\(\s*\'((?:[^\'\\]|\\.)*)\'', path.read_text()
        ):
            text = m.group(1) or m.group(2)
            if text not in english:
                missing.add(text)
    assert not missing, f"add to web/locale/en/LC_MESSAGES/messages.po: {sorted(missing)}"
