"""The analysis API as a script uses it: findings with filters and paging, what anonymous
readers may not see, impact, and reviews."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session
from test_reviews import Small, analyse, build_small

from catalog.models import ReviewDecision
from catalog.services import create_item, link, update_item
from catalog.services.context import Actor
from tests_support import bearer, client_for, make_user

ACTOR = Actor(name="penyusun", source="test")


@pytest.fixture
def small(sqlite_engine: Engine) -> Small:
    world = build_small(sqlite_engine)
    analyse(sqlite_engine, world.instansi.id)
    return world


@pytest.fixture
def arsitek(small: Small) -> str:
    return make_user(small.engine, "arsitek", "arsitek", instansi_id=small.instansi.id)[1]


def get(small: Small, url: str, token: str | None = None, **params: Any) -> Any:
    with client_for(small.engine) as c:
        answer = c.get(url, params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def every(small: Small, token: str | None = None, **params: Any) -> list[dict[str, Any]]:
    return get(small, "/api/v1/findings", token, per_page=500, **params)["items"]


def test_filters_narrow_the_list(small: Small, arsitek: str) -> None:
    code = small.instansi.code
    everything = every(small, arsitek, instansi=code)
    assert len(everything) > 3
    rules = {f["rule"] for f in everything}
    assert {"duplicate.application", "coverage.application_without_hosting"} <= rules
    for params, keep in [
        ({"rule": "duplicate.application"}, lambda f: f["rule"] == "duplicate.application"),
        ({"family": "coverage"}, lambda f: f["family"] == "coverage"),
        ({"severity": "low"}, lambda f: f["severity"] == "low"),
        (
            {"opd": small.bkpsdm.code},
            lambda f: any(
                s.get("owner") == small.bkpsdm.code
                or (s["kind"] == "organisation" and s["code"] == small.bkpsdm.code)
                for s in f["subjects"]
            ),
        ),
        (
            {"kind": "aplikasi", "item": small.other.id},
            lambda f: any(
                s["kind"] == "application" and s["id"] == small.other.id for s in f["subjects"]
            ),
        ),
    ]:
        got = every(small, arsitek, instansi=code, **params)
        expected = [f for f in everything if keep(f)]
        assert got == expected and got, params
    assert every(small, arsitek, instansi="semua") == everything


def test_paging_walks_the_whole_list_once(small: Small, arsitek: str) -> None:
    everything = every(small, arsitek, instansi=small.instansi.code)
    seen: list[str] = []
    page = 1
    while True:
        body = get(small, "/api/v1/findings", arsitek, per_page=2, page=page)
        assert body["total"] == len(everything)
        seen += [f["key"] for f in body["items"]]
        if page >= body["pages"]:
            break
        page += 1
    assert seen == [f["key"] for f in everything]
    assert body["pages"] == (len(everything) + 1) // 2


def test_bad_filters_are_422_naming_the_parameter(small: Small) -> None:
    with client_for(small.engine) as c:
        for params, field in [
            ({"rule": "tidak.ada"}, "rule"),
            ({"severity": "gawat"}, "severity"),
            ({"state": "selesai"}, "state"),
            ({"item": 1}, "kind"),
        ]:
            answer = c.get("/api/v1/findings", params=params)
            assert answer.status_code == 422, (params, answer.text)
            problem = answer.json()["problems"][0]
            assert problem["field"] == field and problem["message"] != problem["message_en"]
        assert c.get("/api/v1/findings", params={"instansi": "99.99"}).status_code == 404


def test_restricted_items_do_not_leak_through_findings(small: Small, arsitek: str) -> None:
    with Session(small.engine, expire_on_commit=False) as s:
        update_item(s, ACTOR, "application", small.sim_kepeg.id, {"is_internal": True})
        secret = create_item(
            s,
            ACTOR,
            "dataset",
            {
                "owner_id": small.bkpsdm.id,
                "name": "Data Rahasia Pegawai",
                "classification": "tertutup",
            },
        )
    analyse(small.engine, small.instansi.id)
    inside = every(small, arsitek, instansi=small.instansi.code, state="all")
    public = every(small, None, instansi=small.instansi.code, state="all")

    def names(findings: list[dict[str, Any]]) -> set[str]:
        return {s["name"] for f in findings for s in f["subjects"]}

    assert {small.sim_kepeg.name, secret.name} <= names(inside)
    assert small.sim_kepeg.name not in names(public) and secret.name not in names(public)
    assert public and len(public) < len(inside)
    body = get(small, "/api/v1/findings", None, state="all")
    assert body["total"] == len(public) and body["counts"]["total"] == len(public)


def impact_world(small: Small) -> dict[str, Any]:
    """server ← application ← service ← process; the application produces a data set an
    internal application reads."""
    owner = {"owner_id": small.kominfo.id}
    with Session(small.engine, expire_on_commit=False) as s:
        server = create_item(
            s, ACTOR, "infrastructure", {**owner, "name": "Server 1", "infra_type": "server"}
        )
        service = create_item(
            s, ACTOR, "service", {**owner, "name": "Layanan Aduan", "target": "masyarakat"}
        )
        process = create_item(s, ACTOR, "process", {**owner, "name": "Penanganan Aduan"})
        data = create_item(
            s, ACTOR, "dataset", {**owner, "name": "Data Aduan", "classification": "terbuka"}
        )
        reader = create_item(
            s, ACTOR, "application", {**owner, "name": "Dasbor Internal", "is_internal": True}
        )
        app = small.other
        link(s, ACTOR, "hosted_on", "application", app.id, "infrastructure", server.id)
        link(s, ACTOR, "delivered_by", "service", service.id, "application", app.id)
        link(s, ACTOR, "supported_by", "process", process.id, "service", service.id)
        link(s, ACTOR, "produces", "application", app.id, "dataset", data.id)
        link(s, ACTOR, "reads", "application", reader.id, "dataset", data.id)
    return {
        "server": server,
        "service": service,
        "process": process,
        "data": data,
        "reader": reader,
    }


def test_impact_lists_transitive_dependents_by_distance(small: Small, arsitek: str) -> None:
    w = impact_world(small)
    body = get(small, f"/api/v1/graph/impact/infrastructure/{w['server'].id}", arsitek)
    levels = {
        level["distance"]: {(i["kind"], i["id"]) for i in level["items"]}
        for level in body["levels"]
    }
    assert levels == {
        1: {("application", small.other.id)},
        2: {("service", w["service"].id), ("dataset", w["data"].id)},
        3: {("process", w["process"].id), ("application", w["reader"].id)},
    }
    assert body["total"] == 5 and body["hidden"] == 0
    assert body["by_kind"] == {"application": 2, "service": 1, "dataset": 1, "process": 1}
    # Nothing depends on the process; the API path names the kind too.
    leaf = get(small, f"/api/v1/graph/impact/processes/{w['process'].id}", arsitek)
    assert leaf["total"] == 0 and leaf["levels"] == []


def test_impact_respects_visibility_and_unknown_ids(small: Small) -> None:
    w = impact_world(small)
    public = get(small, f"/api/v1/graph/impact/infrastructure/{w['server'].id}")
    shown = {(i["kind"], i["id"]) for level in public["levels"] for i in level["items"]}
    assert ("application", w["reader"].id) not in shown
    assert public["hidden"] == 1 and public["total"] == 4
    with client_for(small.engine) as c:
        for url in (
            "/api/v1/graph/impact/application/999999",
            f"/api/v1/graph/impact/application/{w['reader'].id}",  # internal: not for the public
            "/api/v1/graph/impact/kapal/1",
        ):
            answer = c.get(url)
            assert answer.status_code == 404, url
            assert answer.json()["message"] != answer.json()["message_en"]


def duplicate_key(small: Small, token: str) -> dict[str, Any]:
    (finding,) = every(small, token, rule="duplicate.application")
    return finding


def test_only_architects_of_the_instansi_or_admins_review(small: Small, arsitek: str) -> None:
    finding = duplicate_key(small, arsitek)
    operator = make_user(small.engine, "operator", "operator", organisation_id=small.kominfo.id)[1]
    admin = make_user(small.engine, "admin", "admin")[1]
    body = {"key": finding["key"], "verdict": "consolidate", "reason": "Satukan ke BKPSDM."}
    with client_for(small.engine) as c:
        anonymous = c.post("/api/v1/findings/review", json=body)
        assert anonymous.status_code == 403 and "Masuk" in anonymous.json()["message"]
        refused = c.post("/api/v1/findings/review", json=body, headers=bearer(operator))
        assert refused.status_code == 403
        assert refused.json()["message"] != refused.json()["message_en"]
    with Session(small.engine) as s:
        assert s.execute(select(ReviewDecision)).first() is None
    with client_for(small.engine) as c:
        ok = c.post("/api/v1/findings/review", json=body, headers=bearer(arsitek))
        assert ok.status_code == 201, ok.text
        assert ok.json()["verdict"] == "consolidate" and ok.json()["revision"] == 1
        by_admin = c.post(
            "/api/v1/findings/review",
            json={**body, "verdict": "accepted_risk", "reason": "Ditunda ke 2027."},
            headers=bearer(admin),
        )
        assert by_admin.status_code == 201 and by_admin.json()["revision"] == 2
        log = c.get(
            "/api/v1/findings/review", params={"key": finding["key"]}, headers=bearer(arsitek)
        )
        assert [d["verdict"] for d in log.json()] == ["accepted_risk", "consolidate"]


@pytest.mark.parametrize(
    "verdict", ["consolidate", "shared_application", "not_duplicate", "accepted_risk"]
)
def test_each_verdict_needs_a_reason(small: Small, arsitek: str, verdict: str) -> None:
    finding = duplicate_key(small, arsitek)
    with client_for(small.engine) as c:
        for body in (
            {"key": finding["key"], "verdict": verdict},
            {"key": finding["key"], "verdict": verdict, "reason": "  "},
        ):
            answer = c.post("/api/v1/findings/review", json=body, headers=bearer(arsitek))
            assert answer.status_code == 422, answer.text
            problems = answer.json()["problems"]
            assert [p["field"] for p in problems] == ["reason"]
            assert problems[0]["message"] and problems[0]["message_en"]
            assert problems[0]["message"] != problems[0]["message_en"]
        ok = c.post(
            "/api/v1/findings/review",
            json={**body, "reason": "Alasan tertulis.", "evidence_hash": finding["evidence_hash"]},
            headers=bearer(arsitek),
        )
        assert ok.status_code == 201, ok.text
    assert every(small, arsitek, rule="duplicate.application") == []
    (reviewed,) = every(small, arsitek, rule="duplicate.application", state="reviewed")
    assert reviewed["review"]["verdict"] == verdict
    # The public sees that a verdict exists, not who gave it or why.
    (public,) = every(small, None, rule="duplicate.application", state="reviewed")
    assert public["review"]["verdict"] == verdict
    assert public["review"].get("reason") is None and public["review"].get("decided_by") is None


def test_a_verdict_on_changed_evidence_is_409(small: Small, arsitek: str) -> None:
    finding = duplicate_key(small, arsitek)
    with Session(small.engine) as s:
        update_item(
            s,
            ACTOR,
            "application",
            small.sim_kepeg.id,
            {"description": "Sistem kepegawaian: data pegawai ASN, gaji dan cuti pegawai"},
        )
    with client_for(small.engine) as c:
        answer = c.post(
            "/api/v1/findings/review",
            json={
                "key": finding["key"],
                "verdict": "consolidate",
                "reason": "Satukan.",
                "evidence_hash": finding["evidence_hash"],
            },
            headers=bearer(arsitek),
        )
    assert answer.status_code == 409, answer.text
    assert (
        every(small, arsitek, rule="duplicate.application")[0]["evidence_hash"]
        != finding["evidence_hash"]
    )


# -- registration-time check -------------------------------------------------------------

PERSONNEL = {
    "name": "Sistem Informasi Kepegawaian Daerah",
    "description": "Pengelolaan data pegawai ASN: riwayat jabatan dan kepangkatan",
}


def test_creating_with_check_similar_names_the_look_alikes_and_saves_nothing(
    small: Small, arsitek: str
) -> None:
    from catalog.models import Application

    def count() -> int:
        with Session(small.engine) as s:
            return len(s.execute(select(Application.id)).all())

    before = count()
    draft = {**PERSONNEL, "owner": small.bkpsdm.code}
    with client_for(small.engine) as c:
        refused = c.post(
            "/api/v1/applications?check_similar=true", json=draft, headers=bearer(arsitek)
        )
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert body["code"] == "similar_applications" and body["message_en"]
        assert count() == before
        ranked = body["similar"]
        assert {small.simpeg.code, small.sim_kepeg.code} <= {x["code"] for x in ranked}
        scores = [x["score"] for x in ranked if not x["national"]]
        assert scores == sorted(scores, reverse=True)
        for x in ranked:
            assert x["reasons"] and len(x["reasons"]) == len(x["reasons_en"])
            assert x["evidence"]
        local = next(x for x in ranked if x["code"] == small.sim_kepeg.code)
        assert local["evidence"]["shared_name_words"] and local["evidence"]["name_similarity"] > 0
        # The same draft without the check is registered (a script decides).
        created = c.post("/api/v1/applications", json=draft, headers=bearer(arsitek))
        assert created.status_code == 201 and count() == before + 1
        # The next check sees it (what the matcher read is not kept past a change).
        again = c.post(
            "/api/v1/applications?check_similar=true", json=draft, headers=bearer(arsitek)
        )
        assert again.status_code == 409
        assert created.json()["code"] in {x["code"] for x in again.json()["similar"]}
        assert count() == before + 1
        # Nothing alike: registered straight away, check or not.
        clean = c.post(
            "/api/v1/applications?check_similar=true",
            json={"name": "Pemantauan Kualitas Udara", "owner": small.kominfo.code},
            headers=bearer(arsitek),
        )
        assert clean.status_code == 201, clean.text


def test_the_check_endpoint_ranks_local_and_national_candidates_with_evidence(
    small: Small, arsitek: str
) -> None:
    with client_for(small.engine) as c:
        answer = c.post(
            "/api/v1/applications/similar",
            params={"instansi": small.instansi.code},
            json={"name": "SIMPEG", "acronym": "SIMPEG", "owner_id": small.bkpsdm.id},
            headers=bearer(arsitek),
        )
        assert answer.status_code == 200, answer.text
        found = answer.json()
        local = [x for x in found if not x["national"]]
        # The personnel systems, best first, never the unrelated complaints portal.
        assert local and {x["code"] for x in local} <= {small.simpeg.code, small.sim_kepeg.code}
        assert [x["score"] for x in local] == sorted((x["score"] for x in local), reverse=True)
        assert all(abs(x["evidence"]["similarity"] - x["score"]) < 0.006 for x in local)
        office = c.post(
            "/api/v1/applications/similar",
            params={"instansi": small.instansi.code},
            json={"name": "e-Office Persuratan Dinas"},
            headers=bearer(arsitek),
        ).json()
        national = [x for x in office if x["national"]]
        assert [x["code"] for x in national][:1] == ["SRIKANDI"]
        assert any("Pasal 37" in r for r in national[0]["reasons"])
        assert national[0]["evidence"]["national"]["code"] == "SRIKANDI"
        # Unrelated words: nothing.
        none = c.post(
            "/api/v1/applications/similar",
            params={"instansi": small.instansi.code},
            json={"name": "zzz qqq"},
            headers=bearer(arsitek),
        )
        assert none.json() == []


def test_internal_look_alikes_are_not_shown_to_people_who_may_not_see_them(
    small: Small,
) -> None:
    from catalog.models import Instansi as InstansiModel
    from catalog.services import create_instansi, create_organisation

    with Session(small.engine, expire_on_commit=False) as s:
        update_item(s, ACTOR, "application", small.sim_kepeg.id, {"is_internal": True})
        badung = create_instansi(
            s, ACTOR, {"code": "51.03", "name": "Kabupaten Badung", "kind": "kabupaten"}
        )
        unit = create_organisation(
            s,
            ACTOR,
            {"instansi_id": badung.id, "code": "0101", "name": "Diskominfo", "kind": "dinas"},
        )
        assert s.get(InstansiModel, badung.id) is not None
    outsider = make_user(small.engine, "luar", "operator", organisation_id=unit.id)[1]
    inside = make_user(small.engine, "arsitek", "arsitek", instansi_id=small.instansi.id)[1]
    draft = {"name": "Sistem Informasi Manajemen Kepegawaian", "reference_code": "RAA.02.02"}

    def codes(token: str) -> set[str]:
        with client_for(small.engine) as c:
            answer = c.post(
                "/api/v1/applications/similar",
                params={"instansi": small.instansi.code},
                json=draft,
                headers=bearer(token),
            )
        assert answer.status_code == 200, answer.text
        return {x["code"] for x in answer.json()}

    assert small.sim_kepeg.code in codes(inside)
    # The outsider still gets an answer (the national system), without the internal one.
    assert codes(outsider) == codes(inside) - {small.sim_kepeg.code} != set()


# -- scorecards --------------------------------------------------------------------------


def test_scorecards_of_an_instansi_and_its_opd(small: Small) -> None:
    code = small.instansi.code
    body = get(small, "/api/v1/scorecards", instansi=code)
    (card,) = body["items"]
    assert card["instansi"] == code and card["scorecard"]["instansi_code"] == code
    for metric in ("completeness", "conformance", "duplication", "spl_share", "domains"):
        assert set(card["scorecard"][metric]) >= {"value", "numerator", "denominator"}
    for number in ("11", "18"):
        indicator = card["scorecard"]["indicators"][number]
        assert indicator["estimate"] is True and 0 <= indicator["level"] <= 5
    assert {u["unit_code"] for u in card["units"]} == {small.kominfo.code, small.bkpsdm.code}
    assert "infrastructure" in card["scorecard"]["domains"]["missing"]
    one = get(small, "/api/v1/scorecards", instansi=code, opd=small.bkpsdm.code)
    assert [u["unit_code"] for u in one["items"][0]["units"]] == [small.bkpsdm.code]
    # A catalogue change shows in the next answer (analysed again, not a stale card).
    with Session(small.engine) as s:
        create_item(
            s,
            ACTOR,
            "infrastructure",
            {"owner_id": small.kominfo.id, "name": "Server 1", "infra_type": "server"},
        )
    after = get(small, "/api/v1/scorecards", instansi=code)
    assert after["cache"]["refreshed"] == [code]
    assert "infrastructure" in after["items"][0]["scorecard"]["domains"]["covered"]


def test_scorecards_across_instansi_come_from_the_cache(small: Small) -> None:
    from catalog.models import AnalysisRun
    from catalog.services import create_instansi

    with Session(small.engine, expire_on_commit=False) as s:
        other = create_instansi(s, ACTOR, {"code": "51.03", "name": "Badung", "kind": "kabupaten"})
    body = get(small, "/api/v1/scorecards", instansi="semua")
    assert [c["instansi"] for c in body["items"]] == [small.instansi.code]
    assert body["items"][0]["units"] == [] and body["cache"]["outdated"] == ["51.03"]
    with Session(small.engine) as s:
        assert s.get(AnalysisRun, other.id) is None
    with client_for(small.engine) as c:
        assert c.get("/api/v1/scorecards", params={"instansi": "99.99"}).status_code == 404
        unknown = c.get("/api/v1/scorecards", params={"instansi": small.instansi.code, "opd": "ZZ"})
        assert unknown.status_code == 404


def test_scorecards_say_so_when_the_analysis_has_none(small: Small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import web.api.scorecards

    monkeypatch.setattr(web.api.scorecards, "scorecards_available", lambda: False)
    with client_for(small.engine) as c:
        answer = c.get("/api/v1/scorecards", params={"instansi": small.instansi.code})
    assert answer.status_code == 404 and answer.json()["problems"][0]["field"] == "scorecards"
