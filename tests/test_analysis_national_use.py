"""National systems recorded as used (catalog.analysis.national_use): rows whose address
is a national system's own are reported once, to be linked, and are neither Pasal 37
overlaps nor local duplicates."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from catalog.analysis.duplicates import find_duplicates
from catalog.analysis.engine import analyze
from catalog.analysis.national import find_overlaps
from catalog.analysis.snapshot import Item, Link, Place, Snapshot, Unit

CENTRE = Place(1, "LKPP", "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", "pusat")
CITY = Place(7, "51.71", "Kota Denpasar", "kota")
UNITS = [
    Unit(90, "LKPP-02", "Deputi Bidang Transformasi Pengadaan Digital", 1),
    Unit(1, "01", "Bagian Pengadaan Barang dan Jasa", 7),
    Unit(2, "02", "Badan Perencanaan Pembangunan Daerah", 7, short_name="Bappeda"),
    Unit(3, "03", "Dinas Pendidikan", 7, short_name="Disdik"),
]


def nat(id_: int, code: str, name: str, url: str, **attrs: Any) -> Item:
    return Item(
        "application",
        id_,
        code,
        name,
        1,
        owner_id=90,
        description=attrs.pop("description", None),
        attrs={"national_role": "mandatory", "acronym": code, "url": url, **attrs},
    )


SIRUP = nat(
    1,
    "SIRUP",
    "SiRUP",
    "https://sirup.lkpp.go.id",
    description="Rencana umum pengadaan barang/jasa pemerintah",
    aliases=["Rencana Umum Pengadaan", "e-RUP"],
)
# Two national systems on one host: the host names neither.
SISKEUDES = nat(2, "SISKEUDES", "Siskeudes", "https://www.bpkp.go.id")
SIMDA = nat(3, "SIMDA", "SIMDA Keuangan", "https://www.bpkp.go.id")


def app(id_: int, name: str, owner: int, url: str | None = None, **fields: Any) -> Item:
    description = fields.pop("description", None)
    return Item(
        "application",
        id_,
        f"APL-{id_}",
        name,
        7,
        owner_id=owner,
        description=description,
        attrs={"national_role": "none", "url": url, **fields},
    )


def catalogue(apps: list[Item], links: list[Link] | None = None) -> Snapshot:
    return Snapshot.build(
        [SIRUP, SISKEUDES, SIMDA, *apps], links=links or [], units=UNITS, places=[CENTRE, CITY]
    )


def unlinked(s: Snapshot) -> list[tuple[str, str, str]]:
    return [
        (f.subjects[0].code, f.subjects[1].code, f.evidence["host"])
        for f in analyze(s, ["national.unlinked_use"])
    ]


def test_a_row_at_the_national_systems_address_is_the_system_in_use() -> None:
    used = app(
        11,
        "SIRUP",
        1,
        "http://sirup.lkpp.go.id/sirup",
        description="Rencana umum pengadaan perangkat daerah",
    )
    again = app(
        12, "SIRUP", 2, "https://sirup.lkpp.go.id/", description="Rencana umum pengadaan Bappeda"
    )
    s = catalogue([used, again])
    assert unlinked(s) == [
        ("APL-11", "SIRUP", "sirup.lkpp.go.id"),
        ("APL-12", "SIRUP", "sirup.lkpp.go.id"),
    ]
    # … and so neither a local copy of it (Pasal 37) nor two local duplicates.
    assert find_overlaps(s) == []
    assert find_duplicates(s) == []
    # The same two rows on a local address are a local build, registered twice.
    local = [
        replace(a, attrs={**a.attrs, "url": "https://sirup.denpasarkota.go.id"})
        for a in s.items.values()
        if a.instansi_id == 7
    ]
    assert [len(c.members) for c in find_duplicates(catalogue(local))] == [2]
    (finding,) = [f for f in analyze(s, ["national.unlinked_use"]) if f.subjects[0].id == 11]
    assert "sirup.lkpp.go.id" in finding.message
    assert "same address" in finding.message_en


def test_a_local_build_a_linked_row_or_a_shared_host_is_not_reported() -> None:
    # A local e-RUP on the city's own domain does the job: an overlap, not a record of use.
    local = app(
        11,
        "e-RUP Denpasar",
        1,
        "https://erup.denpasarkota.go.id",
        description="Rencana umum pengadaan barang/jasa pemerintah daerah",
    )
    # Another system of the same ministry domain is not this one (full hosts only).
    neighbour = app(12, "Monitoring Pengadaan", 1, "https://monev.lkpp.go.id")
    # A host two national systems share (bpkp.go.id) names neither.
    shared = app(13, "Keuangan Desa", 3, "https://www.bpkp.go.id/siskeudes")
    # Once linked to the national entry, a record of use is settled.
    linked = app(14, "SIRUP", 1, "https://sirup.lkpp.go.id")
    s = catalogue([local, neighbour, shared, linked], [Link("channel_of", linked.key, SIRUP.key)])
    assert unlinked(s) == []
    assert [o.local.code for o in find_overlaps(s)] == ["APL-11"]


def test_a_row_at_a_former_address_of_the_national_system_is_the_system_in_use() -> None:
    # Denpasar: two Dapodik rows on the hosts Dapodik had before the ministry was renamed
    # (dapo.dikdasmen.kemdikbud.go.id, dapo.paud-dikmas.kemdikbud.go.id). Without the
    # former addresses they were grouped as one unit's duplicate pair.
    dapodik = nat(
        4,
        "DAPODIK",
        "Dapodik",
        "https://dapo.dikdasmen.go.id",
        former_urls=[
            "https://dapo.dikdasmen.kemdikbud.go.id",
            "https://dapo.paud-dikmas.kemdikbud.go.id",
        ],
    )
    rows = [
        app(
            11,
            "Dapodik Dikdasmen",
            3,
            "http://dapo.dikdasmen.kemdikbud.go.id",
            description="Pendataan satuan pendidikan, peserta didik, pendidik dan tenaga "
            "kependidikan",
        ),
        app(
            12,
            "Dapodik PAUD-Dikmas",
            3,
            "https://dapo.paud-dikmas.kemdikbud.go.id/",
            description="Pendataan satuan pendidikan, peserta didik, pendidik dan tenaga "
            "kependidikan",
        ),
    ]
    s = Snapshot.build([SIRUP, dapodik, *rows], units=UNITS, places=[CENTRE, CITY])
    assert unlinked(s) == [
        ("APL-11", "DAPODIK", "dapo.dikdasmen.kemdikbud.go.id"),
        ("APL-12", "DAPODIK", "dapo.paud-dikmas.kemdikbud.go.id"),
    ]
    assert find_duplicates(s) == []
    # Forget the former addresses and the two rows are a local duplicate pair again.
    current_only = replace(dapodik, attrs={**dapodik.attrs, "former_urls": []})
    s = Snapshot.build([SIRUP, current_only, *rows], units=UNITS, places=[CENTRE, CITY])
    assert unlinked(s) == []
    assert [len(c.members) for c in find_duplicates(s)] == [2]
