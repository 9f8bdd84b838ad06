"""Reviewing analysis findings: who may, what a verdict needs, and what it silences.

The catalogues here are small and built through the services, so every finding the tests
look at comes from a known cause (two registrations of one personnel system, an application
with no hosting) and every change leaves the change record the cache fingerprints read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from catalog.errors import Forbidden, InvalidInput
from catalog.models import AnalysisRun, ChangeRecord, Instansi, Organisation, ReviewDecision
from catalog.queries.findings import ALL, FindingFilter, FindingRow, iter_findings
from catalog.services import create_instansi, create_item, create_organisation, update_item
from catalog.services.analysis import refresh
from catalog.services.context import Actor
from catalog.services.reviews import decide, verdicts_for, withdraw
from tests_support import bearer, client_for, make_user

DUPLICATE = "duplicate.application"


@dataclass
class Small:
    """A city with two units that each registered the personnel system, one of them
    internal, and an unrelated application."""

    engine: Engine
    instansi: Instansi
    kominfo: Organisation
    bkpsdm: Organisation
    simpeg: Any
    sim_kepeg: Any
    other: Any


def build_small(engine: Engine) -> Small:
    actor = Actor(name="penyusun", source="test")
    with Session(engine, expire_on_commit=False) as s:
        inst = create_instansi(s, actor, {"code": "51.71", "name": "Kota Denpasar", "kind": "kota"})
        kominfo = create_organisation(
            s,
            actor,
            {"instansi_id": inst.id, "code": "030801", "name": "Diskominfo", "kind": "dinas"},
        )
        bkpsdm = create_organisation(
            s,
            actor,
            {"instansi_id": inst.id, "code": "030201", "name": "BKPSDM", "kind": "badan"},
        )
        simpeg = create_item(
            s,
            actor,
            "application",
            {
                "owner_id": kominfo.id,
                "name": "SIMPEG",
                "acronym": "SIMPEG",
                "description": "Sistem informasi manajemen kepegawaian untuk data pegawai ASN",
                "reference_code": "RAA.02.02",
            },
        )
        sim_kepeg = create_item(
            s,
            actor,
            "application",
            {
                "owner_id": bkpsdm.id,
                "name": "Sistem Informasi Manajemen Kepegawaian",
                "description": "Pengelolaan data kepegawaian ASN",
                "reference_code": "RAA.02.02",
            },
        )
        other = create_item(
            s,
            actor,
            "application",
            {
                "owner_id": kominfo.id,
                "name": "Portal Pengaduan Warga",
                "description": "Menerima pengaduan masyarakat tentang layanan kota",
            },
        )
    return Small(engine, inst, kominfo, bkpsdm, simpeg, sim_kepeg, other)


@pytest.fixture
def small(sqlite_engine: Engine) -> Small:
    return build_small(sqlite_engine)


def findings(engine: Engine, instansi_id: int, rule: str | None = None, state: str = ALL):
    with Session(engine) as s:
        return list(
            iter_findings(
                s,
                FindingFilter(
                    instansi_ids=[instansi_id],
                    rules={rule} if rule else None,
                    state=state,
                ),
            )
        )


def analyse(engine: Engine, instansi_id: int) -> list[int]:
    with Session(engine) as s:
        return refresh(s, [instansi_id]).analysed


def the_duplicate(small: Small, state: str = ALL) -> FindingRow:
    rows = findings(small.engine, small.instansi.id, DUPLICATE, state)
    assert len(rows) == 1, [r.key for r in rows]
    return rows[0]


def reviewer(small: Small) -> Actor:
    from catalog.access import principal_for
    from catalog.models import User

    user_id, _ = make_user(small.engine, "arsitek", "arsitek", instansi_id=small.instansi.id)
    with Session(small.engine) as s:
        principal = principal_for(s, s.get(User, user_id))
    return Actor(name="Arsitek", source="test", user_id=user_id, principal=principal)


def test_a_reviewed_finding_stays_silent_after_re_analysis_and_returns_when_its_evidence_changes(
    small: Small,
) -> None:
    assert analyse(small.engine, small.instansi.id) == [small.instansi.id]
    finding = the_duplicate(small)
    assert finding.state.value == "open"
    assert {s["code"] for s in finding.subjects} == {small.simpeg.code, small.sim_kepeg.code}
    arsitek = reviewer(small)
    with Session(small.engine) as s:
        decide(
            s,
            arsitek,
            key=finding.key,
            verdict="not_duplicate",
            reason="SIMPEG Diskominfo hanya mengelola akun, bukan data kepegawaian.",
            evidence_hash=finding.evidence_hash,
        )

    # An unrelated change: the instansi is really analysed again, the verdict still holds.
    with Session(small.engine) as s:
        update_item(
            s,
            Actor(name="penyusun", source="test"),
            "application",
            small.other.id,
            {"description": "Menerima dan menindaklanjuti pengaduan warga"},
        )
    assert analyse(small.engine, small.instansi.id) == [small.instansi.id]
    assert findings(small.engine, small.instansi.id, DUPLICATE, "pending") == []
    silent = the_duplicate(small, "reviewed")
    assert silent.evidence_hash == finding.evidence_hash and silent.review is not None

    # The evidence changes (a member's description now shares more words): it comes back,
    # carrying the old verdict.
    with Session(small.engine) as s:
        update_item(
            s,
            Actor(name="penyusun", source="test"),
            "application",
            small.sim_kepeg.id,
            {"description": "Sistem kepegawaian: data pegawai ASN, gaji dan cuti pegawai"},
        )
    assert analyse(small.engine, small.instansi.id) == [small.instansi.id]
    back = findings(small.engine, small.instansi.id, DUPLICATE, "pending")
    assert [r.key for r in back] == [finding.key]
    assert back[0].state.value == "reopened"
    assert back[0].evidence_hash != finding.evidence_hash
    assert back[0].review is not None and str(back[0].review.verdict) == "not_duplicate"
    assert back[0].review.evidence_hash == finding.evidence_hash

    # The verdict is in the history: one review change record naming both subjects, and it
    # shows in the change feed.
    with Session(small.engine) as s:
        records = list(
            s.execute(select(ChangeRecord).where(ChangeRecord.object_kind == "review")).scalars()
        )
    assert len(records) == 1 and records[0].action == "review"
    assert records[0].after["verdict"] == "not_duplicate"
    assert {records[0].source_ref, records[0].target_ref} == {
        f"application:{small.simpeg.id}",
        f"application:{small.sim_kepeg.id}",
    }
    _, token = make_user(small.engine, "pembaca", "arsitek", instansi_id=small.instansi.id)
    with client_for(small.engine) as c:
        feed = c.get(
            "/api/v1/changes",
            params={"instansi": small.instansi.code, "per_page": 100},
            headers=bearer(token),
        )
    assert feed.status_code == 200, feed.text
    assert [i["action"] for i in feed.json()["items"]].count("review") == 1


def test_a_verdict_does_not_make_its_own_finding_stale(small: Small) -> None:
    analyse(small.engine, small.instansi.id)
    finding = the_duplicate(small)
    with Session(small.engine) as s:
        decide(s, reviewer(small), key=finding.key, verdict="consolidate", reason="Satukan.")
    # Neither the verdict nor the account that gave it is a catalogue change.
    assert analyse(small.engine, small.instansi.id) == []


def test_a_verdict_needs_a_reason_and_a_verdict_that_fits_the_finding(small: Small) -> None:
    analyse(small.engine, small.instansi.id)
    arsitek = reviewer(small)
    duplicate = the_duplicate(small)
    hosting = findings(small.engine, small.instansi.id, "coverage.application_without_hosting")
    assert hosting, "an application with no hosting is a coverage finding"
    with Session(small.engine) as s:
        with pytest.raises(InvalidInput) as err:
            decide(s, arsitek, key=duplicate.key, verdict="not_duplicate", reason="   ")
        assert [p.field for p in err.value.problems] == ["reason"]
        assert "alasan" in err.value.problems[0].message.lower()
        assert "reason" in err.value.problems[0].message_en.lower()
        with pytest.raises(InvalidInput) as err:
            decide(s, arsitek, key=hosting[0].key, verdict="not_duplicate", reason="Bukan.")
        assert [p.field for p in err.value.problems] == ["verdict"]
        decide(s, arsitek, key=hosting[0].key, verdict="accepted_risk", reason="Cloud pusat.")
        assert s.execute(select(ReviewDecision)).scalars().one().rule == hosting[0].rule
    assert [v.value for v in verdicts_for("duplicate")] == [
        "consolidate",
        "shared_application",
        "not_duplicate",
        "accepted_risk",
    ]


def test_only_an_architect_of_the_instansi_or_an_admin_may_review(small: Small) -> None:
    from catalog.access import principal_for
    from catalog.models import User

    analyse(small.engine, small.instansi.id)
    finding = the_duplicate(small)
    with Session(small.engine, expire_on_commit=False) as s:
        other = create_instansi(
            s,
            Actor(name="x", source="test"),
            {"code": "51.03", "name": "Badung", "kind": "kabupaten"},
        )
    operator_id, _ = make_user(
        small.engine, "operator", "operator", organisation_id=small.kominfo.id
    )
    stranger_id, _ = make_user(small.engine, "asing", "arsitek", instansi_id=other.id)
    for user_id in (operator_id, stranger_id):
        with Session(small.engine) as s:
            principal = principal_for(s, s.get(User, user_id))
            actor = Actor(name="x", source="test", user_id=user_id, principal=principal)
            with pytest.raises(Forbidden):
                decide(s, actor, key=finding.key, verdict="consolidate", reason="Satukan.")
    with Session(small.engine) as s:
        assert s.execute(select(ReviewDecision)).first() is None
    # The command line acts with full rights.
    with Session(small.engine) as s:
        decide(
            s, Actor(name="admin", source="cli"), key=finding.key, verdict="consolidate", reason="x"
        )


def test_a_new_verdict_supersedes_and_withdrawing_reopens(small: Small) -> None:
    analyse(small.engine, small.instansi.id)
    finding = the_duplicate(small)
    arsitek = reviewer(small)
    with Session(small.engine) as s:
        first = decide(s, arsitek, key=finding.key, verdict="consolidate", reason="Satukan.")
        again = decide(s, arsitek, key=finding.key, verdict="consolidate", reason="Satukan.")
        assert again.id == first.id  # the same verdict twice is remembered once
        second = decide(
            s, arsitek, key=finding.key, verdict="shared_application", reason="Dipakai bersama."
        )
        assert second.revision == 2
        withdraw(s, arsitek, key=finding.key, note="Perlu dibahas lagi.")
    with Session(small.engine) as s:
        rows = list(s.execute(select(ReviewDecision).order_by(ReviewDecision.revision)).scalars())
    assert [(r.revision, r.is_current, r.end_reason) for r in rows] == [
        (1, False, "superseded"),
        (2, False, "withdrawn"),
    ]
    assert the_duplicate(small).state.value == "open"
    with Session(small.engine) as s:
        actions = [
            r.action
            for r in s.execute(
                select(ChangeRecord)
                .where(ChangeRecord.object_kind == "review")
                .order_by(ChangeRecord.id)
            ).scalars()
        ]
    assert actions == ["review", "review", "withdraw_review"]


def test_a_verdict_on_evidence_that_changed_meanwhile_is_refused(small: Small) -> None:
    from catalog.errors import Conflict

    analyse(small.engine, small.instansi.id)
    seen = the_duplicate(small)
    with Session(small.engine) as s:
        update_item(
            s,
            Actor(name="penyusun", source="test"),
            "application",
            small.sim_kepeg.id,
            {"description": "Sistem kepegawaian: data pegawai ASN, gaji dan cuti pegawai"},
        )
    # The cache is stale; the service analyses again before judging.
    with Session(small.engine) as s:
        with pytest.raises(Conflict):
            decide(
                s,
                reviewer(small),
                key=seen.key,
                verdict="consolidate",
                reason="Satukan.",
                evidence_hash=seen.evidence_hash,
            )
        assert s.execute(select(ReviewDecision)).first() is None
        assert s.get(AnalysisRun, small.instansi.id) is not None


def test_a_cluster_that_grows_is_raised_again_showing_the_verdict_on_its_core(
    small: Small,
) -> None:
    from catalog.queries.findings import related_reviews

    analyse(small.engine, small.instansi.id)
    pair = the_duplicate(small)
    with Session(small.engine) as s:
        decide(
            s,
            reviewer(small),
            key=pair.key,
            verdict="shared_application",
            reason="Satu SIMPEG dipakai bersama oleh dua unit.",
        )
    with Session(small.engine, expire_on_commit=False) as s:
        health = create_organisation(
            s,
            Actor(name="penyusun", source="test"),
            {"instansi_id": small.instansi.id, "code": "010201", "name": "Dinkes", "kind": "dinas"},
        )
        third = create_item(
            s,
            Actor(name="penyusun", source="test"),
            "application",
            {
                "owner_id": health.id,
                "name": "SIMPEG Versi Lama",
                "acronym": "SIMPEG",
                "description": "Sistem informasi manajemen kepegawaian: data pegawai ASN",
                "reference_code": "RAA.02.02",
            },
        )
    analyse(small.engine, small.instansi.id)
    (grown,) = findings(small.engine, small.instansi.id, DUPLICATE, "pending")
    assert third.code in {s["code"] for s in grown.subjects} and grown.key != pair.key
    assert grown.state.value == "open"
    with Session(small.engine) as s:
        related = related_reviews(s, grown)
    assert [(str(d.verdict), d.key_hash) for d in related] == [
        ("shared_application", pair.key_hash)
    ]
    with client_for(small.engine) as c:
        detail = c.get(f"/temuan/{small.instansi.code}/{grown.key_hash}")
    assert detail.status_code == 200
    assert "putusan atas susunan sebelumnya" in detail.text
    assert "Aplikasi bersama (bukan duplikasi)" in detail.text
