"""The services: the only writers, one transaction per call, a change record per write."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.errors import Conflict, InvalidInput, NotFound, StaleVersion
from catalog.kinds import KINDS
from catalog.models import ChangeRecord, Integration, Organisation, Relation, SearchEntry
from catalog.services import (
    create_instansi,
    create_item,
    create_organisation,
    link,
    restore_item,
    retire_item,
    retire_organisation,
    unlink,
    update_item,
    update_organisation,
)
from catalog.services.lookups import add_lookup_value, retire_lookup_value


@pytest.fixture
def city(session, actor):  # type: ignore[no-untyped-def]
    inst = create_instansi(
        session, actor, {"code": "51.71", "name": "Kota Denpasar", "kind": "kota"}
    )
    kominfo = create_organisation(
        session,
        actor,
        {"instansi_id": inst.id, "code": "030801", "name": "Diskominfo", "kind": "dinas"},
    )
    dinkes = create_organisation(
        session,
        actor,
        {"instansi_id": inst.id, "code": "030201", "name": "Dinas Kesehatan", "kind": "dinas"},
    )
    return inst, kominfo, dinkes


def changes(session: Session, kind: str, object_id: int) -> list[ChangeRecord]:
    return list(
        session.execute(
            select(ChangeRecord)
            .where(ChangeRecord.object_kind == kind, ChangeRecord.object_id == object_id)
            .order_by(ChangeRecord.id)
        ).scalars()
    )


MINIMAL = {
    "process": {"name": "Pengelolaan ASN", "reference_code": "RAB.09.06.01"},
    "service": {"name": "Layanan Kepegawaian", "reference_code": "RAL.02.04", "target": "asn"},
    "dataset": {
        "name": "Data Pegawai",
        "reference_code": "RAD.09.06",
        "classification": "tertutup",
    },
    "application": {"name": "SIMPEG", "acronym": "SIMPEG", "reference_code": "RAA.02.02"},
    "infrastructure": {"name": "Server Aplikasi 1", "infra_type": "server"},
    "security": {"name": "Audit Keamanan SIMPEG", "control_type": "audit"},
}


@pytest.mark.parametrize("kind", list(MINIMAL))
def test_every_write_leaves_a_change_record_with_before_and_after(
    session, actor, city, kind
) -> None:
    _, kominfo, dinkes = city
    item = create_item(session, actor, kind, {"owner_id": kominfo.id, **MINIMAL[kind]})
    assert item.code == f"{KINDS[kind].code_prefix}-0001"
    update_item(
        session, actor, kind, item.id, {"description": "Uraian baru", "owner_id": dinkes.id}
    )
    retire_item(session, actor, kind, item.id, note="tidak dipakai")
    restore_item(session, actor, kind, item.id)
    records = changes(session, kind, item.id)
    assert [r.action for r in records] == ["create", "update", "retire", "restore"]
    create, update, retire, restore = records
    assert create.before is None and create.after["name"] == MINIMAL[kind]["name"]
    assert update.before["description"] is None and update.after["description"] == "Uraian baru"
    assert update.before["owner_id"] == kominfo.id and update.after["owner_id"] == dinkes.id
    assert retire.after["status"] == "retired" and retire.note == "tidak dipakai"
    assert restore.after["status"] == "active" and restore.after["retired_at"] is None
    assert all(r.actor_name == "penguji" and r.source == "test" for r in records)
    assert {r.instansi_id for r in records} == {kominfo.instansi_id}


def test_no_op_update_writes_nothing(session, actor, city) -> None:
    _, kominfo, _ = city
    app = create_item(session, actor, "application", {"owner_id": kominfo.id, "name": "SIMPEG"})
    same = update_item(session, actor, "application", app.id, {"name": "SIMPEG"})
    assert same.version == 1
    assert [r.action for r in changes(session, "application", app.id)] == ["create"]


def test_problems_are_all_reported_and_nothing_is_written(session, actor, city) -> None:
    _, kominfo, _ = city
    before = session.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
    with pytest.raises(InvalidInput) as err:
        create_item(
            session,
            actor,
            "application",
            {
                "owner_id": kominfo.id,
                "name": "",
                "status": "hidup",
                "platform": "tablet",
                "year_built": 1800,
                "colour": "blue",
            },
        )
    fields = {p.field for p in err.value.problems}
    assert fields == {"name", "status", "platform", "year_built", "colour"}
    for p in err.value.problems:
        assert p.message and p.message_en and p.message != p.message_en
    assert session.execute(select(func.count()).select_from(ChangeRecord)).scalar_one() == before


def test_missing_and_unknown_owner(session, actor, city) -> None:
    with pytest.raises(InvalidInput, match="owner_id") as err:
        create_item(session, actor, "application", {"name": "Tanpa pemilik"})
    assert err.value.problems[0].code == "owner.missing"
    with pytest.raises(InvalidInput, match="9999"):
        create_item(session, actor, "application", {"name": "X", "owner_id": 9999})


def test_codes_are_unique_per_instansi_and_kind(session, actor, city) -> None:
    _inst, kominfo, _ = city
    create_item(
        session, actor, "application", {"owner_id": kominfo.id, "name": "A", "code": "APL-X"}
    )
    with pytest.raises(InvalidInput) as err:
        create_item(
            session, actor, "application", {"owner_id": kominfo.id, "name": "B", "code": "APL-X"}
        )
    assert err.value.problems[0].code == "code.duplicate"
    # Same code, other kind: fine. Same code, other instansi: fine.
    create_item(session, actor, "service", {"owner_id": kominfo.id, "name": "L", "code": "APL-X"})
    other = create_instansi(
        session, actor, {"code": "51.03", "name": "Kabupaten Badung", "kind": "kabupaten"}
    )
    unit = create_organisation(
        session, actor, {"instansi_id": other.id, "code": "030801", "name": "Kominfo"}
    )
    create_item(session, actor, "application", {"owner_id": unit.id, "name": "A", "code": "APL-X"})


def test_stale_version_is_refused_with_the_current_state(session, actor, city) -> None:
    _, kominfo, _ = city
    app = create_item(session, actor, "application", {"owner_id": kominfo.id, "name": "SIMPEG"})
    update_item(session, actor, "application", app.id, {"name": "SIMPEG v2"}, expected_version=1)
    with pytest.raises(StaleVersion) as err:
        update_item(session, actor, "application", app.id, {"name": "lama"}, expected_version=1)
    assert err.value.status == 409
    assert err.value.details["current"]["name"] == "SIMPEG v2"
    assert err.value.details["current"]["version"] == 2


def test_two_concurrent_editors_cannot_lose_a_change(engine, actor, city) -> None:
    """Both read version 1; the second writer is refused instead of overwriting."""
    _, kominfo, _ = city
    with Session(engine, expire_on_commit=False) as s:
        app = create_item(s, actor, "application", {"owner_id": kominfo.id, "name": "SIMPEG"})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(name: str) -> None:
        with Session(engine, expire_on_commit=False) as s:
            from catalog.services.items import get_item

            get_item(s, "application", app.id)  # read version 1
            barrier.wait()
            try:
                update_item(s, actor, "application", app.id, {"name": name}, expected_version=1)
                outcomes.append("ok")
            except StaleVersion:
                outcomes.append("stale")

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale"]
    with Session(engine) as s:
        assert len(changes(s, "application", app.id)) == 2


def test_search_entry_follows_the_item(session, actor, city) -> None:
    _, kominfo, _ = city
    app = create_item(
        session,
        actor,
        "application",
        {"owner_id": kominfo.id, "name": "SIMPEG", "aliases": ["e-Pegawai"]},
    )
    entry = session.execute(
        select(SearchEntry).where(SearchEntry.kind == "application", SearchEntry.item_id == app.id)
    ).scalar_one()
    assert "e-Pegawai" in entry.body
    update_item(session, actor, "application", app.id, {"name": "Sistem Kepegawaian"})
    session.refresh(entry)
    assert entry.body.startswith("Sistem Kepegawaian")


def test_relations_validate_kinds_and_record_changes(session, actor, city) -> None:
    _, kominfo, _ = city
    app = create_item(session, actor, "application", {"owner_id": kominfo.id, "name": "SIMPEG"})
    svc = create_item(session, actor, "service", {"owner_id": kominfo.id, "name": "Layanan"})
    rel = link(session, actor, "delivered_by", "service", svc.id, "application", app.id)
    with pytest.raises(Conflict):
        link(session, actor, "delivered_by", "service", svc.id, "application", app.id)
    with pytest.raises(InvalidInput, match="delivered_by"):
        link(session, actor, "delivered_by", "application", app.id, "service", svc.id)
    with pytest.raises(InvalidInput, match="nyanyi"):
        link(session, actor, "nyanyi", "service", svc.id, "application", app.id)
    with pytest.raises(InvalidInput, match="9999"):
        link(session, actor, "delivered_by", "service", svc.id, "application", 9999)
    unlink(session, actor, rel.id)
    assert session.get(Relation, rel.id) is None
    assert [r.action for r in changes(session, "relation", rel.id)] == ["link", "unlink"]
    with pytest.raises(NotFound):
        unlink(session, actor, rel.id)


def test_integration_rules(session, actor, city) -> None:
    _, kominfo, dinkes = city
    a = create_item(session, actor, "application", {"owner_id": kominfo.id, "name": "SIMPEG"})
    b = create_item(session, actor, "application", {"owner_id": dinkes.id, "name": "e-Kinerja"})
    server = create_item(
        session,
        actor,
        "infrastructure",
        {"owner_id": kominfo.id, "name": "Srv", "infra_type": "server"},
    )
    spl = create_item(
        session,
        actor,
        "infrastructure",
        {"owner_id": kominfo.id, "name": "SPL", "infra_type": "spl"},
    )
    ds = create_item(session, actor, "dataset", {"owner_id": kominfo.id, "name": "Data Pegawai"})
    assert ds.producer_id == kominfo.id  # produsen defaults to the owner
    with pytest.raises(InvalidInput) as err:
        create_item(
            session,
            actor,
            "integration",
            {
                "owner_id": kominfo.id,
                "name": "x",
                "provider_id": a.id,
                "consumer_id": a.id,
                "intermediary_id": server.id,
                "data_set_ids": [ds.id, 9999],
                "started_on": "2024-05-01",
                "ended_on": "2024-01-01",
            },
        )
    codes = {p.code for p in err.value.problems}
    assert codes == {
        "integration.self",
        "integration.intermediary_not_spl",
        "integration.data_set_unknown",
        "integration.dates",
    }
    with pytest.raises(InvalidInput, match="consumer_external"):
        create_item(
            session,
            actor,
            "integration",
            {"owner_id": kominfo.id, "name": "x", "provider_id": a.id},
        )
    integ = create_item(
        session,
        actor,
        "integration",
        {
            "owner_id": kominfo.id,
            "name": "SIMPEG ke e-Kinerja",
            "provider_id": a.id,
            "consumer_id": b.id,
            "intermediary_id": spl.id,
            "data_set_ids": [ds.id],
        },
    )
    assert integ.status == "proposed"
    assert changes(session, "integration", integ.id)[0].after["data_set_ids"] == [ds.id]
    update_item(session, actor, "integration", integ.id, {"data_set_ids": []})
    last = changes(session, "integration", integ.id)[-1]
    assert last.before["data_set_ids"] == [ds.id] and last.after["data_set_ids"] == []
    external = create_item(
        session,
        actor,
        "integration",
        {
            "owner_id": kominfo.id,
            "name": "ke SIASN",
            "provider_id": a.id,
            "consumer_external": "SIASN (BKN)",
        },
    )
    assert isinstance(session.get(Integration, external.id), Integration)


def test_national_flag_only_for_central_bodies(session, actor, city) -> None:
    _, kominfo, _ = city
    with pytest.raises(InvalidInput, match="pusat"):
        create_item(
            session,
            actor,
            "application",
            {"owner_id": kominfo.id, "name": "e-Office", "national_role": "aplikasi_umum"},
        )


def test_organisation_tree_moves_with_its_subtree(session, actor, city) -> None:
    inst, kominfo, dinkes = city
    bidang = create_organisation(
        session, actor, {"parent_id": kominfo.id, "code": "03080101", "name": "Bidang Aplikasi"}
    )
    seksi = create_organisation(
        session, actor, {"parent_id": bidang.id, "code": "0308010101", "name": "Seksi"}
    )
    assert seksi.path == f"/{kominfo.id}/{bidang.id}/{seksi.id}/"
    update_organisation(session, actor, bidang.id, {"parent_id": dinkes.id})
    session.refresh(seksi)
    assert seksi.path == f"/{dinkes.id}/{bidang.id}/{seksi.id}/"
    with pytest.raises(InvalidInput):
        update_organisation(session, actor, dinkes.id, {"parent_id": seksi.id})  # a cycle
    with pytest.raises(InvalidInput, match="030801"):
        create_organisation(
            session, actor, {"instansi_id": inst.id, "code": "030801", "name": "Dobel"}
        )
    retire_organisation(session, actor, dinkes.id)
    with pytest.raises(InvalidInput, match="tidak aktif"):
        create_item(session, actor, "application", {"owner_id": dinkes.id, "name": "Baru"})
    assert [r.action for r in changes(session, "organisation", bidang.id)] == ["create", "update"]
    assert [r.action for r in changes(session, "organisation", dinkes.id)] == ["create", "retire"]
    assert session.get(Organisation, dinkes.id).retired_at is not None


def test_lookups_are_editable_data(session, actor, city) -> None:
    _, kominfo, _ = city
    add_lookup_value(session, actor, "app_platform", "tablet", "Tablet", "Tablet")
    app = create_item(
        session, actor, "application", {"owner_id": kominfo.id, "name": "A", "platform": "tablet"}
    )
    retire_lookup_value(session, actor, "app_platform", "tablet")
    # Existing items keep the value; new items cannot take it.
    update_item(session, actor, "application", app.id, {"description": "masih tablet"})
    with pytest.raises(InvalidInput, match="tablet"):
        create_item(
            session,
            actor,
            "application",
            {"owner_id": kominfo.id, "name": "B", "platform": "tablet"},
        )
