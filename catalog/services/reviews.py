"""Review verdicts on analysis findings: decide and withdraw.

Only the instansi's architects (``arsitek``) and administrators judge findings: a verdict
silences a finding for everyone, so it is a Tim Koordinasi SPBE decision, not a unit's.
Every verdict is a :class:`~catalog.models.ReviewDecision` row (the previous one of the same
finding is ended, never overwritten) and a change record (``object_kind`` ``review``), so
that it shows in the change feed and, through the subjects it names, in their histories.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from catalog.enums import ReviewVerdict, label
from catalog.errors import Conflict, NotFound, ProblemList
from catalog.kinds import KINDS
from catalog.models import ReviewDecision
from catalog.models.base import utcnow
from catalog.queries.findings import (
    FindingRow,
    current_review,
    find_by_key,
    get_finding,
    key_digest,
)
from catalog.services.analysis import ensure_fresh
from catalog.services.changes import record_change, snapshot
from catalog.services.context import Actor
from catalog.services.permissions import deny
from catalog.services.tx import transaction

REASON_MAX = 2000
# Verdicts that say what a *duplicate* really is make sense only for findings about
# several things doing one job; accepting a risk fits every finding.
DUPLICATE_FAMILIES = frozenset({"duplicate", "national", "data"})
VERDICT_FAMILIES: dict[ReviewVerdict, frozenset[str] | None] = {
    ReviewVerdict.CONSOLIDATE: DUPLICATE_FAMILIES,
    ReviewVerdict.SHARED_APPLICATION: DUPLICATE_FAMILIES,
    ReviewVerdict.NOT_DUPLICATE: DUPLICATE_FAMILIES,
    ReviewVerdict.ACCEPTED_RISK: None,
}


def verdicts_for(family: str) -> list[ReviewVerdict]:
    """The verdicts that fit a finding of this family.

    >>> [v.value for v in verdicts_for("conformance")]
    ['accepted_risk']
    """
    return [v for v, fams in VERDICT_FAMILIES.items() if fams is None or family in fams]


def _require_reviewer(actor: Actor, instansi_id: int, action: str) -> None:
    if actor.principal.can_review(instansi_id):
        return
    raise deny(
        actor,
        action,
        "Hanya arsitek instansi ini (Tim Koordinasi SPBE) atau administrator yang dapat "
        "meninjau temuan analisis; operator OPD dan pimpinan dapat melihatnya saja.",
        "Only this instansi's architects (Tim Koordinasi SPBE) or an administrator may "
        "review analysis findings; unit operators and executives can only view them.",
        kind="review",
        instansi_id=instansi_id,
    )


def _finding(session: Session, key: str) -> FindingRow:
    """The finding as the latest analysis of its instansi sees it (analysed again first
    if the catalogue changed since), so that a verdict is given on current evidence."""
    cached = find_by_key(session, key)
    if cached is not None and ensure_fresh(session, cached.instansi_id):
        cached = find_by_key(session, key)
    found = get_finding(session, cached.instansi_id, cached.key_hash) if cached else None
    if found is None:
        raise NotFound(
            "Temuan ini tidak ada dalam hasil analisis terakhir: mungkin sudah selesai "
            "karena katalognya diperbaiki. Muat ulang daftar temuan.",
            "This finding is not in the latest analysis: it may have been cleared by a "
            "change to the catalogue. Reload the list of findings.",
            field="key",
            value=key,
        )
    return found


def _owner_of(session: Session, subjects: list[dict[str, Any]]) -> int | None:
    """The owning unit of the first subject, so that the change feed's unit filter finds
    the verdict."""
    for s in subjects:
        if s.get("kind") == "organisation" and isinstance(s.get("id"), int):
            return int(s["id"])
        spec = KINDS.get(str(s.get("kind")))
        if spec is not None:
            model: Any = spec.model
            owner = session.execute(select(model.owner_id).where(model.id == s.get("id"))).scalar()
            if owner is not None:
                return int(owner)
    return None


def _record(
    session: Session,
    actor: Actor,
    action: str,
    decision: ReviewDecision,
    before: dict[str, Any] | None,
    note: str | None = None,
) -> None:
    record = record_change(
        session, actor, action, "review", decision, before, snapshot(decision), note=note
    )
    record.object_code = decision.rule[:64]
    record.owner_id = _owner_of(session, decision.subjects)
    # The subjects' histories show the verdict: the relation columns name the first two
    # (a pair is the common case: two look-alike applications, an app and the national
    # one it duplicates).
    refs = [f"{s['kind']}:{s['id']}" for s in decision.subjects if "kind" in s and "id" in s]
    record.source_ref = refs[0] if refs else None
    record.target_ref = refs[1] if len(refs) > 1 else None


def decide(
    session: Session,
    actor: Actor,
    *,
    key: str,
    verdict: str | ReviewVerdict,
    reason: str,
    evidence_hash: str | None = None,
) -> ReviewDecision:
    """Give (or change) the verdict on a finding. ``evidence_hash`` is the evidence the
    reviewer saw: if the finding's evidence has changed since, nothing is written and
    :class:`~catalog.errors.Conflict` says so (the reviewer should look again)."""
    finding = _finding(session, key)
    with transaction(session):
        _require_reviewer(actor, finding.instansi_id, "review")
        problems = ProblemList()
        chosen: ReviewVerdict | None = None
        try:
            chosen = ReviewVerdict(str(verdict))
        except ValueError:
            options = ", ".join(v.value for v in ReviewVerdict)
            problems.add(
                "review.verdict",
                f"Putusan '{verdict}' tidak dikenal. Pilihan: {options}.",
                f"Unknown verdict '{verdict}'. Choose one of: {options}.",
                "verdict",
                verdict,
            )
        allowed = verdicts_for(finding.family)
        if chosen is not None and chosen not in allowed:
            problems.add(
                "review.verdict_family",
                f"Putusan '{label(chosen)}' tidak cocok untuk temuan {finding.rule}; yang "
                f"cocok: {', '.join(label(v) for v in allowed)}.",
                f"Verdict '{label(chosen, lang='en')}' does not fit a {finding.rule} finding; "
                f"use: {', '.join(label(v, lang='en') for v in allowed)}.",
                "verdict",
                str(verdict),
            )
        text = (reason or "").strip()
        if not text:
            problems.add(
                "review.reason_required",
                "Tuliskan alasan putusan: pembaca berikutnya perlu tahu mengapa temuan ini "
                "tidak perlu ditindaklanjuti (atau bagaimana akan ditindaklanjuti).",
                "Give the reason for the verdict: the next reader needs to know why this "
                "finding needs no action (or what the action will be).",
                "reason",
            )
        elif len(text) > REASON_MAX:
            problems.add(
                "review.reason_too_long",
                f"Alasan terlalu panjang ({len(text)} karakter; paling banyak {REASON_MAX}).",
                f"The reason is too long ({len(text)} characters; at most {REASON_MAX}).",
                "reason",
                len(text),
            )
        problems.raise_if_any()
        assert chosen is not None
        if evidence_hash and evidence_hash != finding.evidence_hash:
            raise Conflict(
                "Bukti temuan ini berubah sejak Anda membukanya (katalog diubah dan "
                "dianalisis ulang). Periksa bukti terbaru lalu beri putusan lagi.",
                "The evidence of this finding changed since you opened it (the catalogue "
                "was changed and analysed again). Check the new evidence and decide again.",
                field="evidence_hash",
                value=evidence_hash,
                code="evidence_changed",
                details={"current_evidence_hash": finding.evidence_hash},
            )
        previous = current_review(session, finding.key_hash)
        if (
            previous is not None
            and previous.verdict == chosen
            and previous.reason == text
            and previous.evidence_hash == finding.evidence_hash
        ):
            return previous  # the same verdict again: nothing new to remember
        now = utcnow()
        before = snapshot(previous) if previous is not None else None
        if previous is not None:
            previous.is_current = False
            previous.ended_at = now
            previous.ended_by_name = actor.name
            previous.end_reason = "superseded"
            session.flush()
        last = session.execute(
            select(func.max(ReviewDecision.revision)).where(
                ReviewDecision.instansi_id == finding.instansi_id,
                ReviewDecision.key_hash == finding.key_hash,
            )
        ).scalar()
        decision = ReviewDecision(
            instansi_id=finding.instansi_id,
            finding_key=finding.key,
            key_hash=finding.key_hash,
            rule=finding.rule,
            verdict=chosen,
            reason=text,
            evidence_hash=finding.evidence_hash,
            evidence=finding.evidence,
            subjects=finding.subjects,
            revision=(last or 0) + 1,
            decided_at=now,
            decided_by_id=actor.user_id,
            decided_by_name=actor.name,
        )
        session.add(decision)
        session.flush()
        _record(session, actor, "review", decision, before)
        return decision


def withdraw(
    session: Session, actor: Actor, *, key: str, note: str | None = None
) -> ReviewDecision:
    """Take back the current verdict on a finding: it is open again (and its history
    keeps the verdict)."""
    with transaction(session):
        current = current_review(session, key_digest(key))
        if current is None:
            raise NotFound(
                "Temuan ini belum diberi putusan, jadi tidak ada yang dapat dicabut.",
                "This finding has no verdict, so there is nothing to withdraw.",
                field="key",
                value=key,
            )
        _require_reviewer(actor, current.instansi_id, "withdraw_review")
        before = snapshot(current)
        current.is_current = False
        current.ended_at = utcnow()
        current.ended_by_name = actor.name
        current.end_reason = "withdrawn"
        current.withdraw_note = (note or "").strip()[:REASON_MAX] or None
        session.flush()
        _record(session, actor, "withdraw_review", current, before, note=current.withdraw_note)
        return current


__all__ = ["REASON_MAX", "VERDICT_FAMILIES", "decide", "verdicts_for", "withdraw"]
