"""Duplicate applications (catalog.analysis.duplicates) on small hand-built catalogues.

Each catalogue is one kota with a few units and a background of unrelated applications:
the matcher weighs words by how rare they are in the catalogue, so two applications alone
would make every word look common; twenty others, as in any real inventory, do not.
"""

from __future__ import annotations

import doctest
import gc
import itertools
import tomllib
from pathlib import Path
from typing import Any

import pytest
from duplicates_support import (
    CITY,
    OTHER_CITY,
    app,
    catalogue,
    clusters,
    dataset,
    duplicate_findings,
    service,
)

from catalog.analysis import (
    addresses,
    conformance,
    coverage,
    data,
    duplicates,
    integration,
    national_use,
    sectors,
    text,
)
from catalog.analysis.duplicates import (
    PairScore,
    clusters_of,
    collector_paused,
    matcher_for,
)
from catalog.analysis.rules import Context
from catalog.analysis.snapshot import Link, Snapshot

# -- the same job under different names ---------------------------------------------------


def test_boilerplate_and_place_names_do_not_hide_the_same_job() -> None:
    s = catalogue(
        [
            app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari"),
            app(
                2,
                "Aplikasi Absensi Online Kota Surabaya",
                3,
                description="Presensi harian pegawai sekolah memakai sidik jari",
            ),
            app(
                3,
                "Sistem Informasi Absensi Dinkes",
                2,
                description="Absensi harian pegawai puskesmas, rekap sidik jari",
            ),
        ]
    )
    assert clusters(s) == [["APL-01", "APL-02", "APL-03"]]
    (finding,) = duplicate_findings(s)
    # What is left of the names once "e-", "Aplikasi", "Online", "Sistem Informasi", the
    # kota and the unit's short name are gone: the job itself.
    assert {tuple(p["shared_name_words"]) for p in finding.evidence["pairs"]} == {("absensi",)}
    assert finding.evidence["pair_count"] == 3


# -- names and descriptions that say two jobs; small instansi ----------------------------


def test_a_template_description_filled_in_for_two_jobs_is_not_a_duplicate() -> None:
    """Real descriptions are formulaic and differ in the one word that matters: regional
    finance and village finance, parking tax and billboard tax. With no name or link in
    common, the template does not make a duplicate; the same template with the same
    ending does."""
    sipkd = app(
        1, "SIPKD Keuangan", 8, description="Mengolah, mencatat, dan menyimpan data keuangan OPD."
    )
    desa = app(
        2, "Siskeudes", 6, description="Mengolah, mencatat, dan menyimpan data keuangan desa"
    )
    parkir = app(3, "SIM Parkir", 7, description="Mengelola data wajib pajak parkir")
    reklame = app(4, "e-Reklame", 4, description="Mengelola data wajib pajak reklame")
    assert clusters(catalogue([sipkd, desa, parkir, reklame])) == []
    again = app(
        5, "Aplikasi Keuangan", 6, description="Mengolah, mencatat, dan menyimpan data keuangan OPD"
    )
    assert clusters(catalogue([sipkd, again])) == [["APL-01", "APL-05"]]


def test_a_technology_alone_does_not_make_the_same_name() -> None:
    """ "WEB GIS" and "GIS Berbasis Android" say how, not what for; "SMS Gateway" twice still
    names one job."""
    land = app(1, "WEB GIS", 8, description="Peta bidang tanah milik pemerintah daerah")
    gis = app(2, "GIS Berbasis Android", 4)
    assert clusters(catalogue([land, gis])) == []
    sms = app(3, "SMS Gateway", 4, description="Pengiriman pesan singkat layanan perizinan")
    sms2 = app(4, "SMS Gateway", 2, description="Pengiriman pesan singkat pendaftaran pasien")
    assert clusters(catalogue([sms, sms2])) == [["APL-03", "APL-04"]]


def test_descriptions_alike_propose_a_pair_in_a_small_instansi() -> None:
    """In an instansi of twenty-odd applications no description word is rare by the
    catalogue's weights; words two texts share still propose the pair ("Lapor" and
    "e-Pengaduan" share no name word)."""
    lapor = app(
        1,
        "Lapor Surabaya",
        4,
        description="Penerimaan aduan masyarakat dan tindak lanjut oleh OPD terkait",
    )
    aduan = app(
        2,
        "e-Pengaduan",
        5,
        description="Aduan masyarakat diterima dan diteruskan ke OPD terkait untuk tindak lanjut",
    )
    s = catalogue([lapor, aduan])
    matcher = matcher_for(s)
    pair = (matcher.by_key[lapor.key].index, matcher.by_key[aduan.key].index)
    assert pair in set(matcher.candidate_pairs())
    assert clusters(s) == [["APL-01", "APL-02"]]


# -- what the catalogue links an application to ------------------------------------------


def test_applications_delivering_the_same_service_are_a_pair_whatever_their_names() -> None:
    a = app(1, "Dukcapil Go", 9)
    b = app(2, "Lampid Online", 6)
    svc = service(50, "Penerbitan akta kelahiran")
    s = catalogue([a, b, svc], [Link("delivered_by", svc.key, a.key)])
    assert clusters(s) == []
    s = catalogue([a, b, svc], [Link("delivered_by", svc.key, x.key) for x in (a, b)])
    assert clusters(s) == [["APL-01", "APL-02"]]
    (finding,) = duplicate_findings(s)
    assert finding.evidence["pairs"][0]["shared_service"] == ["LY-50"]


@pytest.mark.parametrize("shared", ["data", "host"])
def test_shared_data_sets_and_url_hosts_raise_a_pair(shared: str) -> None:
    """Two absence systems whose descriptions only half agree: what they share in the
    catalogue (a data set they both keep, the same web host) lifts their similarity and
    is named in the evidence."""

    def build(with_shared: bool) -> tuple[Snapshot, PairScore]:
        extra: dict[str, Any] = {}
        links = []
        ds = dataset(60, "Data Kehadiran Pegawai")
        a = app(
            1,
            "e-Absensi",
            1,
            description="Absensi pegawai dengan sidik jari",
            url="https://hadir.surabaya.go.id/bkpsdm",
        )
        if shared == "host" and with_shared:
            extra["url"] = "https://hadir.surabaya.go.id/dinkes"
        b = app(2, "Presensi Dinkes", 2, description="Kehadiran tenaga kesehatan", **extra)
        if shared == "data" and with_shared:
            links = [Link("produces", a.key, ds.key), Link("produces", b.key, ds.key)]
        s = catalogue([a, b, ds], links)
        m = matcher_for(s)
        return s, m.score(m.by_key[a.key], m.by_key[b.key])

    _, without = build(False)
    s, with_ = build(True)
    assert with_.score > without.score
    evidence = with_.evidence(matcher_for(s).profiles)
    expected = "DS-60" if shared == "data" else "hadir.surabaya.go.id"
    assert expected in evidence[f"shared_{shared}"]
    assert f"shared_{shared}" not in without.evidence(matcher_for(build(False)[0]).profiles)


def test_a_shared_reference_code_is_named_in_the_evidence() -> None:
    s = catalogue(
        [
            app(
                1,
                "e-Absensi",
                1,
                description="Absensi pegawai harian dengan sidik jari",
                reference_code="RAA.02.02",
            ),
            app(
                2,
                "Absensi Online Dinkes",
                2,
                reference_code="RAA.02.02",
                description="Absensi harian pegawai puskesmas dengan sidik jari",
            ),
        ]
    )
    (finding,) = duplicate_findings(s)
    assert finding.evidence["pairs"][0]["shared_code"] == ["RAA.02.02"]


# -- one unit twice; retired; instansi ----------------------------------------------------


def test_the_same_job_twice_in_one_unit_is_same_unit() -> None:
    s = catalogue(
        [
            app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari"),
            app(
                2,
                "Absensi Online BKPSDM",
                1,
                description="Absensi harian pegawai dengan sidik jari",
            ),
        ]
    )
    (finding,) = duplicate_findings(s)
    assert finding.rule == "duplicate.same_unit"
    assert finding.severity == "low"
    assert [x.code for x in finding.subjects] == ["APL-01", "APL-02"]
    assert "satu unit" in finding.message and "one unit" in finding.message_en


@pytest.mark.parametrize("how", [{"retired": True}, {"status": "retired"}])
def test_retired_applications_are_ignored(how: dict[str, Any]) -> None:
    apps = [
        app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari"),
        app(
            2,
            "Absensi Online Dinkes",
            2,
            description="Absensi harian pegawai puskesmas dengan sidik jari",
            **how,
        ),
    ]
    assert clusters(catalogue(apps)) == []


def test_clusters_do_not_cross_instansi() -> None:
    surabaya = app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari")
    malang = app(
        2, "e-Absensi", 21, instansi=8, description="Absensi pegawai harian dengan sidik jari"
    )
    s = catalogue([surabaya, malang], places=[CITY, OTHER_CITY])
    assert clusters(s) == []
    # …while the same pair within one kota is a duplicate.
    malang_copy = app(
        3, "e-Absensi", 22, instansi=8, description="Absensi pegawai harian dengan sidik jari"
    )
    s = catalogue([surabaya, malang, malang_copy], places=[CITY, OTHER_CITY])
    assert clusters(s) == [["APL-02", "APL-03"]]
    (finding,) = duplicate_findings(s)
    assert {x.instansi for x in finding.subjects} == {"35.73"}


def test_clusters_are_computed_once_per_context() -> None:
    s = catalogue(
        [
            app(1, "SIMPEG", 1, function="Pengelolaan data kepegawaian ASN daerah"),
            app(2, "Sistem Informasi Manajemen Kepegawaian", 2, description="Data pegawai ASN"),
        ]
    )
    context = Context(s)
    first = clusters_of(context)
    assert [[m.item.code for m in c.members] for c in first] == clusters(s)
    assert clusters_of(context) is first
    assert clusters_of(Context(s)) is not first


def test_the_collector_is_paused_and_restored() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as found, not switched on
    finally:
        (gc.enable if was else gc.disable)()


# -- documentation ------------------------------------------------------------------------


# duplicates is a package: its examples live in its matcher module.
MODULES = [
    duplicates.matcher,
    text,
    addresses,
    data,
    integration.units,
    integration.spl,
    conformance,
    coverage,
    sectors,
    national_use,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_the_module_examples_run_in_the_suite(module: Any) -> None:
    """The docstring examples are tests (CONTRIBUTING: pure functions with runnable
    examples): pytest collects them through --doctest-modules over catalog/."""
    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_config = config["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in pytest_config["addopts"].split()
    assert "catalog" in pytest_config["testpaths"]
    examples = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    assert examples, f"{module.__name__} has no runnable examples"


def test_findings_do_not_depend_on_the_order_the_catalogue_loads_in() -> None:
    """Same catalogue, same findings and evidence hash: a reviewed cluster must not reopen
    because the database returned its rows in another order."""
    apps = [
        app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari"),
        app(
            2,
            "Absensi Online Dinkes",
            2,
            description="Absensi harian pegawai puskesmas dengan sidik jari",
        ),
        app(3, "Sistem Absensi Sekolah", 3, description="Absensi harian guru dengan sidik jari"),
        app(4, "e-Absensi Android", 1, platform="android", description="Absensi dari ponsel"),
        app(5, "e-Absensi iOS", 1, platform="ios", description="Absensi dari ponsel"),
    ]
    links = [
        Link("channel_of", apps[3].key, apps[0].key),
        Link("channel_of", apps[4].key, apps[0].key),
    ]
    first = [f.to_dict() for f in duplicate_findings(catalogue(apps, links))]
    assert first and first[0]["evidence"]["members"][0]["channels"] == [
        {"code": "APL-04", "name": "e-Absensi Android"},
        {"code": "APL-05", "name": "e-Absensi iOS"},
    ]
    for order in itertools.permutations(apps):
        assert [f.to_dict() for f in duplicate_findings(catalogue(order, links))] == first


def test_synonyms_and_spelling_variants_name_the_same_job() -> None:
    """Presensi and absensi, antrean and antrian are one job under two words."""
    s = catalogue(
        [
            app(1, "e-Presensi", 1, description="Presensi harian pegawai dengan sidik jari"),
            app(2, "Absensi Online", 3, description="Absensi harian pegawai memakai sidik jari"),
            app(3, "Sistem Antrean", 2, description="Pengambilan nomor antrean pelayanan"),
            app(4, "Antrian Online", 4, description="Nomor antrian pelayanan di loket"),
        ]
    )
    assert sorted(clusters(s)) == [["APL-01", "APL-02"], ["APL-03", "APL-04"]]
