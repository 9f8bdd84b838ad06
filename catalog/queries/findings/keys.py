"""Finding keys: the indexed digest of a key, and the finding a key names."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlmodel import Session

from catalog.models import AnalysisFinding
from catalog.queries.findings.filters import F


def find_by_key(session: Session, key: str) -> AnalysisFinding | None:
    """The cached finding with this key, in whichever instansi (a key names its subjects'
    instansi, and findings never cross one)."""
    return session.execute(
        select(F).where(F.key_hash == key_digest(key)).order_by(F.instansi_id, F.position).limit(1)
    ).scalar_one_or_none()


def key_digest(key: str) -> str:
    """The indexed form of a finding key (keys of big clusters are long).

    >>> key_digest("x|application:35.78/APL-1") == key_digest("x|application:35.78/APL-1")
    True
    >>> len(key_digest("x"))
    32
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


__all__ = ["find_by_key", "key_digest"]
