"""Duplicates and acronyms (catalog.analysis.duplicates): an acronym read off another
name, acronyms the catalogue spells out, look-alikes that share letters for different
jobs (primer §4), and a bare acronym with nothing behind it. Small hand-built catalogues
with a background of unrelated applications (tests/duplicates_support.py).
"""

import pytest
from duplicates_support import (
    app,
    catalogue,
    clusters,
    dataset,
    duplicate_findings,
)

from catalog.analysis.duplicates import (
    matcher_for,
)
from catalog.analysis.snapshot import Item, Link


def test_an_acronym_and_its_expansion_in_two_units_are_one_cluster() -> None:
    s = catalogue(
        [
            app(1, "SIMPEG", 1, function="Pengelolaan data kepegawaian ASN daerah"),
            app(
                2,
                "Sistem Informasi Manajemen Kepegawaian",
                2,
                description="Administrasi pegawai: cuti dan kenaikan pangkat pegawai",
            ),
        ]
    )
    assert clusters(s) == [["APL-01", "APL-02"]]
    (finding,) = duplicate_findings(s)
    assert finding.rule == "duplicate.application"
    assert [(x.code, x.owner) for x in finding.subjects] == [("APL-01", "01"), ("APL-02", "02")]
    assert 0.6 <= finding.score <= 1.0
    # Evidence per member and per pair: what matched, and how much.
    members = {m["code"]: m for m in finding.evidence["members"]}
    assert members["APL-01"] == {
        "code": "APL-01",
        "name": "SIMPEG",
        "owner": "01",
        "acronyms": ["SIMPEG"],
    }
    assert members["APL-02"]["owner"] == "02"
    (pair,) = finding.evidence["pairs"]
    assert pair["pair"] == ["APL-01", "APL-02"]
    assert pair["acronym_expansion"] == "SIMPEG = sistem informasi manajemen kepegawaian"
    assert pair["similarity"] == pytest.approx(finding.score, abs=1e-3)
    assert "2 aplikasi di 2 unit" in finding.message
    assert "2 applications in 2 units" in finding.message_en
    assert "SIMPEG (APL-01)" in finding.message and "SIMPEG (APL-01)" in finding.message_en


def test_the_acronym_is_not_read_off_a_name_when_the_descriptions_disagree() -> None:
    s = catalogue(
        [
            app(1, "SIMPEG", 1, function="Pengelolaan data kepegawaian ASN daerah"),
            app(
                2,
                "Sistem Informasi Manajemen Kepegawaian",
                2,
                description="Pemantauan stok vaksin di gudang farmasi",
            ),
        ]
    )
    assert clusters(s) == []


def test_an_acronym_the_catalogue_spells_out_is_not_read_as_another_name() -> None:
    """SIKEL stands for Sistem Informasi Kelurahan here: a lone "SIKEL" is that system,
    not "Sistem Informasi Keluarga", though the letters would fit both."""
    s = catalogue(
        [
            app(
                1,
                "SIKEL (Sistem Informasi Kelurahan)",
                4,
                description="Pelayanan surat keterangan dan data warga di kelurahan",
            ),
            app(2, "SIKEL", 6, description="Pendataan warga dan keluarga untuk surat pengantar"),
            app(
                3,
                "Sistem Informasi Keluarga",
                2,
                # Alike enough for the acronym to be read off the name (text similarity
                # above SPELLED_TEXT), not so alike that the texts alone make a pair.
                description="Pendataan keluarga berencana dan peserta KB aktif",
            ),
        ]
    )
    assert clusters(s) == [["APL-01", "APL-02"]]


@pytest.mark.parametrize(
    "apps",
    [
        pytest.param(
            [
                app(
                    1,
                    "SIMADE (Sistem Informasi Kelurahan Dangin Puri)",
                    4,
                    description="Administrasi surat keterangan dan data warga kelurahan",
                ),
                app(
                    2,
                    "SIMADE (Sistem Pemantauan Krama Bendega)",
                    6,
                    description="Pendataan petani subak dan irigasi sawah",
                ),
                app(3, "SIMADE", 8, description="Manajemen aset daerah: inventaris barang milik"),
            ],
            id="SIMADE-three-jobs",
        ),
        pytest.param(
            [
                app(1, "Simponi", 8, description="Penerimaan negara bukan pajak dan setoran"),
                app(
                    2,
                    "Simponi Surabaya",
                    2,
                    description="Pencatatan imunisasi anak di posyandu dan puskesmas",
                ),
            ],
            id="Simponi",
        ),
        pytest.param(
            [
                app(1, "e-Kinerja", 1, description="Penilaian kinerja harian pegawai ASN"),
                app(
                    2,
                    "e-SAKIP",
                    6,
                    description="Akuntabilitas kinerja instansi pemerintah: "
                    "perjanjian kinerja dan laporan capaian",
                ),
            ],
            id="e-Kinerja-e-SAKIP",
        ),
        pytest.param(
            [app(1, "e-Kinerja", 1), app(2, "e-SAKIP (Sistem Akuntabilitas Kinerja)", 6)],
            id="e-Kinerja-e-SAKIP-undescribed",
        ),
        pytest.param(
            # "Perangkat daerah" (the OPD) says whose performance: not boilerplate.
            [
                app(1, "e-Kinerja", 1),
                app(2, "e-Kinerja Perangkat Daerah", 6, description="Unggah dokumen SAKIP OPD"),
            ],
            id="e-Kinerja-of-the-OPD",
        ),
        pytest.param(
            # An acronym among boilerplate is a bare acronym: Sasaran Kinerja Pegawai or
            # Surat Keterangan Penelitian, the letters do not say.
            [
                app(1, "SKP Online", 1),
                app(2, "SKP Online", 6, description="Permohonan surat keterangan penelitian"),
            ],
            id="SKP-Online",
        ),
    ],
)
def test_look_alikes_doing_different_jobs_are_not_grouped(apps: list[Item]) -> None:
    s = catalogue(apps)
    assert clusters(s) == []
    assert duplicate_findings(s) == []


def test_a_bare_shared_acronym_with_nothing_behind_it_makes_no_cluster() -> None:
    # Undescribed, the two "SIMADE" could be the same system or Denpasar's fishermen's
    # safety system next to a kelurahan one: the letters alone do not say.
    pair = [app(1, "SIMADE", 1), app(2, "SIMADE", 2)]
    assert clusters(catalogue(pair)) == []
    # With a description that agrees, they are one job.
    told = "Pencatatan data warga dan pelayanan surat kelurahan"
    pair = [app(1, "SIMADE", 1, description=told), app(2, "SIMADE", 2, description=told)]
    assert len(clusters(catalogue(pair))) == 1


def test_a_bare_acronym_described_as_the_other_spells_it_out_is_the_same_name() -> None:
    full = app(1, "SIPADU (Sistem Informasi Pengaduan Terpadu)", 4)
    told = app(2, "SIPADU", 5, description="Menerima dan meneruskan pengaduan masyarakat")
    s = catalogue([full, told])
    assert clusters(s) == [["APL-01", "APL-02"]]
    (finding,) = duplicate_findings(s)
    assert finding.evidence["pairs"][0]["acronym_expansion"] == "sistem informasi pengaduan terpadu"
    # Described as something else, or not at all, the letters confirm nothing.
    other = app(2, "SIPADU", 5, description="Pendataan penerima bantuan sosial")
    assert clusters(catalogue([full, other])) == []
    assert clusters(catalogue([full, app(2, "SIPADU", 5)])) == []
    # Saying one common word of the expansion ("data") is not telling it: a farmers'-group
    # "SIMADE" is not the kelurahan's "Sistem Informasi Manajemen Data Kelurahan".
    kelurahan = app(1, "SIMADE (Sistem Informasi Manajemen Data Kelurahan)", 4)
    tani = app(2, "SIMADE", 5, description="Pendataan kelompok tani oleh penyuluh")
    assert clusters(catalogue([kelurahan, tani])) == []


def test_one_common_data_set_does_not_witness_a_bare_shared_acronym() -> None:
    # Two undescribed "SIMPATI" both read the staff list, each among data of its own:
    # that is not one job. Keeping the same data sets is.
    a, b = app(1, "SIMPATI", 1), app(2, "SIMPATI", 3)
    staff = dataset(60, "Data Pegawai")
    own = [dataset(61 + k, name) for k, name in enumerate(("Register PATEN", "Data Guru"))]
    common = [Link("reads", x.key, staff.key) for x in (a, b)]
    apart = [Link("produces", a.key, own[0].key), Link("produces", b.key, own[1].key)]
    assert clusters(catalogue([a, b, staff, *own], [*common, *apart])) == []
    same = [Link("produces", x.key, own[0].key) for x in (a, b)]
    assert clusters(catalogue([a, b, staff, *own], [*common, *same])) == [["APL-01", "APL-02"]]


def test_one_acronym_spelled_out_two_ways_by_one_unit_is_two_systems() -> None:
    # Both expansions end in words of the owner's name (Badan Perencanaan Pembangunan
    # Daerah), which leave the names; what the letters stand for still differs.
    pair = [
        app(1, "SIPD (Sistem Informasi Perencanaan Daerah)", 6, function="Penyusunan RKPD"),
        app(2, "SIPD (Sistem Informasi Pembangunan Daerah)", 6, description="Data perencanaan."),
    ]
    s = catalogue(pair)
    assert clusters(s) == []
    matcher = matcher_for(s)
    assert matcher.score(matcher.by_key[pair[0].key], matcher.by_key[pair[1].key]).conflict == (
        "acronym_expansions_differ"
    )
