"""The permission matrix: every write route × every role × own/other OPD.

Own = an item owned by the operator's unit (or below it); other = an item of another
unit. Forbidden writes answer 403, change nothing, and leave an audit event.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.db import make_engine
from catalog.kinds import KINDS
from catalog.models import AuditEvent, ChangeRecord, Instansi, Organisation, Relation
from catalog.services import create_instansi, create_item, create_organisation
from catalog.services.context import Actor
from tests_support import bearer, client_for, make_user

ROLES = ("anonymous", "pimpinan", "operator", "arsitek", "arsitek_other", "admin")


@dataclass
class World:
    engine: object
    tokens: dict[str, str | None]
    own_unit: Organisation
    other_unit: Organisation
    city: Instansi


@pytest.fixture(scope="module")
def world_template(demo_city_template, tmp_path_factory) -> tuple[Path, World]:
    """Built once per module: the demo city, test units' items, users and tokens."""
    path = tmp_path_factory.mktemp("perm") / "world.sqlite3"
    shutil.copyfile(demo_city_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as s:
        city = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
        apps = KINDS["application"].model
        # Two top-level units that own applications, integrations, data sets…
        owners = [
            o
            for (o,) in s.execute(
                select(apps.owner_id)
                .where(apps.instansi_id == city.id)
                .group_by(apps.owner_id)
                .order_by(func.count().desc())
            )
        ]
        units = {
            o.id: o
            for o in s.execute(select(Organisation).where(Organisation.id.in_(owners))).scalars()
        }
        own, other = (units[o] for o in owners[:2])
        # Make sure both units own something of every kind.
        system = Actor(name="t", source="test")
        for unit in (own, other):
            for kind, extra in (
                ("infrastructure", {"infra_type": "server"}),
                ("security", {}),
                ("process", {}),
                ("service", {}),
                ("dataset", {}),
            ):
                model = KINDS[kind].model
                if not s.execute(
                    select(model.id).where(model.owner_id == unit.id).limit(1)
                ).first():
                    create_item(
                        s,
                        system,
                        kind,
                        {"owner_id": unit.id, "name": f"{kind} {unit.code}", **extra},
                    )
        other_city = create_instansi(
            s,
            Actor(name="t", source="test"),
            {"code": "99.71", "name": "Kota Lain", "kind": "kota"},
        )
        create_organisation(
            s,
            Actor(name="t", source="test"),
            {"instansi_id": other_city.id, "code": "010001", "name": "Setda"},
        )
    tokens: dict[str, str | None] = {"anonymous": None}
    tokens["pimpinan"] = make_user(engine, "pimpinan", "pimpinan", instansi_id=city.id)[1]
    tokens["operator"] = make_user(engine, "operator", "operator", organisation_id=own.id)[1]
    tokens["arsitek"] = make_user(engine, "arsitek", "arsitek", instansi_id=city.id)[1]
    tokens["arsitek_other"] = make_user(engine, "arsitek2", "arsitek", instansi_id=other_city.id)[1]
    tokens["admin"] = make_user(engine, "admin", "admin")[1]
    with Session(engine) as s:
        apps = KINDS["application"].model
        theirs = s.execute(select(apps.id).where(apps.owner_id == other.id).limit(1)).scalar_one()
        third = s.execute(
            select(apps.id)
            .where(apps.instansi_id == city.id, apps.owner_id.not_in([own.id, other.id]))
            .limit(1)
        ).scalar_one()
        create_item(
            s,
            Actor(name="t", source="test"),
            "integration",
            {
                "name": "Integrasi unit lain",
                "provider_id": theirs,
                "consumer_id": third,
                "owner_id": other.id,
            },
        )
    engine.dispose()
    return path, World(None, tokens, own, other, city)


@pytest.fixture
def world(world_template, tmp_path) -> World:
    path, template = world_template
    target = tmp_path / "world.sqlite3"
    shutil.copyfile(path, target)
    engine = make_engine(f"sqlite:///{target}")
    yield World(engine, template.tokens, template.own_unit, template.other_unit, template.city)
    engine.dispose()


def allowed(role: str, target: str) -> bool:
    return role in ("arsitek", "admin") or (role == "operator" and target == "own")


def pick_item(world: World, kind: str, unit: Organisation) -> int:
    """A public item of the kind owned by the unit (or, for integrations, with the unit's
    application as provider)."""
    spec = KINDS[kind]
    model = spec.model
    with Session(world.engine) as s:
        stmt = select(model.id).where(
            model.instansi_id == world.city.id,
            model.retired_at.is_(None),
            model.is_internal.is_(False),
        )
        if kind == "dataset":
            stmt = stmt.where(model.classification == "terbuka")
        if kind == "integration":
            apps = KINDS["application"].model
            mine = select(apps.id).where(apps.owner_id == unit.id)
            # Neither side may belong to the other test unit (its operator could write it).
            both = select(apps.id).where(
                apps.owner_id.in_([world.own_unit.id, world.other_unit.id])
            )
            stmt = stmt.where(model.provider_id.in_(mine), model.consumer_id.not_in(both))
        else:
            stmt = stmt.where(model.owner_id == unit.id)
        found = s.execute(stmt.order_by(model.id).limit(1)).scalar_one_or_none()
    if found is None:
        pytest.skip(f"the demo city has no {kind} for this case")
    return found


def new_payload(world: World, kind: str, unit: Organisation) -> dict:
    base = {"name": f"Item uji {kind}", "owner_id": unit.id}
    if kind == "integration":
        with Session(world.engine) as s:
            apps = KINDS["application"].model
            mine = s.execute(select(apps.id).where(apps.owner_id == unit.id).limit(1)).scalar_one()
            theirs = s.execute(
                select(apps.id)
                .where(apps.instansi_id == world.city.id, apps.owner_id != unit.id)
                .limit(1)
            ).scalar_one()
        base.update(provider_id=mine, consumer_id=theirs)
        base.pop("owner_id")
    if kind == "infrastructure":
        base["infra_type"] = "server"
    return base


def snapshot_counts(world: World) -> tuple[int, int]:
    with Session(world.engine) as s:
        changes = s.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
        audits = s.execute(select(func.count()).where(AuditEvent.event == "forbidden")).scalar_one()
    return changes, audits


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_item_write_routes(world: World, kind: str, target: str, role: str) -> None:
    spec = KINDS[kind]
    unit = world.own_unit if target == "own" else world.other_unit
    item_id = pick_item(world, kind, unit)
    headers = bearer(world.tokens[role])
    expect_ok = allowed(role, target)
    with client_for(world.engine) as c:
        version = c.get(f"/api/v1/{spec.api_path}/{item_id}", headers=headers).json()["version"]
        attempts = [
            (
                "create",
                c.post(
                    f"/api/v1/{spec.api_path}", json=new_payload(world, kind, unit), headers=headers
                ),
                201,
            ),
        ]
        before = snapshot_counts(world)
        attempts.append(
            (
                "update",
                c.patch(
                    f"/api/v1/{spec.api_path}/{item_id}",
                    json={"description": "Diperbarui lewat uji"},
                    headers={**headers, "If-Match": f'"{version}"'},
                ),
                200,
            )
        )
        attempts.append(
            ("retire", c.post(f"/api/v1/{spec.api_path}/{item_id}/retire", headers=headers), 200)
        )
        attempts.append(
            ("restore", c.post(f"/api/v1/{spec.api_path}/{item_id}/restore", headers=headers), 200)
        )
    for route, answer, ok_status in attempts:
        if expect_ok:
            assert answer.status_code == ok_status, (route, answer.text)
        else:
            assert answer.status_code == 403, (route, answer.status_code, answer.text)
            body = answer.json()
            assert body["code"] == "forbidden" and body["message"] and body["message_en"]
    changes_after, audits_after = snapshot_counts(world)
    if expect_ok:
        assert changes_after == before[0] + 3  # update, retire, restore
    else:
        assert changes_after == before[0]  # nothing changed…
        assert audits_after == before[1] + 3  # …and every attempt was logged


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_relation_routes(world: World, target: str, role: str) -> None:
    unit = world.own_unit if target == "own" else world.other_unit
    app_id = pick_item(world, "application", unit)
    with Session(world.engine) as s:
        ds = KINDS["dataset"].model
        data_id = s.execute(
            select(ds.id)
            .where(ds.instansi_id == world.city.id, ds.classification == "terbuka")
            .limit(1)
        ).scalar_one()
        existing = (
            s.execute(
                select(Relation.id).where(
                    Relation.source_kind == "application", Relation.source_id == app_id
                )
            )
            .scalars()
            .first()
        )
    headers = bearer(world.tokens[role])
    with client_for(world.engine) as c:
        made = c.post(
            "/api/v1/relations",
            headers=headers,
            json={
                "type": "reads",
                "source_kind": "application",
                "source_id": app_id,
                "target_kind": "dataset",
                "target_id": data_id,
            },
        )
        removed = c.delete(f"/api/v1/relations/{existing}", headers=headers) if existing else None
    if allowed(role, target):
        assert made.status_code in (201, 409), made.text  # 409: the demo already had that link
        if removed is not None:
            assert removed.status_code == 204
    else:
        assert made.status_code == 403
        if removed is not None:
            assert removed.status_code == 403
            with Session(world.engine) as s:
                assert s.get(Relation, existing) is not None


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_confirm_route(world: World, target: str, role: str) -> None:
    """Confirming an integration is for the operators of its sides (and curators)."""
    unit = world.own_unit if target == "own" else world.other_unit
    integ_id = pick_item(world, "integration", unit)
    with client_for(world.engine) as c:
        answer = c.post(
            f"/api/v1/integrations/{integ_id}/confirm", headers=bearer(world.tokens[role])
        )
    assert answer.status_code == (200 if allowed(role, target) else 403), answer.text


def test_operator_may_not_move_an_item_to_another_unit(world: World) -> None:
    app_id = pick_item(world, "application", world.own_unit)
    with client_for(world.engine) as c:
        headers = bearer(world.tokens["operator"])
        version = c.get(f"/api/v1/applications/{app_id}", headers=headers).json()["version"]
        moved = c.patch(
            f"/api/v1/applications/{app_id}",
            headers={**headers, "If-Match": str(version)},
            json={"owner_id": world.other_unit.id},
        )
        assert moved.status_code == 403
        internal = c.patch(
            f"/api/v1/applications/{app_id}",
            headers={**headers, "If-Match": str(version)},
            json={"is_internal": True},
        )
        assert internal.status_code == 403  # only curators mark items internal
        still = c.get(f"/api/v1/applications/{app_id}", headers=headers).json()
        assert still["owner"]["id"] == world.own_unit.id and still["version"] == version
