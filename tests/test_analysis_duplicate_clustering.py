"""The chain guard of the duplicate clusters (catalog.analysis.duplicates.clustering): a
weak edge that closes no triangle cannot chain two groups together, nor hang on a group an
application that looks little like the rest of it.
"""

from __future__ import annotations

from duplicates_support import app, catalogue

from catalog.analysis.duplicates import STRONG, PairScore, _guard_chains, matcher_for


def _edge(a: int, b: int, score: float) -> PairScore:
    return PairScore(
        a,
        b,
        score,
        name=score,
        text=None,
        shared_words=(),
        shared_text=(),
        acronym=None,
        acronym_expansion=None,
        shared={},
    )


def _groups(edges: list[PairScore]) -> list[list[int]]:
    return sorted(
        sorted({e.a for e in part} | {e.b for e in part}) for part in _guard_chains(edges)
    )


def test_a_weak_bridge_does_not_chain_two_groups() -> None:
    weak = STRONG - 0.15
    two_groups = [_edge(0, 1, 0.95), _edge(2, 3, 0.9), _edge(1, 2, weak)]
    assert _groups(two_groups) == [[0, 1], [2, 3]]
    # A strong bridge does join them…
    assert _groups([*two_groups[:2], _edge(1, 2, 0.9)]) == [[0, 1, 2, 3]]
    # …and so does a weak edge closing a triangle (not a bridge), or hanging one
    # application on a group.
    assert _groups([*two_groups, _edge(0, 2, weak)]) == [[0, 1, 2, 3]]
    assert _groups([_edge(0, 1, 0.95), _edge(1, 2, 0.95), _edge(2, 3, weak)]) == [[0, 1, 2, 3]]


def test_a_loose_end_hung_on_a_group_by_one_weak_edge_is_dropped() -> None:
    websites = [
        app(k, f"Web Kecamatan {place}", k, description="Halaman resmi kecamatan: profil wilayah")
        for k, place in ((1, "Utara"), (2, "Selatan"), (3, "Barat"))
    ]
    news = app(4, "Portal Berita", 4, description="Berita kegiatan pemerintah kota")
    also = app(5, "Situs Kecamatan Timur", 5, description="Halaman resmi kecamatan: profil")
    s = catalogue([*websites, news, also])
    matcher = matcher_for(s)
    i = [matcher.by_key[a.key].index for a in (*websites, news, also)]
    group = [_edge(i[0], i[1], 0.95), _edge(i[1], i[2], 0.95), _edge(i[0], i[2], 0.9)]
    weak = STRONG - 0.15

    def members(edges: list[PairScore]) -> set[int]:
        return {e.a for e in edges} | {e.b for e in edges}

    # The news portal looks like one website (the weak edge), not like the group.
    assert members(matcher._drop_loose_ends([*group, _edge(i[2], i[3], weak)])) == set(i[:3])
    # Another kecamatan's website looks like all of them: it stays.
    kept = matcher._drop_loose_ends([*group, _edge(i[2], i[4], weak)])
    assert members(kept) == {*i[:3], i[4]}
    # A strong edge is never second-guessed.
    strong = matcher._drop_loose_ends([*group, _edge(i[2], i[3], STRONG)])
    assert members(strong) == {*i[:4]}


def test_a_star_of_weak_edges_whose_every_leaf_is_loose_makes_no_cluster() -> None:
    hub = app(1, "Sistem Antrian", 1, description="Antrian pelayanan")
    leaves = [
        app(2, "Portal Berita", 2, description="Berita kegiatan pemerintah kota"),
        app(3, "Aplikasi Gaji", 3, description="Penghitungan gaji pegawai"),
        app(4, "Parkir Online", 4, description="Retribusi parkir tepi jalan"),
    ]
    matcher = matcher_for(catalogue([hub, *leaves]))
    centre = matcher.by_key[hub.key].index
    weak = STRONG - 0.15
    star = [_edge(centre, matcher.by_key[leaf.key].index, weak) for leaf in leaves]
    # Each leaf looks like the hub only: all three go, and no empty cluster is left.
    assert matcher._cluster(star) == []
