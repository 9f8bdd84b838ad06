"""The registration-time check (catalog.analysis.duplicates.candidates_for): the existing
applications a draft looks like, best first, with their evidence.
"""

from duplicates_support import (
    app,
    catalogue,
    clusters,
)

from catalog.analysis.duplicates import (
    candidates_for,
)


def test_candidates_for_a_draft_rank_the_right_application_first() -> None:
    s = catalogue(
        [
            app(
                1,
                "Sistem Informasi Manajemen Kepegawaian",
                1,
                description="Administrasi pegawai: cuti dan kenaikan pangkat pegawai",
            ),
            app(2, "e-Absensi", 2, description="Absensi pegawai harian dengan sidik jari"),
        ]
    )
    found = candidates_for(
        s,
        {"name": "SIMPEG", "description": "Data kepegawaian, cuti dan pangkat pegawai"},
        7,
    )
    assert found, "the personnel system should be proposed"
    first, why = found[0]
    assert first.code == "APL-01"
    assert why.acronym_expansion == "SIMPEG = sistem informasi manajemen kepegawaian"
    assert [score.score for _, score in found] == sorted(
        (score.score for _, score in found), reverse=True
    )
    # A name that looks like nothing in the catalogue gets no candidates.
    assert candidates_for(s, {"name": "Bank Sampah", "description": "Tabungan sampah"}, 7) == []
    # Nor does a draft of another instansi.
    assert candidates_for(s, {"name": "e-Absensi"}, 8) == []


def test_a_bare_acronym_draft_finds_the_application_it_spells() -> None:
    """At registration a person judges each candidate: an undescribed "SIMPEG" is shown
    the personnel system its letters spell, though the clusters would not join the two
    on the name alone."""
    existing = app(
        1,
        "Sistem Informasi Manajemen Kepegawaian",
        1,
        description="Administrasi pegawai: cuti dan kenaikan pangkat pegawai",
    )
    s = catalogue([existing])
    ((found, why),) = candidates_for(s, {"name": "SIMPEG"}, 7)
    assert found.code == "APL-01"
    assert why.acronym_expansion == "SIMPEG = sistem informasi manajemen kepegawaian"
    # Registered as it is, without a description, it is no duplicate cluster.
    assert clusters(catalogue([existing, app(2, "SIMPEG", 2)])) == []
    # A description saying another job rules the reading out, draft or not.
    draft = {"name": "SIMPEG", "description": "Pemantauan stok vaksin di gudang farmasi"}
    assert candidates_for(s, draft, 7) == []


def test_candidates_for_skip_the_application_being_edited() -> None:
    s = catalogue([app(1, "e-Absensi", 1, description="Absensi pegawai harian dengan sidik jari")])
    fields = {"id": 1, "name": "e-Absensi", "description": "Absensi pegawai harian"}
    assert candidates_for(s, fields, 7) == []
    assert [i.code for i, _ in candidates_for(s, {**fields, "id": None}, 7)] == ["APL-01"]


def test_a_draft_named_as_a_registered_application_always_finds_it() -> None:
    """A name of generic words and the unit's own says nothing to the model, but the
    person typing it must see it is taken: the same name comes first, as "same_name"."""
    s = catalogue(
        [
            app(1, "Sistem Informasi Diskominfo", 4, description="Administrasi surat masuk"),
            app(2, "e-Absensi", 4, description="Absensi pegawai harian dengan sidik jari"),
        ]
    )
    ((found, why),) = candidates_for(s, {"name": "sistem informasi  DISKOMINFO"}, 7)
    assert found.code == "APL-01" and why.same_name
    assert why.reasons()["same_name"] is True
    # Only the very same name: one word more is judged by the model as any other name.
    assert candidates_for(s, {"name": "Sistem Informasi Diskominfo Baru"}, 7) == []


def test_a_kelurahan_system_being_registered_finds_the_city_wide_one() -> None:
    # The city's own brand-named system says it runs every desa's and kelurahan's
    # administration: the operator of a kelurahan registering "its" system sees it.
    s = catalogue(
        [
            app(
                1,
                "Website e-Suroboyo Guyub",
                4,
                description="Manajemen data administrasi Desa/Kelurahan dan pelayanan surat "
                "kepada masyarakat di seluruh wilayah kota.",
            )
        ]
    )
    found = candidates_for(
        s, {"name": "Sistem Informasi Kelurahan Keputih", "description": "Melayani warga"}, 7
    )
    assert [(item.code, why.villages) for item, why in found] == [("APL-01", ("kelurahan",))]
    assert found[0][1].score >= 0.6
