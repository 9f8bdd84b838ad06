"""The write API as scripts and browsers use it: versions, conflicts, CSRF, confirmations,
history and the change feed."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.kinds import KINDS
from catalog.models import ChangeRecord, Instansi, Organisation
from tests_support import PASSWORD, bearer, client_for, make_user


@pytest.fixture
def city(demo_city_engine):  # type: ignore[no-untyped-def]
    with Session(demo_city_engine, expire_on_commit=False) as s:
        inst = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        apps = KINDS["application"].model
        owners = [
            o
            for (o,) in s.execute(
                select(apps.owner_id)
                .where(apps.instansi_id == inst.id)
                .group_by(apps.owner_id)
                .order_by(func.count().desc())
                .limit(2)
            )
        ]
        a, b = (s.get(Organisation, o) for o in owners)
        app_a = s.execute(select(apps).where(apps.owner_id == a.id).limit(1)).scalar_one()
        app_b = s.execute(select(apps).where(apps.owner_id == b.id).limit(1)).scalar_one()
    return {"instansi": inst, "a": a, "b": b, "app_a": app_a, "app_b": app_b}


@pytest.fixture
def arsitek(demo_city_engine, city) -> str:
    return make_user(demo_city_engine, "arsitek", "arsitek", instansi_id=city["instansi"].id)[1]


def test_create_returns_the_item_with_location_and_etag(demo_city_engine, city, arsitek) -> None:
    with client_for(demo_city_engine) as c:
        answer = c.post(
            "/api/v1/applications",
            headers={**bearer(arsitek), "X-Request-ID": "permintaan-uji-001"},
            json={
                "name": "SIMANTAP",
                "owner": city["a"].code,
                "reference_code": "RAA.02.02",
                "platform": "web",
                "description": "Sistem manajemen aset tetap",
                "url": "https://simantap.kota.go.id",
                "former_urls": ["https://aset.kota.go.id/simantap"],
            },
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["former_urls"] == ["https://aset.kota.go.id/simantap"]
        assert answer.headers["Location"] == f"/api/v1/applications/{body['id']}"
        assert answer.headers["ETag"] == '"1"' and body["owner"]["code"] == city["a"].code
        assert body["code"].startswith("APL-")
    with Session(demo_city_engine) as s:
        record = s.execute(
            select(ChangeRecord).where(
                ChangeRecord.object_kind == "application", ChangeRecord.object_id == body["id"]
            )
        ).scalar_one()
        assert record.actor_name == "Arsitek" and record.source == "api"
        assert record.request_id == "permintaan-uji-001" and record.after["name"] == "SIMANTAP"


def test_update_needs_a_version_and_refuses_a_stale_one(demo_city_engine, city, arsitek) -> None:
    url = f"/api/v1/applications/{city['app_a'].id}"
    with client_for(demo_city_engine) as c:
        first = c.get(url)
        version = int(first.headers["ETag"].strip('"'))
        missing = c.patch(url, headers=bearer(arsitek), json={"description": "tanpa versi"})
        assert missing.status_code == 428 and missing.json()["problems"][0]["field"] == "version"
        ok = c.patch(
            url,
            headers={**bearer(arsitek), "If-Match": f'"{version}"'},
            json={"description": "versi benar"},
        )
        assert ok.status_code == 200 and ok.json()["version"] == version + 1
        stale = c.patch(
            url, headers=bearer(arsitek), json={"description": "versi lama", "version": version}
        )
        assert stale.status_code == 409
        assert stale.json()["current"]["description"] == "versi benar"
        assert c.get(url).json()["description"] == "versi benar"
        bad = c.patch(url, headers={**bearer(arsitek), "If-Match": "abc"}, json={"name": "x"})
        assert bad.status_code == 422


def test_two_editors_cannot_lose_each_others_change(demo_city_engine, city, arsitek) -> None:
    """Two people open the same item, both save: the second is told, nothing is lost."""
    other = make_user(demo_city_engine, "operator", "operator", organisation_id=city["a"].id)[1]
    url = f"/api/v1/applications/{city['app_a'].id}"
    with client_for(demo_city_engine) as alice, client_for(demo_city_engine) as budi:
        v_alice = alice.get(url, headers=bearer(arsitek)).json()["version"]
        v_budi = budi.get(url, headers=bearer(other)).json()["version"]
        assert v_alice == v_budi
        saved = alice.patch(
            url, headers=bearer(arsitek), json={"output": "Laporan Alice", "version": v_alice}
        )
        assert saved.status_code == 200
        lost = budi.patch(
            url, headers=bearer(other), json={"framework": "Laravel", "version": v_budi}
        )
        assert lost.status_code == 409
        assert lost.json()["current"]["output"] == "Laporan Alice"
        # Budi reloads and saves on top of Alice's change: both survive.
        v_now = budi.get(url, headers=bearer(other)).json()["version"]
        assert (
            budi.patch(
                url, headers=bearer(other), json={"framework": "Laravel", "version": v_now}
            ).status_code
            == 200
        )
        final = alice.get(url).json()
        assert final["output"] == "Laporan Alice" and final["framework"] == "Laravel"


def test_invalid_fields_answer_422_naming_each_field(demo_city_engine, city, arsitek) -> None:
    with client_for(demo_city_engine) as c:
        answer = c.post(
            "/api/v1/applications",
            headers=bearer(arsitek),
            json={
                "owner_id": city["a"].id,
                "name": "",
                "reference_code": "RAL.01.25",
                "platform": "tablet",
                "year_built": 1800,
            },
        )
        assert answer.status_code == 422
        fields = {p["field"] for p in answer.json()["problems"]}
        assert fields == {"name", "reference_code", "platform", "year_built"}
        typed = c.post(
            "/api/v1/applications",
            headers=bearer(arsitek),
            json={"owner_id": "satu", "name": "x", "warna": "merah"},
        )
        assert typed.status_code == 422
        assert {p["field"] for p in typed.json()["problems"]} == {"owner_id", "warna"}
        unknown_unit = c.post(
            "/api/v1/applications", headers=bearer(arsitek), json={"owner": "999999", "name": "x"}
        )
        assert (
            unknown_unit.status_code == 404 and unknown_unit.json()["problems"][0]["field"] == "opd"
        )


def test_browser_writes_need_the_csrf_token(demo_city_engine, city) -> None:
    make_user(demo_city_engine, "arsitek", "arsitek", instansi_id=city["instansi"].id)
    with client_for(demo_city_engine) as c:
        me = c.post("/api/v1/auth/login", json={"username": "arsitek", "password": PASSWORD}).json()
        assert me["username"] == "arsitek" and me["csrf_token"]
        url = f"/api/v1/applications/{city['app_a'].id}"
        version = c.get(url).json()["version"]
        refused = c.patch(url, json={"description": "tanpa token", "version": version})
        assert refused.status_code == 403 and refused.json()["code"] == "csrf"
        accepted = c.patch(
            url,
            headers={"X-CSRF-Token": me["csrf_token"]},
            json={"description": "dengan token", "version": version},
        )
        assert accepted.status_code == 200
        c.post("/api/v1/auth/logout")
        assert c.get("/api/v1/me").json()["id"] is None


def test_integration_confirmation_by_the_other_side(demo_city_engine, city) -> None:
    op_a = make_user(demo_city_engine, "op-a", "operator", organisation_id=city["a"].id)[1]
    op_b = make_user(demo_city_engine, "op-b", "operator", organisation_id=city["b"].id)[1]
    with client_for(demo_city_engine) as c:
        made = c.post(
            "/api/v1/integrations",
            headers=bearer(op_a),
            json={
                "name": "A ke B",
                "provider_id": city["app_a"].id,
                "consumer_id": city["app_b"].id,
                "mechanism": "rest_api",
                "confirmed_by_consumer": True,
            },
        )
        assert made.status_code == 422  # confirmations are not set by hand
        made = c.post(
            "/api/v1/integrations",
            headers=bearer(op_a),
            json={
                "name": "A ke B",
                "provider_id": city["app_a"].id,
                "consumer_id": city["app_b"].id,
                "mechanism": "rest_api",
            },
        )
        assert made.status_code == 201, made.text
        integ = made.json()
        assert integ["confirmed_by_provider"] and not integ["confirmed_by_consumer"]
        assert integ["owner"]["id"] == city["a"].id
        waiting = c.get("/api/v1/integrations/pending", headers=bearer(op_b)).json()
        assert integ["id"] in {i["id"] for i in waiting}
        assert integ["id"] not in {
            i["id"] for i in c.get("/api/v1/integrations/pending", headers=bearer(op_a)).json()
        }
        confirmed = c.post(
            f"/api/v1/integrations/{integ['id']}/confirm", headers=bearer(op_b)
        ).json()
        assert confirmed["confirmed_by_provider"] and confirmed["confirmed_by_consumer"]
        # A substantial change by one side needs the other side's word again.
        changed = c.patch(
            f"/api/v1/integrations/{integ['id']}",
            headers=bearer(op_a),
            json={"mechanism": "file_transfer", "version": confirmed["version"]},
        ).json()
        assert changed["confirmed_by_provider"] and not changed["confirmed_by_consumer"]
        history = c.get(f"/api/v1/integrations/{integ['id']}/history", headers=bearer(op_b)).json()
        assert [h["action"] for h in history] == ["update", "confirm", "create"]


def test_history_shows_fields_and_relations(demo_city_engine, city, arsitek) -> None:
    app = city["app_a"]
    with client_for(demo_city_engine) as c:
        version = c.get(f"/api/v1/applications/{app.id}").json()["version"]
        c.patch(
            f"/api/v1/applications/{app.id}",
            headers=bearer(arsitek),
            json={"name": "Nama Baru", "version": version},
        )
        ds = c.get("/api/v1/datasets", params={"per_page": 1}).json()["items"][0]
        rel = c.post(
            "/api/v1/relations",
            headers=bearer(arsitek),
            json={
                "type": "reads",
                "source_kind": "application",
                "source_id": app.id,
                "target_kind": "dataset",
                "target_id": ds["id"],
            },
        )
        if rel.status_code == 201:
            assert (
                c.delete(
                    f"/api/v1/relations/{rel.json()['id']}", headers=bearer(arsitek)
                ).status_code
                == 204
            )
        history = c.get(f"/api/v1/applications/{app.id}/history", headers=bearer(arsitek)).json()
        update = next(h for h in history if h["action"] == "update")
        assert {"field": "name", "before": app.name, "after": "Nama Baru"} in update["changes"]
        if rel.status_code == 201:
            assert [h["action"] for h in history[:2]] == ["unlink", "link"]
        ds_history = c.get(f"/api/v1/datasets/{ds['id']}/history", headers=bearer(arsitek)).json()
        assert any(h["object_kind"] == "relation" for h in ds_history) or rel.status_code != 201
        assert c.get(f"/api/v1/applications/{app.id}/history").status_code == 403  # anonymous


def test_change_feed_filters_and_csv(demo_city_engine, city, arsitek) -> None:
    code = city["instansi"].code
    with client_for(demo_city_engine) as c:
        version = c.get(f"/api/v1/applications/{city['app_b'].id}").json()["version"]
        c.patch(
            f"/api/v1/applications/{city['app_b'].id}",
            headers=bearer(arsitek),
            json={"description": "untuk umpan", "version": version},
        )
        feed = c.get(
            "/api/v1/changes",
            headers=bearer(arsitek),
            params={"instansi": code, "actor": "arsitek", "kind": "application"},
        ).json()
        assert feed["total"] == 1 and feed["items"][0]["actor"] == "Arsitek"
        by_unit = c.get(
            "/api/v1/changes",
            headers=bearer(arsitek),
            params={"instansi": code, "opd": city["b"].code, "since": "2020-01-01"},
        ).json()
        assert by_unit["total"] >= 1
        assert c.get("/api/v1/changes", params={"instansi": code}).status_code == 403
        exported = c.get(
            "/api/v1/changes.csv",
            headers=bearer(arsitek),
            params={"instansi": code, "actor": "arsitek"},
        )
        assert exported.status_code == 200 and exported.headers["content-type"].startswith(
            "text/csv"
        )
        rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
        assert rows[0][:3] == ["waktu", "pelaku", "sumber"]
        assert [rows[1][8], rows[1][10]] == ["description", "untuk umpan"]


def test_similar_applications_at_entry(demo_city_engine, city, arsitek) -> None:
    with client_for(demo_city_engine) as c:
        app = city["app_a"]
        same = c.post(
            "/api/v1/applications/similar",
            headers=bearer(arsitek),
            json={"name": app.name, "acronym": app.acronym},
        ).json()
        # The demo city may hold another unit's copy under the very same name: it ranks
        # as high, either may come first.
        top = [s for s in same if s["name"] == app.name]
        assert same and same[0]["name"] == app.name and same[0]["reasons"]
        assert app.id in {s["id"] for s in top}
        office = c.post(
            "/api/v1/applications/similar",
            headers=bearer(arsitek),
            json={"name": "e-Office Persuratan"},
        ).json()
        assert any(x["code"] == "SRIKANDI" and x["national"] for x in office)
        # Another unit's SMS gateway: the same shared tool, whatever its name adds.
        gateway = c.post(
            "/api/v1/applications/similar",
            headers=bearer(arsitek),
            json={"name": "SMS Gateway Dinsos", "description": "Info bansos lewat SMS"},
        ).json()
        assert any("kemampuan bersama yang sama" in str(x["reasons"]) for x in gateway)
        # The demo city's kelurahan systems: one job, whatever each is named.
        kelurahan = c.post(
            "/api/v1/applications/similar",
            headers=bearer(arsitek),
            json={"name": "Sistem Informasi Kelurahan Baru", "description": "Surat warga"},
        ).json()
        assert any(
            "sama-sama menyelenggarakan administrasi kelurahan" in str(x["reasons"])
            for x in kelurahan
        )
        assert c.post("/api/v1/applications/similar", json={"name": "zzz qqq"}).json() == []


def test_bad_tokens_are_told_apart_from_the_public(demo_city_engine) -> None:
    with client_for(demo_city_engine) as c:
        answer = c.get("/api/v1/applications", headers=bearer("kspbe_salah"))
        assert (
            answer.status_code == 401 and answer.json()["problems"][0]["field"] == "Authorization"
        )
