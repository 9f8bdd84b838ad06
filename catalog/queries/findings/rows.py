"""A cached finding as it is read: :class:`FindingRow`, its review state and its JSON
form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from catalog.enums import FindingState
from catalog.models import AnalysisFinding, ReviewDecision


@dataclass
class FindingRow:
    """A cached finding, its state and the verdict behind that state."""

    id: int
    instansi_id: int
    rule: str
    family: str
    severity: str
    key_hash: str
    evidence_hash: str
    score: float | None
    body: dict[str, Any]
    review: ReviewDecision | None = None

    @property
    def state(self) -> FindingState:
        if self.review is None:
            return FindingState.OPEN
        if self.review.evidence_hash == self.evidence_hash:
            return FindingState.REVIEWED
        return FindingState.REOPENED

    @property
    def key(self) -> str:
        return str(self.body.get("key", ""))

    @property
    def subjects(self) -> list[dict[str, Any]]:
        return list(self.body.get("subjects", []))

    @property
    def evidence(self) -> dict[str, Any]:
        return dict(self.body.get("evidence", {}))

    def to_dict(self, instansi_code: str, *, review_details: bool = True) -> dict[str, Any]:
        """The finding as the CLI and the API give it (``schemas/findings.schema.json``).
        Without ``review_details``, only the verdict itself: who decided and why is for
        people who read the instansi."""
        out = dict(self.body)
        out["instansi"] = instansi_code
        out["family"] = self.family
        out["state"] = self.state.value
        out["review"] = (
            review_dict(self.review, details=review_details) if self.review is not None else None
        )
        return out


def review_dict(review: ReviewDecision, *, details: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "verdict": str(review.verdict),
        "evidence_hash": review.evidence_hash,
        "decided_at": review.decided_at.isoformat(),
        "revision": review.revision,
    }
    if details:
        out["reason"] = review.reason
        out["decided_by"] = review.decided_by_name
    return out


def row_of(finding: AnalysisFinding, review: ReviewDecision | None) -> FindingRow:
    return FindingRow(
        id=finding.id,  # type: ignore[arg-type]
        instansi_id=finding.instansi_id,
        rule=finding.rule,
        family=finding.family,
        severity=finding.severity,
        key_hash=finding.key_hash,
        evidence_hash=finding.evidence_hash,
        score=finding.score,
        body=orjson.loads(finding.body),
        review=review,
    )


__all__ = ["FindingRow", "review_dict", "row_of"]
