"""The registration flows on every supported backend (SQLite always, PostgreSQL in CI)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.models import AuditEvent
from catalog.services import create_instansi, create_item, create_organisation
from catalog.services.context import Actor
from tests_support import PASSWORD, bearer, client_for, make_user


@pytest.fixture
def small_city(engine):  # type: ignore[no-untyped-def]
    system = Actor(name="penguji", source="test")
    with Session(engine, expire_on_commit=False) as s:
        city = create_instansi(
            s, system, {"code": "51.71", "name": "Kota Denpasar", "kind": "kota"}
        )
        a = create_organisation(
            s, system, {"instansi_id": city.id, "code": "030801", "name": "Diskominfo"}
        )
        b = create_organisation(
            s, system, {"instansi_id": city.id, "code": "030201", "name": "Dinkes"}
        )
        app_a = create_item(s, system, "application", {"owner_id": a.id, "name": "SIMPEG"})
        app_b = create_item(s, system, "application", {"owner_id": b.id, "name": "SIMPUS"})
        closed = create_item(
            s,
            system,
            "dataset",
            {"owner_id": b.id, "name": "Rekam Medis Pasien", "classification": "tertutup"},
        )
    tokens = {
        "op_a": make_user(engine, "op-a", "operator", organisation_id=a.id)[1],
        "op_b": make_user(engine, "op-b", "operator", organisation_id=b.id)[1],
        "viewer": make_user(engine, "pimpinan", "pimpinan", instansi_id=city.id)[1],
    }
    return {
        "city": city,
        "a": a,
        "b": b,
        "app_a": app_a,
        "app_b": app_b,
        "closed": closed,
        **tokens,
    }


def test_write_flow(engine, small_city) -> None:
    w = small_city
    with client_for(engine) as c:
        made = c.post(
            "/api/v1/services",
            headers=bearer(w["op_a"]),
            json={"name": "Layanan Kepegawaian", "owner": "030801", "reference_code": "RAL.02.04"},
        )
        assert made.status_code == 201, made.text
        svc = made.json()
        forbidden = c.post(
            "/api/v1/services",
            headers=bearer(w["op_a"]),
            json={"name": "Bukan milikku", "owner": "030201"},
        )
        assert forbidden.status_code == 403
        ok = c.patch(
            svc["links"]["self"],
            headers={**bearer(w["op_a"]), "If-Match": '"1"'},
            json={"purpose": "Administrasi ASN"},
        )
        assert ok.status_code == 200 and ok.json()["version"] == 2
        stale = c.patch(
            svc["links"]["self"],
            headers={**bearer(w["op_a"]), "If-Match": '"1"'},
            json={"purpose": "basi"},
        )
        assert stale.status_code == 409 and stale.json()["current"]["purpose"] == "Administrasi ASN"
        rel = c.post(
            "/api/v1/relations",
            headers=bearer(w["op_a"]),
            json={
                "type": "delivered_by",
                "source_kind": "service",
                "source_id": svc["id"],
                "target_kind": "application",
                "target_id": w["app_a"].id,
            },
        )
        assert rel.status_code == 201
        history = c.get(f"{svc['links']['self']}/history", headers=bearer(w["viewer"])).json()
        assert [h["action"] for h in history] == ["link", "update", "create"]
        feed = c.get(
            "/api/v1/changes",
            headers=bearer(w["viewer"]),
            params={"actor": "op-a", "kind": "service"},
        ).json()
        assert feed["total"] == 2
    with Session(engine) as s:
        assert (
            s.execute(select(func.count()).where(AuditEvent.event == "forbidden")).scalar_one() == 1
        )


def test_confirmation_and_visibility(engine, small_city) -> None:
    w = small_city
    with client_for(engine) as c:
        integ = c.post(
            "/api/v1/integrations",
            headers=bearer(w["op_a"]),
            json={
                "name": "SIMPEG ke SIMPUS",
                "provider_id": w["app_a"].id,
                "consumer_id": w["app_b"].id,
            },
        ).json()
        assert [
            i["id"] for i in c.get("/api/v1/integrations/pending", headers=bearer(w["op_b"])).json()
        ] == [integ["id"]]
        done = c.post(
            f"/api/v1/integrations/{integ['id']}/confirm", headers=bearer(w["op_b"])
        ).json()
        assert done["confirmed_by_consumer"]
        assert c.get(f"/api/v1/datasets/{w['closed'].id}").status_code == 404
        assert (
            c.get(f"/api/v1/datasets/{w['closed'].id}", headers=bearer(w["viewer"])).status_code
            == 200
        )
        public = c.get("/api/v1/search", params={"q": "rekam medis", "instansi": "51.71"}).json()
        private = c.get(
            "/api/v1/search",
            params={"q": "rekam medis", "instansi": "51.71"},
            headers=bearer(w["viewer"]),
        ).json()
        assert public["total"] == 0 and private["total"] == 1
        assert (
            c.post(
                "/api/v1/auth/login", json={"username": "op-a", "password": PASSWORD}
            ).status_code
            == 200
        )
