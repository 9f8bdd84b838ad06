"""What the public sees: nothing internal, no restricted or closed data — not in lists,
details, search, counts or the relations of other items."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.kinds import KINDS
from catalog.models import Instansi
from catalog.services import update_item
from catalog.services.context import Actor
from tests_support import bearer, client_for, make_user


@pytest.fixture
def setup(demo_city_engine):  # type: ignore[no-untyped-def]
    ds, apps = KINDS["dataset"].model, KINDS["application"].model
    with Session(demo_city_engine, expire_on_commit=False) as s:
        city = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        closed = s.execute(
            select(ds).where(ds.instansi_id == city.id, ds.classification == "tertutup").limit(1)
        ).scalar_one()
        n_closed = s.execute(
            select(func.count()).where(
                ds.instansi_id == city.id, ds.classification.in_(["tertutup", "terbatas"])
            )
        ).scalar_one()
        n_all = s.execute(
            select(func.count()).where(ds.instansi_id == city.id, ds.retired_at.is_(None))
        ).scalar_one()
        app = s.execute(select(apps).where(apps.instansi_id == city.id).limit(1)).scalar_one()
        update_item(
            s, Actor(name="admin", source="test"), "application", app.id, {"is_internal": True}
        )
    viewer = make_user(demo_city_engine, "pimpinan", "pimpinan", instansi_id=city.id)[1]
    return {
        "city": city,
        "closed": closed,
        "n_closed": n_closed,
        "n_all": n_all,
        "app": app,
        "viewer": viewer,
    }


def test_public_lists_details_search_and_counts_hide_restricted(demo_city_engine, setup) -> None:
    closed, app = setup["closed"], setup["app"]
    with client_for(demo_city_engine) as c:
        public = c.get("/api/v1/datasets", params={"per_page": 200}).json()
        assert public["total"] == setup["n_all"] - setup["n_closed"]
        assert all(d["classification"] == "terbuka" for d in public["items"])
        assert c.get(f"/api/v1/datasets/{closed.id}").status_code == 404
        assert c.get(f"/data/{closed.id}").status_code == 404
        assert c.get(f"/api/v1/applications/{app.id}").status_code == 404
        word = closed.name.split()[-1]
        hits = c.get("/api/v1/search", params={"q": closed.name}).json()["items"]
        assert closed.id not in {h["id"] for h in hits if h["kind"] == "dataset"}
        assert app.id not in {
            h["id"]
            for h in c.get("/api/v1/search", params={"q": app.name}).json()["items"]
            if h["kind"] == "application"
        }
        stats = c.get("/api/v1/stats").json()["counts"]
        assert stats["dataset"] == public["total"]
        page = c.get("/cari", params={"q": word}).text
        assert f'/data/{closed.id}"' not in page
        home = c.get("/").text
        assert f">{setup['n_all']}<" not in home.replace(".", "")


def test_readers_of_the_instansi_see_everything(demo_city_engine, setup) -> None:
    closed, app = setup["closed"], setup["app"]
    headers = bearer(setup["viewer"])
    with client_for(demo_city_engine) as c:
        assert (
            c.get("/api/v1/datasets", headers=headers, params={"per_page": 1}).json()["total"]
            == setup["n_all"]
        )
        assert c.get(f"/api/v1/datasets/{closed.id}", headers=headers).status_code == 200
        assert c.get(f"/api/v1/applications/{app.id}", headers=headers).status_code == 200
        hits = c.get("/api/v1/search", headers=headers, params={"q": closed.name}).json()["items"]
        assert closed.id in {h["id"] for h in hits if h["kind"] == "dataset"}
        assert c.get("/api/v1/stats", headers=headers).json()["counts"]["dataset"] == setup["n_all"]


def test_relations_to_hidden_items_are_not_shown_to_the_public(demo_city_engine, setup) -> None:
    closed = setup["closed"]
    with client_for(demo_city_engine) as c:
        readers = [
            a for a in c.get("/api/v1/applications", params={"per_page": 200}).json()["items"]
        ]
        for a in readers:
            detail = c.get(a["links"]["self"]).json()
            assert closed.id not in {
                r["item"]["id"] for r in detail["relations"] if r["item"]["kind"] == "dataset"
            }
