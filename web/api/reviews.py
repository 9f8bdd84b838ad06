"""Architects' verdicts on findings: give one, withdraw it, read a finding's history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from catalog.errors import NotFound
from catalog.models import ReviewDecision
from catalog.queries.findings import find_by_key, instansi_codes, key_digest, review_history
from catalog.services.reviews import decide, withdraw
from schemas.findings import ReviewDecisionOut, ReviewIn
from web.auth import ApiWriterDep, PrincipalDep
from web.deps import SessionDep

router = APIRouter()


def decision_out(decision: ReviewDecision, code: str) -> ReviewDecisionOut:
    return ReviewDecisionOut(
        id=decision.id,  # type: ignore[arg-type]
        key=decision.finding_key,
        instansi=code,
        rule=decision.rule,
        verdict=decision.verdict,
        reason=decision.reason,
        evidence_hash=decision.evidence_hash,
        revision=decision.revision,
        is_current=decision.is_current,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by_name,
        ended_at=decision.ended_at,
        end_reason=decision.end_reason,
    )


@router.post(
    "/findings/review",
    response_model=ReviewDecisionOut,
    status_code=201,
    summary="Beri putusan atas temuan / Review a finding",
    responses={409: {"description": "Bukti temuan berubah sejak dilihat / evidence changed"}},
)
def review(session: SessionDep, actor: ApiWriterDep, body: ReviewIn) -> ReviewDecisionOut:
    """Arsitek instansi (atau administrator) memberi putusan: consolidate,
    shared_application, not_duplicate, accepted_risk, dengan alasan. Sertakan
    `evidence_hash` yang Anda lihat: bila bukti sudah berubah, jawabannya 409. / Architects
    review a finding; a changed evidence answers 409."""
    decision = decide(
        session,
        actor,
        key=body.key,
        verdict=body.verdict,
        reason=body.reason,
        evidence_hash=body.evidence_hash,
    )
    code = instansi_codes(session, [decision.instansi_id]).get(decision.instansi_id, "")
    return decision_out(decision, code)


@router.delete(
    "/findings/review",
    response_model=ReviewDecisionOut,
    summary="Cabut putusan / Withdraw a verdict",
)
def withdraw_review(
    session: SessionDep,
    actor: ApiWriterDep,
    key: Annotated[str, Query(min_length=1, description="Kunci temuan")],
    note: Annotated[str | None, Query(description="Catatan pencabutan")] = None,
) -> ReviewDecisionOut:
    """Temuan kembali terbuka; putusannya tetap tercatat di riwayat. / The finding is open
    again; the verdict stays in its history."""
    decision = withdraw(session, actor, key=key, note=note)
    code = instansi_codes(session, [decision.instansi_id]).get(decision.instansi_id, "")
    return decision_out(decision, code)


@router.get(
    "/findings/review",
    response_model=list[ReviewDecisionOut],
    summary="Riwayat putusan sebuah temuan / A finding's verdicts",
)
def review_log(
    session: SessionDep,
    principal: PrincipalDep,
    key: Annotated[str, Query(min_length=1, description="Kunci temuan")],
) -> list[ReviewDecisionOut]:
    """Semua putusan atas temuan ini, terbaru dahulu (untuk yang berhak membaca instansinya).
    / Every verdict on the finding, newest first."""
    cached = find_by_key(session, key)
    digest = key_digest(key)
    instansi_id = (
        cached.instansi_id
        if cached is not None
        else session.execute(
            select(ReviewDecision.instansi_id).where(ReviewDecision.key_hash == digest)
        ).scalar()
    )
    if instansi_id is None or not principal.can_read_instansi(instansi_id):
        raise NotFound(
            "Tidak ada putusan yang dapat Anda lihat untuk temuan ini.",
            "There is no verdict on this finding that you may see.",
            field="key",
            value=key,
        )
    code = instansi_codes(session, [instansi_id]).get(instansi_id, "")
    return [decision_out(d, code) for d in review_history(session, instansi_id, digest)]


__all__ = ["decision_out", "router"]
