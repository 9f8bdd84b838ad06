"""Findings: what an analysis reports, in one format for every rule.

A finding names its rule (a stable id from the rule table), the items it is about, the
evidence that triggered it (numbers and matched attributes, JSON-able), a message and a
suggested action in Indonesian and English. Its :attr:`Finding.key` identifies "the same
finding" across runs and catalogues (rule + the subjects' instansi and codes, never
database ids), so that an architect's verdict sticks to it; its
:attr:`Finding.evidence_hash` changes when the evidence does, which reopens the verdict.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from catalog.analysis.snapshot import Item, Snapshot

SEVERITIES = ("high", "medium", "low", "info")


@dataclass(frozen=True, slots=True)
class Subject:
    """An item a finding is about, as a person (and a re-import) recognises it."""

    kind: str
    id: int
    code: str
    name: str
    instansi: str
    owner: str | None = None  # owning unit's code
    source_key: str | None = None

    @classmethod
    def of(cls, item: Item, snapshot: Snapshot) -> Subject:
        place = snapshot.place_of(item)
        return cls(
            kind=item.kind,
            id=item.id,
            code=item.code,
            name=item.name,
            instansi=place.code if place else str(item.instansi_id),
            owner=snapshot.unit_code(item.owner_id),
            source_key=item.source_key,
        )

    @property
    def ref(self) -> str:
        """``kind:INSTANSI/CODE``, stable across catalogues."""
        return f"{self.kind}:{self.instansi}/{self.code}"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "instansi": self.instansi,
            "owner": self.owner,
        }
        if self.source_key:
            out["source_key"] = self.source_key
        return out


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    subjects: tuple[Subject, ...]
    message: str
    message_en: str
    action: str
    action_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    # For ranking within a rule (e.g. a duplicate cluster's similarity), 0..1.
    score: float | None = None

    @cached_property
    def key(self) -> str:
        """Rule and subjects, order-free: the identity a review verdict attaches to.

        >>> s = Subject("application", 1, "APL-1", "SIMPEG", "35.78")
        >>> Finding("x", "low", (s,), "m", "m", "a", "a").key
        'x|application:35.78/APL-1'
        """
        return "|".join([self.rule, *sorted(s.ref for s in self.subjects)])

    @cached_property
    def evidence_hash(self) -> str:
        """A short digest of the evidence: a reviewed finding comes back when it changes."""
        canonical = json.dumps(self.evidence, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "key": self.key,
            "subjects": [s.to_dict() for s in self.subjects],
            "evidence": self.evidence,
            "evidence_hash": self.evidence_hash,
            "message": self.message,
            "message_en": self.message_en,
            "action": self.action,
            "action_en": self.action_en,
        }
        if self.score is not None:
            out["score"] = round(self.score, 3)
        return out

    def sort_key(self) -> tuple[int, str, float, str]:
        return (SEVERITIES.index(self.severity), self.rule, -(self.score or 0.0), self.key)


__all__ = ["SEVERITIES", "Finding", "Subject"]
