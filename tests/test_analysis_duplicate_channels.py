"""Channels of one product (catalog.analysis.duplicates): web, Android and iOS versions of
one system are one product, reported once, never as duplicates of each other.
"""

from duplicates_support import (
    CITY,
    UNITS,
    app,
    background,
    catalogue,
    clusters,
    duplicate_findings,
)

from catalog.analysis.duplicates import (
    matcher_for,
)
from catalog.analysis.snapshot import Link, Snapshot, Unit


def test_linked_channels_are_one_product_not_duplicates() -> None:
    web = app(1, "e-Akta", 9, description="Permohonan akta kelahiran secara daring")
    android = app(
        2,
        "e-Akta Android",
        9,
        platform="android",
        description="Permohonan akta kelahiran dari ponsel",
    )
    ios = app(3, "Akta Online iOS", 9, platform="ios", description="Permohonan akta kelahiran")
    links = [Link("channel_of", android.key, web.key), Link("channel_of", ios.key, web.key)]
    s = catalogue([web, android, ios], links)
    assert clusters(s) == []
    matcher = matcher_for(s)
    assert dict(matcher.product_of) == {
        matcher.by_key[android.key].index: matcher.by_key[web.key].index,
        matcher.by_key[ios.key].index: matcher.by_key[web.key].index,
    }


def test_an_unlinked_mobile_version_of_the_same_owner_is_a_channel() -> None:
    s = catalogue(
        [
            app(1, "SiCantik", 4, description="Perizinan online satu pintu"),
            app(2, "SiCantik Mobile", 4, description="Perizinan online dari ponsel"),
        ]
    )
    assert clusters(s) == []
    # The same name with "Mobile" in ANOTHER unit is no channel of it: that is a copy.
    s = catalogue(
        [
            app(1, "SiCantik", 4, description="Perizinan online satu pintu"),
            app(2, "SiCantik Mobile", 7, description="Perizinan online dari ponsel"),
        ]
    )
    assert clusters(s) == [["APL-01", "APL-02"]]


def test_one_common_word_does_not_make_a_channel_of_another_product() -> None:
    """ "Web Kecamatan" names no channel of the unit's SIMPATI (…Kecamatan) system: it is a
    website like the other unit's, and a copy of it."""
    simpati = app(
        1,
        "SIMPATI (Sistem Informasi Pelayanan Terpadu Kecamatan)",
        4,
        description="Pelayanan administrasi warga di kantor kecamatan",
    )
    web = app(
        2, "Web Kecamatan", 4, description="Halaman resmi kecamatan: profil wilayah, berita, agenda"
    )
    copy = app(3, "Website Kecamatan", 3, description="Halaman resmi kecamatan: profil wilayah")
    # The acronym a channel names is the product's, however long the product's name.
    android = app(4, "Aplikasi SIDIK Android", 1, platform="android", description="Presensi")
    sidik = app(5, "SIDIK - Sistem Informasi Disiplin Kepegawaian", 1, description="Presensi")
    s = catalogue([simpati, web, copy, android, sidik])
    matcher = matcher_for(s)
    assert dict(matcher.product_of) == {
        matcher.by_key[android.key].index: matcher.by_key[sidik.key].index
    }
    assert clusters(s) == [["APL-02", "APL-03"]]


def test_a_channel_is_judged_by_its_name_as_written_and_by_what_it_does() -> None:
    """The UPTD Samsat's "Samsat Online Mobile" is a channel of its "Samsat Online", though
    the unit's own name takes the word "Samsat" out of both names; a name inside another
    of the same owner is no channel when the texts say two jobs ("e-Sewaka Dharma",
    village administration, beside "Graha Sewaka Dharma", room booking: the city's motto
    names both)."""
    samsat = Unit(30, "30", "UPTD Samsat", 7, short_name="Samsat")
    web = app(1, "Samsat Online", 30, description="Pembayaran pajak kendaraan bermotor")
    mobile = app(2, "Samsat Online Mobile", 30, platform="android")
    graha = app(
        3,
        "Sistem Informasi Graha Sewaka Dharma / SIMPARSA",
        4,
        description="Permohonan peminjaman gedung dan ruang rapat milik pemerintah kota",
    )
    sewaka = app(
        4,
        "Website e-Sewaka Dharma",
        4,
        description="Administrasi desa dan kelurahan: surat keterangan warga",
    )
    apps = [web, mobile, graha, sewaka, *background()]
    s = Snapshot.build(apps, units=[*UNITS, samsat], places=[CITY])
    matcher = matcher_for(s)
    index = {code: matcher.by_key[a.key].index for code, a in (("web", web), ("mobile", mobile))}
    assert dict(matcher.product_of) == {index["mobile"]: index["web"]}
    assert clusters(s) == []


def test_a_product_with_channels_is_one_member_of_a_cluster() -> None:
    web = app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari")
    android = app(
        2,
        "e-Absensi Android",
        1,
        platform="android",
        description="Absensi pegawai harian dari ponsel",
    )
    copy = app(
        3,
        "Absensi Online Dinkes",
        2,
        description="Absensi harian pegawai puskesmas dengan sidik jari",
    )
    s = catalogue([web, android, copy], [Link("channel_of", android.key, web.key)])
    assert clusters(s) == [["APL-01", "APL-03"]]
    (finding,) = duplicate_findings(s)
    members = {m["code"]: m for m in finding.evidence["members"]}
    assert members["APL-01"]["channels"] == [{"code": "APL-02", "name": "e-Absensi Android"}]
    assert "channels" not in members["APL-03"]
