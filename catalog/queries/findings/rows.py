"""A cached finding as it is read: :class:`FindingRow`, its review state and its JSON
form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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
    # The finding's JSON as stored; read on first use of :attr:`body` (an export of
    # ~50,000 findings splices it into its output without reading it, :meth:`to_json`).
    raw_body: str
    review: ReviewDecision | None = None

    @cached_property
    def body(self) -> dict[str, Any]:
        return orjson.loads(self.raw_body)

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
        out.update(self._listing(instansi_code, review_details))
        return out

    def to_json(self, instansi_code: str, *, review_details: bool = True) -> str:
        """:meth:`to_dict` as JSON text, the stored body spliced in as it is (the listing
        fields first; the body never holds them)."""
        head = orjson.dumps(self._listing(instansi_code, review_details)).decode()
        body = self.raw_body.strip()
        return head if body == "{}" else head[:-1] + "," + body[1:]

    def _listing(self, instansi_code: str, review_details: bool) -> dict[str, Any]:
        """What a listing adds to the stored body: where, which family, the review state."""
        return {
            "instansi": instansi_code,
            "family": self.family,
            "state": self.state.value,
            "review": (
                review_dict(self.review, details=review_details)
                if self.review is not None
                else None
            ),
        }


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
        raw_body=finding.body,
        review=review,
    )


__all__ = ["FindingRow", "review_dict", "row_of"]
