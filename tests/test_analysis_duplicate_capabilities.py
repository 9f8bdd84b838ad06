"""Duplicates that only the name tells (a shared capability, a unit's website), and what
must not hide or fake them: a sub-unit's short name, one application alike to two
unlike groups, two systems under one host. Denpasar's inventory (primer §4) shows each.
"""

from __future__ import annotations

from duplicates_support import (
    CITY,
    UNITS,
    app,
    background,
    catalogue,
    clusters,
    duplicate_findings,
)

from catalog.analysis.duplicates import find_duplicates, matcher_for
from catalog.analysis.snapshot import Snapshot, Unit


def test_the_same_capability_in_three_units_is_one_cluster_whatever_each_uses_it_for() -> None:
    # Denpasar: three "SMS Gateway", each described by the messages its unit sends.
    gateways = [
        app(1, "SMS Gateway", 8, description="Memberikan informasi terkait retribusi sampah"),
        app(2, "SMS Gateway", 4, description="Automasi pengiriman info perijinan via sms"),
        app(3, "SMS Gateway", 2, description="Pendaftaran pasien dan informasi biaya perawatan"),
    ]
    s = catalogue(gateways)
    assert clusters(s) == [["APL-01", "APL-02", "APL-03"]]
    (finding,) = duplicate_findings(s)
    assert {tuple(p["shared_capability"]) for p in finding.evidence["pairs"]} == {
        ("gateway", "sms")
    }
    # Four queueing systems under four names: the name says "queue", the unit is noise.
    queues = [
        app(1, "Sistem Antrian", 4, description="Pengelolaan antrian pelayanan perijinan"),
        app(2, "Antrian Online MPP", 4, description="Antrian pengurusan SIM secara online"),
        app(3, "Sistem Antrian Terpadu (PATEN)", 6, description="Sistem antrian berbasis desktop"),
        app(4, "Antrian Online (Akuwaras)", 9, description="Antrian online di Dispendukcapil"),
    ]
    assert clusters(catalogue(queues)) == [["APL-01", "APL-02", "APL-03", "APL-04"]]


def test_a_capability_word_inside_another_job_is_not_that_capability() -> None:
    # "Notifikasi" is the tool; the tax system that sends notices is a tax system.
    pair = [
        app(1, "SMS Gateway", 4, description="Kirim notifikasi otomatis lewat SMS"),
        app(2, "e-Pajak Reklame", 8, description="Pendaftaran dan penetapan pajak reklame"),
    ]
    assert clusters(catalogue(pair)) == []


def test_the_websites_of_units_are_one_job() -> None:
    sites = [
        app(1, "Website Dinkes", 2),
        app(2, "Website Dispendik", 3),
        app(3, "Portal Bappeda", 6),
    ]
    s = catalogue(sites)
    assert clusters(s) == [["APL-01", "APL-02", "APL-03"]]
    (finding,) = duplicate_findings(s)
    assert all(p["shared_capability"] == ["website"] for p in finding.evidence["pairs"])
    # A website of something (a system of its own) is not a unit's website.
    named = [app(1, "Website Dinkes", 2), app(2, "Website Bus Sekolah", 7)]
    assert clusters(catalogue(named)) == []


def test_a_website_named_as_news_official_or_by_its_cms_is_a_units_website() -> None:
    sites = [
        app(1, "Portal Berita Surabaya", 4),
        app(2, "Warta Dinkes", 2),
        app(3, "Website Resmi Pemerintah Kota Surabaya", 6),
        app(4, "CMS Portal OPD", 3),
    ]
    assert clusters(catalogue(sites)) == [["APL-01", "APL-02", "APL-03", "APL-04"]]
    # News of something, or minutes ("Berita Acara"), is a system of its own.
    others = [
        app(1, "Portal Berita Surabaya", 4),
        app(2, "e-Berita Acara Pemeriksaan", 5),
        app(3, "Warta Harga Pasar", 7),
    ]
    assert clusters(catalogue(others)) == []


def test_a_sub_unit_short_name_does_not_hide_a_word_of_the_job() -> None:
    # "Bid. Aset" names a bidang by its subject: "aset" stays a word of the asset systems.
    units = [*UNITS, Unit(10, "10", "Bidang Pengelolaan Barang Milik Daerah", 7, "Bid. Aset")]
    pair = [
        app(1, "e-Aset", 8, description="Kartu inventaris barang dan mutasi aset"),
        app(2, "e-Aset", 2, description="inventarisasi barang kantor"),
    ]
    s = Snapshot.build([*pair, *background()], units=units, places=[CITY])
    assert [[m.item.code for m in c.members] for c in find_duplicates(s)] == [["APL-01", "APL-02"]]


def test_an_application_alike_to_two_unlike_groups_joins_neither_to_the_other() -> None:
    # Bapenda's SMS gateway sends hotel-tax notices: alike to the other SMS gateways and to
    # the hotel-tax systems, which are not alike to each other.
    apps = [
        app(1, "SMS Gateway", 8, description="Informasi pajak hotel, restoran dan hiburan"),
        app(2, "SMS Gateway", 4, description="Automasi pengiriman info perijinan via sms"),
        app(3, "SMS Gateway", 2, description="Pesan teks pendaftaran pasien via sms"),
        app(4, "e-SPTPD", 8, description="Pelaporan pajak hotel, restoran dan hiburan online"),
        app(5, "SIMPADA PHR", 8, description="Pendataan wajib pajak hotel, restoran dan hiburan"),
    ]
    s = catalogue(apps)
    m = matcher_for(s)
    by = m.by_key
    assert m.similarity(by[apps[0].key], by[apps[3].key]) >= 0.6  # the hinge's two sides
    assert m.similarity(by[apps[1].key], by[apps[4].key]) < 0.1
    # (the background's own hotel-tax system, BG-7-17, is rightly with the tax systems)
    assert clusters(s) == [["APL-01", "APL-02", "APL-03"], ["APL-04", "APL-05", "BG-7-17"]]


def test_two_systems_under_one_host_are_told_apart_by_their_paths() -> None:
    # Denpasar's data portal runs the social-welfare database and a GIS under one host.
    def pair(a: str, b: str) -> Snapshot:
        return catalogue(
            [
                app(1, "Basis Data Terpadu", 4, url=f"https://jendela.surabaya.go.id/{a}"),
                app(2, "Jendela Kota (Pusat Data GIS)", 6, url=f"jendela.surabaya.go.id/{b}"),
            ]
        )

    assert clusters(pair("bdt", "rtmy")) == []
    # The same path, or a page of the site rather than a system, is the same host.
    for a, b in (("bdt", "bdt/"), ("index.php", "")):
        s = pair(a, b)
        m = matcher_for(s)
        one, two = (m.by_key[x] for x in sorted(m.by_key) if x[1] in (1, 2))
        assert one.links["host"] == two.links["host"]


KECAMATAN = Unit(30, "30", "Kecamatan Sukolilo", 7)
DPMD = Unit(31, "31", "Dinas Pemberdayaan Masyarakat dan Desa", 7, short_name="DPMD")
PARIWISATA = Unit(32, "32", "Dinas Kebudayaan dan Pariwisata", 7, short_name="Disbudpar")
ONE_LINE = "Mengolah data, mencatat dan melayani"


def _village_catalogue(apps: list) -> Snapshot:  # type: ignore[type-arg]
    return Snapshot.build(
        [*apps, *background()], units=[*UNITS, KECAMATAN, DPMD, PARIWISATA], places=[CITY]
    )


def test_a_city_wide_village_system_joins_the_kelurahan_systems_doing_its_job() -> None:
    # Denpasar (primer §4): six kelurahan/desa systems of one kecamatan, each a vendor's
    # acronym with one line of description, next to the city's own system, a brand name
    # ("e-Sewaka Dharma") that shares no name word with them but says it runs the
    # administration of every desa and kelurahan.
    apps = [
        app(1, "SIMADE (Sistem Informasi Kelurahan Keputih)", 30, description=ONE_LINE),
        app(2, "SIMADE (Sistem Informasi Kelurahan Gebang Putih)", 30, description=ONE_LINE),
        app(3, "SIKEMA (Sistem Informasi Desa Medokan)", 30, description=ONE_LINE),
        app(
            4,
            "Website e-Suroboyo Guyub",
            4,
            description="Mempermudah manajemen data administrasi Desa/Kelurahan, mempercepat "
            "pelayanan surat kepada masyarakat dan pelaporan kondisi terkini di seluruh "
            "wilayah kota.",
        ),
    ]
    s = _village_catalogue(apps)
    assert clusters(s) == [["APL-01", "APL-02", "APL-03", "APL-04"]]
    (finding,) = duplicate_findings(s)
    city_wide = [p for p in finding.evidence["pairs"] if "APL-04" in p["pair"]]
    assert {tuple(p["shared_village_administration"]) for p in city_wide} == {
        ("desa",),
        ("kelurahan",),
    }


def test_a_village_programme_or_the_other_kind_of_village_is_another_job() -> None:
    apps = [
        app(1, "e-Kelurahan", 30, description="Pelayanan surat keterangan di kelurahan"),
        # A tourist village is not the villages' administration…
        app(
            2,
            "Sistem Informasi Desa Wisata",
            32,
            description="Sistem informasi desa wisata, paket wisata dan homestay",
        ),
        # …and desa (DPMD's village profiles) are not kelurahan.
        app(
            3,
            "SID (Sistem Informasi Desa)",
            31,
            description="Pendataan profil, potensi dan perangkat desa",
        ),
    ]
    s = _village_catalogue(apps)
    profiles = {p.item.code: p for p in matcher_for(s).profiles}
    assert profiles["APL-01"].villages == {"kelurahan"}
    assert profiles["APL-02"].villages == frozenset()
    assert profiles["APL-03"].villages == {"desa"}
    assert clusters(s) == []
