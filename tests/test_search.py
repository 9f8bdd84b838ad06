"""Full-text search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest

from catalog.queries.items import ItemFilter, list_items, search_all
from catalog.services import create_instansi, create_item, create_organisation


@pytest.fixture
def catalogue(session, actor):  # type: ignore[no-untyped-def]
    inst = create_instansi(
        session, actor, {"code": "51.71", "name": "Kota Denpasar", "kind": "kota"}
    )
    unit = create_organisation(
        session, actor, {"instansi_id": inst.id, "code": "030801", "name": "Diskominfo"}
    )
    create_item(
        session,
        actor,
        "application",
        {
            "owner_id": unit.id,
            "name": "SIMPEG (Sistem Informasi Manajemen Kepegawaian)",
            "acronym": "SIMPEG",
        },
    )
    create_item(
        session,
        actor,
        "application",
        {
            "owner_id": unit.id,
            "name": "Antrian Online MPP",
            "description": "Pendaftaran antrean layanan mal pelayanan publik",
        },
    )
    create_item(
        session,
        actor,
        "dataset",
        {"owner_id": unit.id, "name": "Data Pegawai", "description": "Data induk kepegawaian"},
    )
    return inst


def test_prefix_words_across_kinds(session, catalogue) -> None:
    hits = search_all(session, "kepeg")
    kinds = {h.kind for h in hits.items}
    assert hits.total >= 2 and {"application", "dataset"} <= kinds
    assert search_all(session, "antrian mpp").total == 1
    assert search_all(session, "antrian kepegawaian").total == 0  # every word must match
    scoped = search_all(session, "kepeg", instansi_id=catalogue.id)
    assert all(h.item.instansi_id == catalogue.id for h in scoped.items)


def test_list_filter_by_text(session, catalogue) -> None:
    page = list_items(session, "application", ItemFilter(instansi_id=catalogue.id, q="simpeg"))
    assert [a.acronym for a in page.items] == ["SIMPEG"]


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE application; --", '"', "NEAR(a b)", "*", "a OR b", "ä ö ü", ""]
)
def test_hostile_queries_are_harmless(session, catalogue, q) -> None:
    search_all(session, q)
    list_items(session, "application", ItemFilter(q=q))
    assert search_all(session, "simpeg", instansi_id=catalogue.id).total == 1


def test_search_over_http(client, catalogue) -> None:
    answer = client.get("/api/v1/search", params={"q": "pegawai"}).json()
    assert answer["total"] >= 1
    page = client.get("/cari", params={"q": "pegawai"})
    assert page.status_code == 200 and "Data Pegawai" in page.text
