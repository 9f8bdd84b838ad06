"""Scorecards (catalog.analysis.scorecards) on a tiny hand-built catalogue."""

from __future__ import annotations

import doctest
import json

from catalog.analysis import scorecards as module
from catalog.analysis.duplicates import find_duplicates
from catalog.analysis.national import find_overlaps
from catalog.analysis.rules import Context
from catalog.analysis.scorecards import metric, scorecards
from catalog.analysis.snapshot import Item, Link, Place, ReferenceCode, Snapshot, Unit

CITY = Place(7, "35.78", "Kota Surabaya", "kota")
UNITS = [
    Unit(1, "01", "Badan Kepegawaian Daerah", 7),
    Unit(2, "02", "Dinas Komunikasi dan Informatika", 7),
    Unit(21, "02.01", "Bidang Statistik", 7, parent_id=2),
]
REFERENCES = [
    ReferenceCode("RAA", "RAA.02.02", "Aplikasi Khusus Pemda", 3),
    ReferenceCode("RAD", "RAD.01", "Data Pemerintahan", 1),
]


def tiny() -> Snapshot:
    """Two OPD: BKPSDM with one complete application; Diskominfo with an incomplete
    application (no description, unknown code), a data set of its sub-unit, a server and
    the SPL. One integration runs through the SPL, one does not."""
    simpeg = Item(
        "application",
        1,
        "APL-1",
        "SIMPEG",
        7,
        owner_id=1,
        description="Data pegawai",
        reference_code="RAA.02.02",
    )
    portal = Item("application", 2, "APL-2", "Portal", 7, owner_id=2, reference_code="RAA.99")
    data = Item(
        "dataset",
        3,
        "DS-1",
        "Statistik Sektoral",
        7,
        owner_id=21,
        description="Statistik",
        reference_code="RAD.01",
    )
    server = Item(
        "infrastructure",
        4,
        "INF-1",
        "Server",
        7,
        owner_id=2,
        description="Server aplikasi",
        attrs={"infra_type": "server"},
    )
    spl = Item(
        "infrastructure",
        5,
        "INF-2",
        "SPL",
        7,
        owner_id=2,
        description="API gateway",
        attrs={"infra_type": "spl"},
    )
    via_spl = Item(
        "integration",
        6,
        "INT-1",
        "x",
        7,
        attrs={"provider_id": 1, "consumer_id": 2, "intermediary_id": 5, "mechanism": "rest_api"},
    )
    direct = Item(
        "integration",
        7,
        "INT-2",
        "y",
        7,
        attrs={"provider_id": 2, "consumer_id": 1, "intermediary_id": None},
    )
    links = [
        Link("hosted_on", simpeg.key, server.key),
        Link("produces", simpeg.key, data.key),
    ]
    return Snapshot.build(
        [simpeg, portal, data, server, spl, via_spl, direct],
        links=links,
        units=UNITS,
        places=[CITY],
        references=REFERENCES,
    )


def test_the_tiny_catalogue_scores() -> None:
    card = scorecards(Context(tiny()), 7)
    inst = card["instansi"]
    assert (inst["instansi_code"], inst["instansi_name"]) == ("35.78", "Kota Surabaya")
    # Five live items of the six domains; the portal lacks a description and hosting.
    assert inst["completeness"] == metric(4, 5)
    # Coded kinds (RAA, RAD in the active set): the portal's code is unknown.
    assert inst["conformance"] == metric(2, 3)
    assert inst["duplication"] == metric(0, 2)
    assert inst["spl_share"] == metric(1, 2)
    assert inst["domains"]["numerator"] == 3
    assert inst["domains"]["covered"] == ["dataset", "application", "infrastructure"]
    assert inst["domains"]["missing"] == ["process", "service", "security"]

    units = {u["unit_code"]: u for u in card["units"]}
    assert sorted(units) == ["01", "02"]  # top-level OPD only; 02.01 counts for 02
    assert units["01"]["unit_name"] == "Badan Kepegawaian Daerah"
    assert units["01"]["completeness"] == metric(1, 1)
    assert units["02"]["completeness"] == metric(3, 4)
    assert units["02"]["conformance"] == metric(1, 2)
    # Both integrations touch both OPD.
    assert units["01"]["spl_share"] == units["02"]["spl_share"] == metric(1, 2)
    json.dumps(card)


def test_indicator_estimates_list_their_criteria() -> None:
    indicators = scorecards(Context(tiny()), 7)["instansi"]["indicators"]
    eleven = indicators["11"]
    assert eleven["estimate"] is True and eleven["name"] == "Arsitektur SPBE"
    met = {c["id"]: c["met"] for c in eleven["criteria"]}
    # Three domains of six: a partial architecture (level 2), not level 3.
    assert met["partial_domains"] is True and met["all_domains"] is False
    assert eleven["level"] == 2
    # What the catalogue cannot show is neither met nor unmet.
    assert met["reviewed"] is None
    assert all(c["text"] and c["text_en"] for c in eleven["criteria"])

    eighteen = indicators["18"]
    met = {c["id"]: c["met"] for c in eighteen["criteria"]}
    # Both integrating OPD use the SPL (level 3), but only half of the integrations do.
    assert met["all_opd"] is True and met["mostly_spl"] is False
    assert eighteen["level"] == 3


def test_duplication_counts_clusters_and_national_overlaps() -> None:
    centre = Place(1, "ANRI", "Arsip Nasional Republik Indonesia", "pusat")
    srikandi = Item(
        "application",
        50,
        "SRIKANDI",
        "SRIKANDI",
        1,
        description="Naskah dinas, persuratan dan disposisi elektronik",
        attrs={"national_role": "aplikasi_umum", "aliases": ["e-Office"]},
    )
    local = [
        Item("application", 10 + k, f"APL-{k}", name, 7, owner_id=owner, description=text)
        for k, (name, text, owner) in enumerate(
            [
                ("e-Office", "Surat masuk, surat keluar dan disposisi elektronik", 2),
                ("SIMPEG (Sistem Informasi Manajemen Kepegawaian)", "Data kepegawaian ASN", 1),
                ("Sistem Informasi Kepegawaian", "Administrasi data kepegawaian ASN daerah", 2),
                ("Aplikasi Parkir", "Retribusi parkir tepi jalan", 2),
                ("Sistem Gizi Balita", "Penimbangan balita di posyandu", 2),
            ]
        )
    ]
    s = Snapshot.build([srikandi, *local], units=UNITS, places=[centre, CITY])
    expected = {m.item.code for c in find_duplicates(s) for m in c.members}
    expected |= {o.local.code for o in find_overlaps(s)}
    assert expected  # the catalogue has something to count
    card = scorecards(Context(s), 7)
    assert card["instansi"]["duplication"] == metric(len(expected), len(local))
    # The national system is context: not counted as one of the instansi's applications.
    assert card["instansi"]["completeness"]["denominator"] == len(local)


def test_an_empty_instansi_has_no_values_and_level_zero() -> None:
    s = Snapshot.build([], units=[], places=[CITY], scope=[7])
    card = scorecards(Context(s), 7)
    assert card["units"] == []
    assert card["instansi"]["completeness"] == {"value": None, "numerator": 0, "denominator": 0}
    assert card["instansi"]["indicators"]["11"]["level"] == 0
    assert card["instansi"]["indicators"]["18"]["level"] == 0


def test_doctests() -> None:
    assert doctest.testmod(module, raise_on_error=True).failed == 0
