"""Aplikasi Umum overlap (catalog.analysis.national) on small hand-built catalogues.

Each catalogue is one kota with a background of unrelated applications (words are weighed
by how rare they are among local applications) and a few national systems as context,
described the way the national catalogue (catalog/data/national.yaml) describes them.
"""

from __future__ import annotations

import doctest
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from catalog.analysis import national
from catalog.analysis.engine import analyze
from catalog.analysis.national import PASAL_37, find_overlaps
from catalog.analysis.snapshot import Item, Link, Place, Snapshot, Unit
from catalog.analysis.text import read_content_words, read_words

NATIONAL_YAML = Path(national.__file__).resolve().parents[2] / "data" / "national.yaml"
CENTRE = Place(1, "KEMENPANRB", "Kementerian PANRB", "pusat")
CITY = Place(7, "35.78", "Kota Surabaya", "kota")
UNITS = [
    Unit(90, "ANRI-03", "Deputi Bidang Informasi dan Pengembangan Sistem Kearsipan", 1),
    Unit(1, "01", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 7, short_name="BKPSDM"),
    Unit(2, "02", "Dinas Kesehatan", 7, short_name="Dinkes"),
    Unit(3, "03", "Sekretariat Daerah", 7, short_name="Setda"),
    Unit(4, "04", "Dinas Komunikasi dan Informatika", 7, short_name="Diskominfo"),
    Unit(6, "06", "Badan Perencanaan Pembangunan Daerah", 7, short_name="Bappeda"),
]


def nat(id_: int, code: str, name: str, role: str, **attrs: Any) -> Item:
    description = attrs.pop("description", None)
    return Item(
        "application",
        id_,
        code,
        name,
        1,
        owner_id=90,
        description=description,
        attrs={"national_role": role, **attrs},
    )


NATIONAL = [
    nat(
        1,
        "SRIKANDI",
        "SRIKANDI",
        "aplikasi_umum",
        acronym="SRIKANDI",
        description="Aplikasi Umum bidang kearsipan dinamis: naskah dinas, persuratan, "
        "disposisi, tanda tangan elektronik dan pemberkasan arsip.",
        function="Pengelolaan naskah dinas dan arsip dinamis secara elektronik",
        aliases=[
            "e-Office",
            "Tata Naskah Dinas Elektronik",
            "TNDE",
            "e-Surat",
            "Sistem Informasi Kearsipan Dinamis Terintegrasi",
        ],
        legal_basis="Keputusan Menteri PANRB Nomor 679 Tahun 2020",
    ),
    nat(
        2,
        "SIASN",
        "SIASN",
        "mandatory",
        acronym="SIASN",
        description="Sistem informasi kepegawaian nasional, sumber data induk ASN: kenaikan "
        "pangkat, pensiun, mutasi dan riwayat pegawai.",
        function="Pengelolaan data induk dan layanan manajemen ASN",
        aliases=[
            "SIMPEG",
            "Sistem Informasi Manajemen Kepegawaian",
            "e-Pegawai",
            "Sistem Informasi Aparatur Sipil Negara",
        ],
        legal_basis="Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    ),
    nat(
        3,
        "SIPD",
        "SIPD RI",
        "mandatory",
        acronym="SIPD",
        description="Perencanaan pembangunan, penganggaran, penatausahaan dan pelaporan "
        "keuangan daerah: RKPD, RKA dan APBD.",
        function="Perencanaan, penganggaran dan penatausahaan keuangan daerah",
        aliases=["e-Planning", "e-Budgeting", "Sistem Informasi Pemerintahan Daerah"],
        legal_basis="Peraturan Menteri Dalam Negeri Nomor 70 Tahun 2019",
    ),
    nat(
        4,
        "EKINERJA-BKN",
        "e-Kinerja BKN",
        "mandatory",
        acronym="e-Kinerja",
        description="Pengelolaan kinerja pegawai ASN: sasaran kinerja pegawai (SKP), "
        "penilaian dan predikat kinerja pegawai.",
        function="Perencanaan, pemantauan dan penilaian kinerja pegawai ASN",
        aliases=["e-SKP", "Sasaran Kinerja Pegawai", "Aplikasi Kinerja Pegawai"],
    ),
    nat(
        5,
        "ESAKIP",
        "e-SAKIP",
        "mandatory",
        acronym="e-SAKIP",
        description="Sistem akuntabilitas kinerja instansi pemerintah: perjanjian kinerja, "
        "capaian kinerja perangkat daerah, LKjIP dan evaluasi SAKIP.",
        function="Pengelolaan dokumen dan capaian akuntabilitas kinerja instansi",
        aliases=["SAKIP", "Sistem Informasi Kinerja Perangkat Daerah"],
    ),
    # A sector system: regions must feed it, so a local system in its field is expected.
    nat(
        6,
        "SIAK",
        "SIAK Terpusat",
        "sector",
        acronym="SIAK",
        description="Administrasi kependudukan: NIK, kartu keluarga dan KTP-el.",
        aliases=["Sistem Informasi Kependudukan", "Data Kependudukan"],
    ),
]

# Unrelated applications of the kota (ids from 100): the rest of the inventory.
BACKGROUND = [
    ("Sistem Informasi Parkir", "Retribusi parkir tepi jalan dan juru parkir", 4),
    ("e-Perizinan", "Permohonan izin usaha dan izin mendirikan bangunan", 4),
    ("Dapodik Sekolah", "Data pokok sekolah, guru dan peserta didik", 3),
    ("SIMRS", "Rekam medis pasien rawat jalan dan rawat inap rumah sakit", 2),
    ("Aplikasi Surveilans Penyakit", "Laporan kasus penyakit menular mingguan puskesmas", 2),
    ("Portal Open Data", "Publikasi kumpulan data terbuka untuk masyarakat", 4),
    ("Aplikasi Audit Internal", "Pemeriksaan reguler dan tindak lanjut temuan auditor", 3),
    ("e-Tilang Daerah", "Penindakan pelanggaran lalu lintas dengan kamera", 4),
    ("Aplikasi Persediaan Barang", "Stok alat tulis kantor dan barang pakai habis", 3),
    ("Sistem Penerimaan Peserta Didik Baru", "Pendaftaran siswa baru jalur zonasi", 3),
    ("Aplikasi Gizi Balita", "Pemantauan status gizi dan penimbangan balita posyandu", 2),
    ("Sistem Informasi Geografis Tata Ruang", "Peta rencana tata ruang wilayah", 6),
    ("Aplikasi Pajak Daerah", "Pendataan wajib pajak hotel restoran dan hiburan", 3),
    ("Command Center", "Pantauan kamera CCTV kota dan kanal darurat 112", 4),
    ("e-Monev", "Monitoring realisasi fisik dan keuangan kegiatan pembangunan", 6),
    ("Sistem Informasi Diklat", "Pendaftaran pelatihan dan sertifikat diklat pegawai", 1),
    ("Absensi Online", "Rekap kehadiran harian pegawai dengan sidik jari", 1),
    ("SIM Aset", "Inventaris barang milik daerah dan penyusutan aset", 3),
    ("Aplikasi Antrian Puskesmas", "Nomor antrean pasien puskesmas", 2),
    ("e-Retribusi Pasar", "Penagihan retribusi pedagang pasar harian", 3),
]


def background() -> list[Item]:
    return [
        Item("application", 100 + k, f"BG-{k:02d}", name, 7, owner_id=owner, description=text)
        for k, (name, text, owner) in enumerate(BACKGROUND)
    ]


def app(id_: int, name: str, owner: int, **fields: Any) -> Item:
    """A local application (ids from 11: the national systems have 1-6); ``fields`` are
    Item fields or, for anything else, attrs."""
    own = {k: fields.pop(k) for k in ("description", "status", "retired") if k in fields}
    return Item(
        "application",
        id_,
        f"APL-{id_}",
        name,
        7,
        owner_id=owner,
        attrs={"national_role": "none", **fields},
        **own,
    )


def catalogue(apps: Iterable[Item], links: Iterable[Link] = ()) -> Snapshot:
    return Snapshot.build(
        [*NATIONAL, *apps, *background()], links=links, units=UNITS, places=[CENTRE, CITY]
    )


def overlaps(snapshot: Snapshot) -> list[tuple[str, str]]:
    return [(o.local.code, o.national.code) for o in find_overlaps(snapshot)]


def integration(id_: int, provider: int, consumer: int) -> Item:
    return Item(
        "integration",
        id_,
        f"INT-{id_}",
        "x",
        7,
        attrs={"provider_id": provider, "consumer_id": consumer},
    )


# -- positives ----------------------------------------------------------------------------


def test_a_local_e_office_overlaps_srikandi_with_the_legal_reason() -> None:
    s = catalogue(
        [
            app(
                11,
                "e-Office Kota Surabaya",
                3,
                description="Surat masuk, surat keluar dan disposisi naskah dinas elektronik",
            ),
        ]
    )
    assert overlaps(s) == [("APL-11", "SRIKANDI")]
    (finding,) = analyze(s, ["national"])
    assert finding.rule == "national.overlap"
    # An Aplikasi Umum: Pasal 37 applies directly, so the finding is high.
    assert finding.severity == "high"
    assert [(x.code, x.instansi) for x in finding.subjects] == [
        ("APL-11", "35.78"),
        ("SRIKANDI", "KEMENPANRB"),
    ]
    evidence = finding.evidence
    assert evidence["national"] == {"code": "SRIKANDI", "name": "SRIKANDI", "role": "aplikasi_umum"}
    assert evidence["matched_name"] == "e-Office"
    assert "disposisi" in evidence["shared_description_words"]
    assert evidence["legal_basis"] == PASAL_37 and "Article 37" in evidence["legal_basis_en"]
    assert evidence["spbe_rule"] == PASAL_37
    assert evidence["national_regulation"].startswith("Keputusan Menteri PANRB")
    assert "SRIKANDI" in finding.message and "SRIKANDI" in finding.message_en
    assert finding.message != finding.message_en
    json.dumps(finding.to_dict())


def test_an_acronym_spelled_out_overlaps_a_mandatory_system_under_its_regulation() -> None:
    s = catalogue(
        [
            app(
                11,
                "SIMPEG (Sistem Informasi Manajemen Kepegawaian)",
                1,
                description="Data pegawai, riwayat pangkat dan mutasi ASN daerah",
            ),
            app(12, "e-Pegawai Dinkes", 2),  # no text at all: the name says enough
        ]
    )
    assert overlaps(s) == [("APL-11", "SIASN"), ("APL-12", "SIASN")]
    found = analyze(s, ["national.overlap"])
    assert {f.severity for f in found} == {"medium"}
    # A mandatory system: its own regulation is the legal reason.
    assert {f.evidence["legal_basis"] for f in found} == {
        "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara"
    }
    assert all("SIASN" in f.evidence["legal_basis_en"] for f in found)
    # … and Pasal 37 as the general SPBE rule beside it.
    assert {f.evidence["spbe_rule"] for f in found} == {PASAL_37}


def test_a_local_system_named_by_its_description_alone_overlaps() -> None:
    s = catalogue(
        [
            app(
                11,
                "SIDARA",
                6,
                description="Penyusunan RKPD, RKA dan APBD: perencanaan pembangunan, "
                "penganggaran dan penatausahaan keuangan daerah",
            ),
        ]
    )
    assert overlaps(s) == [("APL-11", "SIPD")]


def test_two_national_systems_sharing_a_name_are_told_apart_by_the_text() -> None:
    # "e-Kinerja Perangkat Daerah" is institutional performance (SAKIP), not employee
    # performance (e-Kinerja BKN): primer §4, e-Kinerja vs e-SAKIP.
    s = catalogue(
        [
            app(
                11,
                "e-Kinerja Perangkat Daerah",
                3,
                description="Perjanjian kinerja, capaian kinerja perangkat daerah dan LKjIP "
                "untuk evaluasi SAKIP",
            ),
            app(
                12,
                "e-Kinerja Surabaya",
                1,
                description="Sasaran kinerja pegawai (SKP) dan penilaian kinerja pegawai ASN",
            ),
        ]
    )
    assert overlaps(s) == [("APL-11", "ESAKIP"), ("APL-12", "EKINERJA-BKN")]


# -- negatives ----------------------------------------------------------------------------


def test_look_alike_acronyms_doing_another_job_are_not_overlaps() -> None:
    s = catalogue(
        [
            # SIPD for a development data bank is not the national SIPD.
            app(
                11,
                "SIPD (Sistem Informasi Pembangunan Daerah)",
                6,
                description="Bank data indikator statistik makro dan profil wilayah",
            ),
            app(12, "SIPD", 6, function="Kumpulan indikator statistik makro wilayah"),
            # "SKP" here is a research permit letter, not Sasaran Kinerja Pegawai.
            app(
                13,
                "SKP Online",
                4,
                description="Penerbitan surat keterangan penelitian bagi mahasiswa",
            ),
            # An acronym alone, with nothing to say what it does, is too little.
            app(14, "TNDE", 3),
        ]
    )
    assert overlaps(s) == []
    assert analyze(s, ["national"]) == []


def test_integrating_with_a_national_system_is_not_an_overlap() -> None:
    absensi = app(11, "Absensi Pegawai", 1, description="Rekap kehadiran dan jam kerja pegawai")
    # Each is linked to a national system by an integration, in either direction.
    s = catalogue([absensi, integration(50, 2, 11)])
    assert overlaps(s) == []
    # A bridge names the system and does its kind of work, but calls itself a bridge.
    bridge = app(
        12,
        "Bridging SRIKANDI",
        3,
        description="Naskah dinas, persuratan dan disposisi SRIKANDI",
    )
    assert overlaps(catalogue([bridge, integration(51, 12, 1)])) == []
    assert overlaps(catalogue([bridge])) == []


def test_a_registered_part_of_the_national_system_is_not_an_overlap() -> None:
    local = app(11, "SRIKANDI", 3, description="Naskah dinas dan disposisi elektronik")
    # Unlinked, a local record named after SRIKANDI is reported (it may be a copy)…
    assert overlaps(catalogue([local])) == [("APL-11", "SRIKANDI")]
    # … registered as part of the national system (or its channel), it is the system.
    for relation in ("part_of", "channel_of"):
        linked = catalogue([local], [Link(relation, local.key, NATIONAL[0].key)])
        assert overlaps(linked) == []


def test_an_inactive_copy_is_still_reported_with_its_status() -> None:
    s = catalogue([app(11, "e-Surat", 3, status="inactive", description="Surat dan disposisi")])
    (finding,) = analyze(s, ["national"])
    assert finding.evidence["local_status"] == "inactive"
    # Findings are reproducible: the same catalogue, the same findings.
    assert [f.to_dict() for f in analyze(s, ["national"])] == [finding.to_dict()]


def test_sector_systems_and_retired_apps_are_not_reported() -> None:
    s = catalogue(
        [
            # SIAK is a sector system regions feed: a local population system is expected.
            app(
                11,
                "Sistem Informasi Kependudukan",
                2,
                description="Data kependudukan, NIK dan kartu keluarga",
            ),
            # A retired e-office is history, not an overlap.
            app(12, "e-Office", 3, description="Surat masuk dan disposisi", retired=True),
        ]
    )
    assert overlaps(s) == []


def test_a_mobile_channel_of_an_overlapping_app_is_judged_with_its_product() -> None:
    product = app(11, "e-Office Surabaya", 3, description="Surat masuk dan disposisi elektronik")
    mobile = app(
        12,
        "e-Office Surabaya Mobile",
        3,
        platform="android",
        description="Surat masuk dan disposisi elektronik",
    )
    assert overlaps(catalogue([product, mobile])) == [("APL-11", "SRIKANDI")]


def test_a_text_written_with_verbs_matches_one_written_with_nouns() -> None:
    # SIASN's function says "Pengelolaan … layanan manajemen ASN"; an operator writes
    # what the local system does with verbs ("Mengelola …"): the same job.
    sipega = app(
        11,
        "SIPEGA",
        1,
        description="Mengelola data induk ASN",
        function="Mengelola layanan manajemen ASN",
    )
    # The same verbs for another job stay apart.
    parkir = app(12, "SIPARKIR", 4, function="Mengelola retribusi parkir tepi jalan")
    assert overlaps(catalogue([sipega, parkir])) == [("APL-11", "SIASN")]


def test_verb_and_noun_forms_share_one_stem() -> None:
    stem = national._Stem({"mengelola", "pengelolaan", "menerima", "penerimaan", "pegawai"})
    assert stem("mengelola") == stem("pengelolaan")
    assert stem("menerima") == stem("penerimaan")
    assert stem("pegawai") == "pegawai"
    # A base word the catalogue writes is the stem.
    assert national._Stem({"mengelola", "kelola"})("mengelola") == "kelola"


def _ekinerja_from_the_national_catalogue() -> Item:
    """e-Kinerja BKN as catalog/data/national.yaml records it (names and texts)."""
    data = yaml.safe_load(NATIONAL_YAML.read_text(encoding="utf-8"))
    entry = next(a for a in data["applications"] if a["code"] == "EKINERJA-BKN")
    return nat(
        4,
        entry["code"],
        entry["name"],
        entry["national_role"],
        acronym=entry["acronym"],
        description=entry["description"],
        function=entry["function"],
        output=entry["output"],
        aliases=entry["aliases"],
    )


def test_a_tpp_calculator_is_a_supporting_app_not_an_e_kinerja_copy() -> None:
    # TPP (tambahan penghasilan pegawai) is the region's own allowance, computed from the
    # e-Kinerja results: the national catalogue must not list it as an e-Kinerja name.
    ekinerja = _ekinerja_from_the_national_catalogue()
    tpp = app(
        11,
        "e-TPP",
        1,
        description="Menghitung TPP pegawai dari capaian kinerja dan kehadiran.",
        function="Perhitungan tambahan penghasilan pegawai berdasarkan kinerja dan disiplin",
    )
    copy = app(
        12,
        "e-Kinerja Surabaya",
        1,
        description="Penyusunan SKP dan penilaian kinerja pegawai ASN.",
        function="Perencanaan, pemantauan dan penilaian kinerja pegawai ASN",
    )
    others = [n for n in NATIONAL if n.code != "EKINERJA-BKN"]
    s = Snapshot.build(
        [*others, ekinerja, tpp, copy, *background()], units=UNITS, places=[CENTRE, CITY]
    )
    assert overlaps(s) == [("APL-12", "EKINERJA-BKN")]


def test_reading_is_shared_between_runs_without_changing_results() -> None:
    # Names and texts are read once per process (a national run repeats them in every
    # instansi): a run must give what it gives in a fresh process, whatever ran before.
    first = catalogue([app(11, "e-Office Surabaya", 3, description="Surat masuk dan disposisi")])
    second = catalogue(
        [
            app(11, "SIMPEG BKPSDM", 1, description="Data induk dan riwayat pegawai ASN"),
            app(12, "Sistem Informasi Persuratan", 3, description="Agenda surat masuk"),
        ]
    )
    read_words.cache_clear()
    national._name_tokens.cache_clear()
    read_content_words.cache_clear()
    national._unit_tokens.cache_clear()
    fresh = [find_overlaps(first), find_overlaps(second)]
    again = [find_overlaps(second), find_overlaps(first)][::-1]
    assert [[o.evidence() for o in run] for run in again] == [
        [o.evidence() for o in run] for run in fresh
    ]
    assert [[(o.local.code, o.score) for o in run] for run in again] == [
        [(o.local.code, o.score) for o in run] for run in fresh
    ]
    assert fresh[0] and fresh[1]


def test_doctests() -> None:
    assert doctest.testmod(national, raise_on_error=True).failed == 0
