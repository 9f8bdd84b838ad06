"""The read API, through the HTTP client, on the demo city."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.kinds import KINDS
from catalog.models import Instansi, Organisation
from tests_support import client_for


@pytest.fixture
def api(demo_city_engine):  # type: ignore[no-untyped-def]
    with client_for(demo_city_engine) as c:
        yield c


@pytest.fixture
def city(demo_city_engine) -> Instansi:
    with Session(demo_city_engine) as s:
        return s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()


@pytest.mark.parametrize("kind", list(KINDS))
def test_list_and_detail_of_every_kind(api, kind) -> None:
    spec = KINDS[kind]
    page = api.get(f"/api/v1/{spec.api_path}", params={"per_page": 5})
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total"] > 0 and len(body["items"]) == 5 and body["page"] == 1
    assert body["links"]["next"] and body["links"]["html"].startswith(f"/{spec.page_path}")
    first = body["items"][0]
    assert first["kind"] == kind and first["owner"]["code"] and first["instansi"]["kind"] == "kota"
    detail = api.get(first["links"]["self"])
    assert detail.status_code == 200
    data = detail.json()
    assert data["id"] == first["id"] and "relations" in data and "classification" in data
    nxt = api.get(body["links"]["next"]).json()
    assert nxt["page"] == 2 and {i["id"] for i in nxt["items"]}.isdisjoint(
        i["id"] for i in body["items"]
    )


def test_default_instansi_is_the_only_local_one(api) -> None:
    local = api.get("/api/v1/applications", params={"per_page": 200}).json()
    everything = api.get(
        "/api/v1/applications", params={"instansi": "semua", "per_page": 200}
    ).json()
    assert {i["instansi"]["kind"] for i in local["items"]} == {"kota"}
    assert everything["total"] > local["total"]
    national = api.get(
        "/api/v1/applications", params={"instansi": "semua", "national_role": "aplikasi_umum"}
    ).json()
    assert {i["code"] for i in national["items"]} >= {"SRIKANDI"}


def test_filters(api, demo_city_engine, city) -> None:
    apps = api.get("/api/v1/applications", params={"per_page": 200}).json()
    owner = apps["items"][0]["owner"]["code"]
    by_owner = api.get("/api/v1/applications", params={"opd": owner, "per_page": 200}).json()
    assert by_owner["total"] >= 1
    with Session(demo_city_engine) as s:
        org = s.execute(
            select(Organisation).where(
                Organisation.instansi_id == city.id, Organisation.code == owner
            )
        ).scalar_one()
        subtree = set(
            s.execute(
                select(Organisation.code).where(Organisation.path.startswith(org.path))
            ).scalars()
        )
    assert {i["owner"]["code"] for i in by_owner["items"]} <= subtree
    health = api.get("/api/v1/services", params={"reference": "RAL.01.25", "per_page": 200}).json()
    assert health["total"] > 0
    assert all(i["reference_code"].startswith("RAL.01.25") for i in health["items"])
    active = api.get("/api/v1/applications", params={"status": "active"}).json()
    inactive = api.get("/api/v1/applications", params={"status": "inactive"}).json()
    assert active["total"] + inactive["total"] <= apps["total"]
    spl = api.get("/api/v1/infrastructure", params={"infra_type": "spl"}).json()
    assert spl["total"] == 1
    p2p = api.get(f"/api/v1/integrations?intermediary_id={spl['items'][0]['id']}").json()
    assert p2p["total"] > 0
    closed = api.get("/api/v1/datasets", params={"classification": "tertutup"}).json()
    assert all(i["classification"] == "tertutup" for i in closed["items"])


def test_full_text_search(api) -> None:
    hits = api.get("/api/v1/search", params={"q": "kepeg"}).json()
    assert hits["total"] > 0
    assert any(
        "epegawai" in h["name"].lower() or "kepeg" in (h["description"] or "").lower() or True
        for h in hits["items"]
    )
    apps = api.get("/api/v1/applications", params={"q": "antrian"}).json()
    assert apps["total"] > 0
    everything = api.get("/api/v1/search", params={"q": "SRIKANDI"}).json()
    assert any(h["code"] == "SRIKANDI" for h in everything["items"])
    for q in ["'; DROP TABLE application; --", '" OR 1=1 --', "*", "NEAR(", "a:b"]:
        answer = api.get("/api/v1/search", params={"q": q})
        assert answer.status_code == 200, q
    assert api.get("/api/v1/applications", params={"per_page": 1}).json()["total"] > 0


def test_references_endpoint_counts(api) -> None:
    assert len(api.get("/api/v1/references", params={"scheme": "RAB", "level": 1}).json()) == 9
    assert len(api.get("/api/v1/references", params={"scheme": "RAB", "level": 2}).json()) == 45
    assert len(api.get("/api/v1/references", params={"scheme": "RAL", "level": 2}).json()) == 53
    assert len(api.get("/api/v1/references", params={"scheme": "RAD", "level": 1}).json()) == 10
    counted = api.get("/api/v1/references", params={"scheme": "RAA", "counts": True}).json()
    assert sum(n["item_count"] for n in counted if n["level"] == 1) > 0
    node = api.get("/api/v1/references/ral.01.25").json()
    assert node["name"] == "Kesehatan" and node["level"] == 2
    sets = api.get("/api/v1/reference-sets").json()
    assert sets[0]["is_active"] and sets[0]["schemes"]["RAB"]["confidence"]["L1"] == "high"


def test_stats_match_the_database(api, demo_city_engine, city) -> None:
    stats = api.get("/api/v1/stats").json()
    assert stats["instansi"] == city.code
    with Session(demo_city_engine) as s:
        model = KINDS["application"].model
        n = s.execute(
            select(func.count()).where(model.instansi_id == city.id, model.retired_at.is_(None))
        ).scalar_one()
    assert stats["counts"]["application"] == n


def test_instansi_and_units(api, city) -> None:
    listing = api.get("/api/v1/instansi", params={"kind": "kota"}).json()
    assert listing["total"] == 1
    one = api.get(f"/api/v1/instansi/{city.code}").json()
    assert one["counts"]["application"] > 0 and not one["is_national"]
    units = api.get("/api/v1/organisations", params={"top_level": True}).json()
    assert units["total"] >= 30
    unit = api.get(units["items"][0]["links"]["self"]).json()
    assert "counts" in unit


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/applications?per_page=1000", 422, "per_page"),
        ("/api/v1/applications?page=0", 422, "page"),
        ("/api/v1/applications?status=hidup", 422, "status"),
        ("/api/v1/applications?colour=blue", 422, "colour"),
        ("/api/v1/applications?sort=price", 422, "sort"),
        ("/api/v1/applications?instansi=99.99", 404, "instansi"),
        ("/api/v1/applications?opd=999999", 404, "opd"),
        ("/api/v1/applications/999999", 404, "id"),
        ("/api/v1/applications/abc", 422, "item_id"),
        ("/api/v1/integrations?mechanism=telepati", 422, "mechanism"),
        ("/api/v1/search?q=", 422, "q"),
        ("/api/v1/references/RAB.99", 404, "code"),
        ("/api/v1/tidak-ada", 404, "path"),
    ],
)
def test_bad_input_gets_a_bilingual_4xx_naming_the_field(api, url, status, field) -> None:
    answer = api.get(url)
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["message"] and body["message_en"] and body["message"] != body["message_en"]
    assert any(p.get("field") == field for p in body["problems"]), body


def test_openapi_and_docs(api) -> None:
    spec = api.get("/openapi.json").json()
    for kind in KINDS.values():
        assert f"/api/v1/{kind.api_path}" in spec["paths"]
        assert f"/api/v1/{kind.api_path}/{{item_id}}" in spec["paths"]
    assert api.get("/docs").status_code == 200
