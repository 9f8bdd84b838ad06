"""The analysis pages as a person uses them: the findings list and its filters, a duplicate
cluster side by side, integration gaps, impact, the review queue with its form, the rule
table; and no page load analysing more than the one instansi it shows."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session
from test_analysis_api import impact_world
from test_forms import form_of, sign_in
from test_reviews import Small, analyse, build_small

from catalog.analysis.rules import RULES
from catalog.models import AnalysisRun, Instansi, ReviewDecision
from catalog.services import create_instansi, update_item
from catalog.services.context import Actor
from tests_support import client_for, make_user

ACTOR = Actor(name="penyusun", source="test")


@pytest.fixture
def small(sqlite_engine: Engine) -> Small:
    world = build_small(sqlite_engine)
    analyse(sqlite_engine, world.instansi.id)
    make_user(sqlite_engine, "arsitek", "arsitek", instansi_id=world.instansi.id)
    return world


def page(client: Any, url: str, status: int = 200) -> str:
    answer = client.get(url)
    assert answer.status_code == status, (url, answer.text[-1500:])
    return html.unescape(answer.text)


def test_findings_list_and_its_filters(small: Small) -> None:
    code = small.instansi.code
    with client_for(small.engine) as c:
        sign_in(c, "arsitek")
        everything = page(c, f"/temuan?instansi={code}")
        assert small.simpeg.name in everything and small.other.name in everything
        duplicates = page(c, f"/temuan?instansi={code}&rule=duplicate.application")
        assert small.simpeg.name in duplicates and small.other.name not in duplicates
        coverage = page(c, f"/temuan?instansi={code}&family=coverage&severity=low")
        assert "coverage.application_without_hosting" in coverage
        assert "duplicate.application" not in coverage.split("<main")[1].split("<form")[0]
        unit = page(c, f"/temuan?instansi={code}&opd={small.bkpsdm.code}")
        assert small.sim_kepeg.name in unit and small.other.name not in unit
        assert page(c, f"/temuan?instansi={code}&rule=tidak.ada", 422)
        english = page(c, f"/temuan?instansi={code}&lang=en")
        assert "Analysis findings" in english


def test_duplicate_cluster_page_compares_members_side_by_side(small: Small) -> None:
    from catalog.queries.findings import key_digest

    with client_for(small.engine) as c:
        sign_in(c, "arsitek")
        listing = page(c, f"/temuan?instansi={small.instansi.code}&rule=duplicate.application")
        key = f"duplicate.application|application:{small.instansi.code}/{small.simpeg.code}"
        key += f"|application:{small.instansi.code}/{small.sim_kepeg.code}"
        url = f"/temuan/{small.instansi.code}/{key_digest(key)}"
        assert url in listing
        detail = page(c, url)
    members = detail.split("Perbandingan anggota")[1].split("</table>")[0]
    for app in (small.simpeg, small.sim_kepeg):
        assert app.name in members and app.description in members
        assert f'href="/aplikasi/{app.id}"' in members
    assert small.kominfo.name in members and small.bkpsdm.name in members
    assert "SIMPEG = sistem informasi manajemen kepegawaian" in detail  # the evidence
    assert 'action="/tinjauan/putusan"' in detail


def test_integration_gap_page_on_the_demo_city(demo_city_engine: Engine) -> None:
    with Session(demo_city_engine) as s:
        city = s.execute(select(Instansi).where(Instansi.kind == "kota")).scalar_one()
    with client_for(demo_city_engine) as c:
        text = page(c, f"/temuan/integrasi?instansi={city.code}")
    # Every integration rule has its section, and the demo's planted gaps show up in some.
    integration_rules = [r for r in RULES if r.startswith("integration.")]
    assert integration_rules and all(r in text for r in integration_rules)
    assert "Celah integrasi" in text
    with Session(demo_city_engine) as s:
        run = s.get(AnalysisRun, city.id)
        assert run is not None and run.summary["by_family"].get("integration", 0) > 0


def test_impact_page_lists_what_depends_on_an_item(small: Small) -> None:
    w = impact_world(small)
    with client_for(small.engine) as c:
        public = page(c, f"/infrastruktur/{w['server'].id}/dampak")
        sign_in(c, "arsitek")
        inside = page(c, f"/infrastruktur/{w['server'].id}/dampak")
        page(c, "/aplikasi/999999/dampak", 404)
    for item in (small.other, w["service"], w["process"], w["data"]):
        assert item.name in public and item.name in inside
    assert w["reader"].name in inside and w["reader"].name not in public
    assert "1 item terdampak tidak ditampilkan" in public


def test_review_queue_and_posting_a_verdict(small: Small) -> None:
    operator = make_user(small.engine, "operator", "operator", organisation_id=small.kominfo.id)
    assert operator
    with client_for(small.engine) as c:
        anonymous = c.get("/tinjauan", follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
        sign_in(c, "operator")
        page(c, "/tinjauan", 403)
    with client_for(small.engine) as c:
        sign_in(c, "arsitek")
        queue = page(c, "/tinjauan?family=duplicate")
        assert small.simpeg.name in queue and "Antrean tinjauan" in queue
        # No reason: the form comes back with the problem and what was typed; nothing saved.
        missing = form_of(queue, "/tinjauan/putusan", verdict="not_duplicate", reason="")
        refused = c.post("/tinjauan/putusan", data=missing, follow_redirects=False)
        assert refused.status_code == 422
        assert "alasan" in html.unescape(refused.text).lower()
        # Without the CSRF token: refused.
        forged = form_of(queue, "/tinjauan/putusan", verdict="consolidate", reason="x")
        forged.pop("csrf_token")
        assert c.post("/tinjauan/putusan", data=forged).status_code in (400, 403)
        with Session(small.engine) as s:
            assert s.execute(select(ReviewDecision)).first() is None
        good = form_of(
            queue, "/tinjauan/putusan", verdict="not_duplicate", reason="Fungsi berbeda."
        )
        saved = c.post("/tinjauan/putusan", data=good, follow_redirects=False)
        assert saved.status_code == 303, saved.text[-1500:]
        after = page(c, "/tinjauan?family=duplicate")
        assert small.simpeg.name not in after.split("<main")[1]
        reviewed = page(c, f"/temuan?instansi={small.instansi.code}&state=reviewed")
        assert small.simpeg.name in reviewed and "Bukan duplikasi" in reviewed
    with Session(small.engine) as s:
        decision = s.execute(select(ReviewDecision)).scalar_one()
    assert decision.reason == "Fungsi berbeda." and decision.decided_by_name == "Arsitek"


def test_rule_table_page(small: Small) -> None:
    with client_for(small.engine) as c:
        text = page(c, "/aturan")
        english = page(c, "/aturan?lang=en")
    for rule in RULES.values():
        assert rule.id in text and rule.title in text and rule.why in text
        assert rule.title_en in english


def test_pages_read_the_cache_and_say_when_it_is_stale(small: Small) -> None:
    """A list across instansi never analyses: it shows what is stored and names what is
    outdated. A list of one instansi analyses that one (a city is cheap)."""
    with Session(small.engine, expire_on_commit=False) as s:
        other = create_instansi(s, ACTOR, {"code": "51.03", "name": "Badung", "kind": "kabupaten"})
        computed = s.get(AnalysisRun, small.instansi.id).computed_at
    with client_for(small.engine) as c:
        everywhere = page(c, "/temuan?instansi=semua")
        assert "1 instansi belum dianalisis atau hasilnya usang" in everywhere
        with Session(small.engine) as s:
            update_item(s, ACTOR, "application", small.other.id, {"name": "Portal Aduan Kota"})
        stale = page(c, "/temuan?instansi=semua")
        assert "2 instansi belum dianalisis atau hasilnya usang" in stale
        assert small.other.name in stale and "Portal Aduan Kota" not in stale
        with Session(small.engine) as s:
            assert s.get(AnalysisRun, other.id) is None
            assert s.get(AnalysisRun, small.instansi.id).computed_at == computed
        one = page(c, f"/temuan?instansi={small.instansi.code}")
        assert "Baru saja dianalisis ulang" in one and "Portal Aduan Kota" in one
        assert "belum dianalisis atau hasilnya usang" not in one
        again = page(c, f"/temuan?instansi={small.instansi.code}")
        assert "Baru saja dianalisis ulang" not in again
    with Session(small.engine) as s:
        assert s.get(AnalysisRun, other.id) is None


def test_registration_form_shows_ranked_look_alikes_with_their_evidence(small: Small) -> None:
    from catalog.models import Application

    make_user(small.engine, "op.bkpsdm", "operator", organisation_id=small.bkpsdm.id)
    with Session(small.engine) as s:
        before = len(s.execute(select(Application.id)).all())
    with client_for(small.engine) as c:
        sign_in(c, "op.bkpsdm")
        action = "/aplikasi/baru"
        draft = form_of(
            c.get(action).text,
            action,
            owner_id=small.bkpsdm.id,
            name="Sistem Informasi Kepegawaian",
            description="Pengelolaan data pegawai ASN",
            reference_code="RAA.02.02",
        )
        answer = c.post(action, data=draft, follow_redirects=False)
        assert answer.status_code == 200, answer.text[-2000:]
        text = html.unescape(answer.text)
        box = text.split('class="similar"')[1].split("</section>")[0]
        assert f'href="/aplikasi/{small.sim_kepeg.id}"' in box
        assert "kemiripan nama" in box and "uraian memuat kata yang sama" in box
        assert "Pasal 37" in box  # the national personnel system, with the legal reason
        with Session(small.engine) as s:
            assert len(s.execute(select(Application.id)).all()) == before
        english = c.post(f"{action}?lang=en", data=draft, follow_redirects=False)
        assert "name similarity" in html.unescape(english.text)
        confirmed = form_of(answer.text, action, confirm_similar="1")
        saved = c.post(action, data=confirmed, follow_redirects=False)
        assert saved.status_code == 303
    with Session(small.engine) as s:
        assert len(s.execute(select(Application.id)).all()) == before + 1


def test_scorecard_pages_mark_the_indicator_levels_as_estimates(small: Small) -> None:
    code = small.instansi.code
    with client_for(small.engine) as c:
        whole = page(c, f"/skor?instansi={code}")
        unit = page(c, f"/skor?instansi={code}&opd={small.bkpsdm.code}")
        everywhere = page(c, "/skor?instansi=semua")
        findings = page(c, f"/temuan?instansi={code}")
        english = page(c, f"/skor?instansi={code}&lang=en")  # the language sticks: last
    assert "Perkiraan tingkat indikator SPBE" in whole and "bukan hasil evaluasi SPBE" in whole
    assert "Indikator 11" in whole and "Indikator 18" in whole
    assert small.kominfo.name in whole and small.bkpsdm.name in whole
    assert f"/skor?instansi={code}&opd={small.bkpsdm.code}" in whole
    assert small.bkpsdm.name in unit and f"/temuan?instansi={code}&opd={small.bkpsdm.code}" in unit
    assert small.kominfo.name not in unit.split("<main")[1]
    assert "Estimated SPBE indicator levels" in english and "not an SPBE evaluation" in english
    assert small.instansi.name in everywhere and "Indikator" in everywhere
    assert f"/skor?instansi={code}" in findings
