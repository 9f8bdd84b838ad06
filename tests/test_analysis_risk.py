"""Risk rules (catalog.analysis.risk) on small hand-built catalogues."""

from __future__ import annotations

import doctest
import json

from catalog.analysis import risk
from catalog.analysis.engine import analyze
from catalog.analysis.graph import build_graph, dependencies, impact
from catalog.analysis.rules import Context
from catalog.analysis.snapshot import Item, Link, Place, Snapshot, Unit

CITY = Place(7, "35.78", "Kota Surabaya", "kota")
UNITS = [Unit(u, f"0{u}", f"Dinas {u}", 7) for u in range(1, 6)] + [
    Unit(11, "01.01", "Bidang 1", 7, parent_id=1)
]
N_APPS = risk.SPOF_MIN_APPLICATIONS


def infra(id_: int, name: str, infra_type: str, **fields: object) -> Item:
    return Item(
        "infrastructure",
        id_,
        f"INF-{id_}",
        name,
        7,
        owner_id=4,
        attrs={"infra_type": infra_type},
        **fields,
    )


def apps(start: int, count: int, owners: list[int]) -> list[Item]:
    return [
        Item(
            "application",
            start + k,
            f"APL-{start + k}",
            f"Aplikasi {start + k}",
            7,
            owner_id=owners[k % len(owners)],
        )
        for k in range(count)
    ]


def hosted(items: list[Item], host: Item) -> list[Link]:
    return [Link("hosted_on", i.key, host.key) for i in items]


def catalogue(items: list[Item], links: list[Link] = ()) -> Snapshot:  # type: ignore[assignment]
    return Snapshot.build(items, links=links, units=UNITS, places=[CITY])


# -- single point of failure --------------------------------------------------------------


def test_a_data_centre_carrying_many_applications_of_several_opd_is_reported() -> None:
    dc = infra(1, "Pusat Data Pemkot", "data_centre")
    host = infra(2, "Server Virtualisasi", "server")
    vm = infra(3, "VM 01", "server")
    many = apps(100, N_APPS, owners=[1, 2, 11])  # unit 11 belongs to OPD 01
    service = Item("service", 500, "LY-1", "Layanan Izin", 7, owner_id=2)
    links = [
        Link("hosted_on", host.key, dc.key),
        Link("hosted_on", vm.key, host.key),
        *hosted(many, vm),
        Link("delivered_by", service.key, many[0].key),
    ]
    s = catalogue([dc, host, vm, *many, service], links)
    found = analyze(s, ["risk.single_point_of_failure"])
    # The data centre, the host and the virtual machine each cut every application.
    assert [f.subjects[0].code for f in found] == ["INF-1", "INF-2", "INF-3"]
    evidence = found[0].evidence
    assert evidence["applications"] == N_APPS and evidence["services"] == 1
    assert evidence["opd"] == ["01", "02"]  # the sub-unit counts for its OPD
    assert len(evidence["sample_applications"]) == min(N_APPS, risk.SAMPLE)
    assert evidence["thresholds"]["applications"] == N_APPS
    assert found[0].severity == "medium"  # two OPD: not city-wide
    assert "INF-1" in found[0].message and "INF-1" in found[0].message_en
    json.dumps(found[0].to_dict())


def test_an_spl_is_a_single_point_through_its_integrations() -> None:
    spl = infra(1, "SPL (API Gateway)", "spl")
    providers = apps(100, 1, owners=[4])
    consumers = apps(200, N_APPS, owners=[1, 2, 3, 4, 5])
    integrations = [
        Item(
            "integration",
            300 + k,
            f"INT-{k}",
            "x",
            7,
            attrs={"provider_id": providers[0].id, "consumer_id": c.id, "intermediary_id": spl.id},
        )
        for k, c in enumerate(consumers)
    ]
    s = catalogue([spl, *providers, *consumers, *integrations])
    (finding,) = analyze(s, ["risk"])
    assert finding.rule == "risk.single_point_of_failure"
    assert finding.evidence["applications"] == N_APPS
    # Five OPD stop with it: a city-wide outage.
    assert finding.severity == "high"


def test_small_or_single_opd_infrastructure_is_not_reported() -> None:
    few = infra(1, "Server Dinkes", "server")
    one_opd = infra(2, "Server BKPSDM", "server")
    small = apps(100, N_APPS - 1, owners=[1, 2])
    own = apps(200, N_APPS + 2, owners=[3])
    s = catalogue([few, one_opd, *small, *own], [*hosted(small, few), *hosted(own, one_opd)])
    assert analyze(s, ["risk.single_point_of_failure"]) == []


def test_the_walk_agrees_with_the_graph_impact() -> None:
    dc = infra(1, "Pusat Data", "data_centre")
    spl = infra(2, "SPL", "spl")
    a = apps(100, 3, owners=[1, 2])
    data = Item("dataset", 400, "DS-1", "Data", 7, owner_id=1)
    service = Item("service", 500, "LY-1", "Layanan", 7, owner_id=2)
    process = Item("process", 600, "PB-1", "Proses", 7, owner_id=2)
    link = Item(
        "integration",
        700,
        "INT-1",
        "x",
        7,
        attrs={
            "provider_id": 100,
            "consumer_id": 101,
            "intermediary_id": 2,
            "data_set_ids": (400,),
        },
    )
    links = [
        Link("hosted_on", spl.key, dc.key),
        Link("hosted_on", a[0].key, dc.key),
        Link("produces", a[0].key, data.key),
        Link("reads", a[2].key, data.key),
        Link("delivered_by", service.key, a[1].key),
        Link("supported_by", process.key, service.key),
    ]
    s = catalogue([dc, spl, *a, data, service, process, link], links)
    dep = dependencies(build_graph(s))
    needed_by = risk.dependents(Context(s))
    for key in s.items:
        assert risk.walk(needed_by, key) == impact(dep, key), key


# -- active services on inactive applications ---------------------------------------------


def test_an_active_service_on_an_inactive_application_is_reported() -> None:
    old = Item("application", 1, "APL-1", "e-Kelurahan", 7, owner_id=1, status="inactive")
    gone = Item("application", 2, "APL-2", "SIM Lama", 7, owner_id=1, retired=True)
    new = Item("application", 3, "APL-3", "SIM Baru", 7, owner_id=1)
    stopped = Item("service", 10, "LY-10", "Surat Keterangan", 7, owner_id=1)
    migrating = Item("service", 11, "LY-11", "Izin Usaha", 7, owner_id=1)
    process = Item("process", 20, "PB-20", "Pelayanan Kelurahan", 7, owner_id=1)
    links = [
        Link("delivered_by", stopped.key, old.key),
        Link("delivered_by", migrating.key, gone.key),
        Link("delivered_by", migrating.key, new.key),
        Link("supported_by", process.key, stopped.key),
    ]
    s = catalogue([old, gone, new, stopped, migrating, process], links)
    found = analyze(s, ["risk.service_on_inactive_application"])
    by_subject = {f.subjects[0].code: f for f in found}
    assert sorted(by_subject) == ["LY-10", "LY-11", "PB-20"]
    # Nothing live left to deliver it: medium; another application still does: low.
    assert by_subject["LY-10"].severity == "medium"
    assert by_subject["LY-10"].evidence["inactive_applications"] == [
        {"code": "APL-1", "name": "e-Kelurahan", "status": "inactive"}
    ]
    assert by_subject["LY-11"].severity == "low"
    assert by_subject["LY-11"].evidence["live_alternatives"] == [
        {"code": "APL-3", "name": "SIM Baru"}
    ]
    assert by_subject["LY-11"].evidence["inactive_applications"][0]["status"] == "retired"
    # The process is cut through its stopped service, which the evidence names.
    assert by_subject["PB-20"].evidence["via_service"]["code"] == "LY-10"
    assert [x.code for x in by_subject["PB-20"].subjects] == ["PB-20", "LY-10", "APL-1"]


def test_live_pairs_and_inactive_services_are_not_reported() -> None:
    app_ok = Item("application", 1, "APL-1", "SIM", 7, owner_id=1)
    old = Item("application", 2, "APL-2", "Lama", 7, owner_id=1, status="inactive")
    fine = Item("service", 10, "LY-10", "Aktif", 7, owner_id=1)
    switched_off = Item("service", 11, "LY-11", "Berhenti", 7, owner_id=1, status="inactive")
    planned = Item("service", 12, "LY-12", "Rencana", 7, owner_id=1, status="planned")
    # A process on a service that still has a live application is not cut.
    process = Item("process", 20, "PB-20", "Proses", 7, owner_id=1)
    links = [
        Link("delivered_by", fine.key, app_ok.key),
        Link("delivered_by", switched_off.key, old.key),
        Link("delivered_by", planned.key, old.key),
        Link("supported_by", process.key, fine.key),
    ]
    s = catalogue([app_ok, old, fine, switched_off, planned, process], links)
    assert analyze(s, ["risk.service_on_inactive_application"]) == []


def test_doctests() -> None:
    assert doctest.testmod(risk, raise_on_error=True).failed == 0
