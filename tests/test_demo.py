"""The demo generator: realistic, deterministic, and truthful about what it planted."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from catalog.demo import build_plan, generate, targets
from catalog.demo.source import load
from catalog.errors import Conflict
from catalog.kinds import KINDS
from catalog.models import (
    ChangeRecord,
    Instansi,
    Integration,
    Organisation,
    Relation,
)
from catalog.services.context import Actor


def fingerprint(engine: Engine) -> str:
    """A digest of the inventory's content (not of timestamps)."""
    digest = hashlib.sha256()
    with Session(engine) as s:
        orgs = {o.id: o.code for o in s.execute(select(Organisation)).scalars()}
        for key, spec in KINDS.items():
            model = spec.model
            for row in s.execute(select(model).order_by(model.instansi_id, model.code)).scalars():
                data = row.model_dump(exclude={"created_at", "updated_at", "id", "owner_id"})
                digest.update(f"{key}|{orgs[row.owner_id]}|{sorted(data.items())}".encode())
        for r in s.execute(select(Relation).order_by(Relation.id)).scalars():
            digest.update(
                f"{r.type}|{r.source_kind}|{r.source_id}|{r.target_kind}|{r.target_id}".encode()
            )
    return digest.hexdigest()


def test_same_seed_same_inventory(demo_city_engine, tmp_path) -> None:
    from tests_support import fresh_sqlite

    again = fresh_sqlite(tmp_path / "again.sqlite3")
    with Session(again) as s:
        generate(s, Actor(name="demo", source="demo"), scale="city", seed=1)
    assert fingerprint(again) == fingerprint(demo_city_engine)


def test_another_seed_another_inventory() -> None:
    src = load()
    a = build_plan(src, targets(src, "city", 1)[0], 1)
    b = build_plan(src, targets(src, "city", 2)[0], 2)
    names_a = sorted(i.fields["name"] for i in a.items["application"])
    names_b = sorted(i.fields["name"] for i in b.items["application"])
    assert names_a != names_b


def test_city_looks_like_a_real_kota(demo_city_engine) -> None:
    with Session(demo_city_engine) as s:
        city = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        assert city.name.startswith("Kota ")
        top = s.execute(
            select(func.count()).where(
                Organisation.instansi_id == city.id, Organisation.parent_id.is_(None)
            )
        ).scalar_one()
        units = s.execute(
            select(func.count()).where(Organisation.instansi_id == city.id)
        ).scalar_one()
        assert 30 <= top <= 60 and 80 <= units <= 200
        counts = {}
        for key, spec in KINDS.items():
            counts[key] = s.execute(
                select(func.count())
                .select_from(spec.model)
                .where(spec.model.instansi_id == city.id)
            ).scalar_one()
        assert 200 <= counts["application"] <= 320
        assert counts["dataset"] >= counts["application"]
        assert counts["service"] >= 150 and counts["process"] >= 80
        assert counts["integration"] >= counts["application"]
        infra_types = set(
            s.execute(
                select(KINDS["infrastructure"].model.infra_type).where(
                    KINDS["infrastructure"].model.instansi_id == city.id
                )
            ).scalars()
        )
        assert {"data_centre", "spl", "server", "intranet"} <= infra_types
        # Many applications have no description, as in real inventories.
        app = KINDS["application"].model
        empty = s.execute(
            select(func.count()).where(app.instansi_id == city.id, app.description.is_(None))
        ).scalar_one()
        assert 0.2 < empty / counts["application"] < 0.5
        # Every demo write is in the change log.
        logged = s.execute(
            select(func.count()).where(
                ChangeRecord.source == "demo", ChangeRecord.object_kind == "application"
            )
        ).scalar_one()
        assert logged == counts["application"]


def test_demo_refuses_to_run_twice(demo_city_engine) -> None:
    with Session(demo_city_engine) as s, pytest.raises(Conflict, match="demo"):
        generate(s, Actor(name="demo", source="demo"), scale="city", seed=1)


def test_national_and_province_scales_plan_the_right_sizes() -> None:
    src = load()
    national = targets(src, "national", 1)
    assert len(national) == len(src.provinces) + len(src.regencies) >= 550
    planned = sum(build_plan(src, t, 1).count("application") for t in national)
    assert 27_000 <= planned <= 33_000
    province = targets(src, "province", 1)
    assert 18 <= len(province) <= 22
    assert 4_500 <= sum(t.apps for t in province) <= 5_500


# -- the planted truth agrees with what was written ------------------------------------


def _truth(demo_city_engine):  # type: ignore[no-untyped-def]
    src = load()
    target = targets(src, "city", 1)[0]
    return target.place.code, build_plan(src, target, 1).truth


def _apps(s: Session, instansi_id: int) -> dict[str, object]:
    app = KINDS["application"].model
    return {
        a.code: a for a in s.execute(select(app).where(app.instansi_id == instansi_id)).scalars()
    }


def test_planted_duplicates_exist_as_written(demo_city_engine) -> None:
    code, truth = _truth(demo_city_engine)
    with Session(demo_city_engine) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == code)).scalar_one()
        apps = _apps(s, inst.id)
        orgs = {o.id: o.code for o in s.execute(select(Organisation)).scalars()}
        assert truth["duplicate_clusters"], "a city has planted duplicates"
        for cluster in truth["duplicate_clusters"]:
            assert len(cluster["members"]) >= 2
            for m in cluster["members"]:
                assert apps[m["code"]].name == m["name"]
                assert orgs[apps[m["code"]].owner_id] == m["owner"]
        owners = {len({m["owner"] for m in c["members"]}) for c in truth["duplicate_clusters"]}
        assert max(owners) >= 2  # built again by other units
        assert {c["split"] for c in truth["duplicate_clusters"]} == {"tune", "holdout"}
        for pair in truth["lookalike_pairs"]:
            a, b = (apps[m["code"]] for m in pair["members"])
            assert (a.acronym or "").lower() == (b.acronym or "").lower() == pair["acronym"]
        assert truth["national_overlaps"] and truth["channel_groups"]


def test_planted_integration_gaps_are_exactly_the_gaps(demo_city_engine) -> None:
    """Recompute every gap rule from the database: nothing missing, nothing extra."""
    code, truth = _truth(demo_city_engine)
    with Session(demo_city_engine) as s:
        inst = s.execute(select(Instansi).where(Instansi.code == code)).scalar_one()
        app_model, ds_model = KINDS["application"].model, KINDS["dataset"].model
        app_code = {a.id: a.code for a in s.execute(select(app_model)).scalars()}
        national = {
            a.id: a.code
            for a in s.execute(select(app_model).where(app_model.national_role != "none")).scalars()
        }
        ds_rows = {d.id: d for d in s.execute(select(ds_model)).scalars()}
        orgs = {o.id: o for o in s.execute(select(Organisation)).scalars()}

        def ref(app_id: int) -> str:
            return f"national:{national[app_id]}" if app_id in national else app_code[app_id]

        def ds_ref(ds_id: int) -> str:
            d = ds_rows[ds_id]
            return f"national:{d.code}" if d.instansi_id != inst.id else d.code

        integrations = list(
            s.execute(select(Integration).where(Integration.instansi_id == inst.id)).scalars()
        )
        linked = {frozenset((i.provider_id, i.consumer_id)) for i in integrations}
        found: set[tuple] = set()
        for i in integrations:
            if i.intermediary_id is None:
                found.add(("point_to_point", i.code))
            if not (i.confirmed_by_provider and i.confirmed_by_consumer):
                found.add(("one_sided", i.code))
        rels = list(s.execute(select(Relation).where(Relation.instansi_id == inst.id)).scalars())
        producers = defaultdict(set)
        for r in rels:
            if r.type == "produces":
                producers[r.target_id].add(r.source_id)
        for r in rels:
            if r.type == "reads":
                auth = ds_rows[r.target_id].authoritative_application_id
                if auth and auth != r.source_id and frozenset((auth, r.source_id)) not in linked:
                    found.add(
                        (
                            "read_without_integration",
                            ref(r.source_id),
                            ds_ref(r.target_id),
                            ref(auth),
                        )
                    )
        for ds_id, apps in producers.items():
            apps = sorted(apps)
            for i, a in enumerate(apps):
                for b in apps[i + 1 :]:
                    if frozenset((a, b)) not in linked:
                        found.add(
                            (
                                "shared_without_integration",
                                tuple(sorted([ref(a), ref(b)])),
                                ds_ref(ds_id),
                            )
                        )

        def top(org_id: int) -> str:
            org = orgs[org_id]
            while org.parent_id is not None:
                org = orgs[org.parent_id]
            return org.code

        via_spl: dict[str, bool] = {}
        app_owner = {
            a.id: a.owner_id
            for a in s.execute(select(app_model).where(app_model.instansi_id == inst.id)).scalars()
        }
        for i in integrations:
            for side in (i.provider_id, i.consumer_id):
                if side in app_owner:
                    t = top(app_owner[side])
                    via_spl[t] = via_spl.get(t, False) or i.intermediary_id is not None
        found |= {("opd_without_spl", t) for t, via in via_spl.items() if not via}

    planted: set[tuple] = set()
    for g in truth["integration_gaps"]:
        rule = g["rule"]
        if rule in ("point_to_point", "one_sided"):
            planted.add((rule, g["integration"]))
        elif rule == "read_without_integration":
            planted.add((rule, g["consumer"], g["dataset"], g["provider"]))
        elif rule == "shared_without_integration":
            planted.add((rule, tuple(g["apps"]), g["dataset"]))
        else:
            planted.add((rule, g["opd"]))
    assert {g[0] for g in planted} >= {"point_to_point", "one_sided", "read_without_integration"}
    assert found == planted


@pytest.mark.postgres
def test_the_same_demo_on_postgresql(pg_url, demo_city_engine) -> None:
    from catalog.db import make_engine

    eng = make_engine(pg_url)
    with Session(eng) as s:
        result = generate(s, Actor(name="demo", source="demo"), scale="city", seed=1)
    assert result.counts["application"] > 200
    assert fingerprint(eng) == fingerprint(demo_city_engine)
    eng.dispose()


def test_two_systems_never_share_a_web_host() -> None:
    """A host is one system's: two rows share one only when they are one system
    registered by two units (a planted duplicate), never two look-alikes."""
    src = load()
    shared = 0
    for seed in (1, 2, 3):
        plan = build_plan(src, targets(src, "city", seed)[0], seed)
        cluster_of = {
            m["code"]: k
            for k, c in enumerate(plan.truth["duplicate_clusters"])
            for m in c["members"]
        }
        by_host: dict[str, list[str]] = defaultdict(list)
        for item in plan.items["application"]:
            if item.fields["url"]:
                by_host[item.fields["url"]].append(item.fields["code"])
        for codes in by_host.values():
            if len(codes) > 1:
                shared += 1
                assert len({cluster_of.get(code, code) for code in codes}) == 1, codes
    assert shared, "some system is registered by a second unit"


def test_kecamatan_websites_are_one_job_with_the_portal() -> None:
    src = load()
    joined = 0
    for seed in (1, 2, 3, 4):
        plan = build_plan(src, targets(src, "city", seed)[0], seed)
        for cluster in plan.truth["duplicate_clusters"]:
            families = {m["family"] for m in cluster["members"]}
            assert "website_kecamatan" not in families or "website_portal" in families
            joined += families == {"website_kecamatan", "website_portal"}
    assert joined
