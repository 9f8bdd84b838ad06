"""What changed: an item's history field by field, and the instansi-wide change feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlmodel import Session

from catalog.models import ChangeRecord, Organisation
from catalog.queries.items import Page, paginate
from catalog.services.changes import changed_fields

# Fields that say nothing to a reader of a history.
_QUIET = frozenset({"version", "id", "instansi_id"})


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    record: ChangeRecord
    changes: list[FieldChange]


def field_changes(record: ChangeRecord) -> list[FieldChange]:
    """The fields a change touched, with old and new values (all of them on creation)."""
    before, after = record.before or {}, record.after or {}
    if record.before is None or record.after is None:
        values = after if record.before is None else before
        return [
            FieldChange(
                k, None if record.before is None else v, v if record.before is None else None
            )
            for k, v in sorted(values.items())
            if k not in _QUIET and v not in (None, "", [], False)
        ]
    return [FieldChange(f, before.get(f), after.get(f)) for f in changed_fields(before, after)]


def item_history(session: Session, kind: str, item_id: int) -> list[HistoryEntry]:
    """Every change of one item, newest first, including its relations."""
    stmt = (
        select(ChangeRecord)
        .where(
            or_(
                (ChangeRecord.object_kind == kind) & (ChangeRecord.object_id == item_id),
                _relation_of(kind, item_id),
            )
        )
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
    )
    return [HistoryEntry(r, field_changes(r)) for r in session.execute(stmt).scalars()]


def _relation_of(kind: str, item_id: int) -> Any:
    """Change records of relations that start or end at the item."""
    ref = f"{kind}:{item_id}"
    return or_(ChangeRecord.source_ref == ref, ChangeRecord.target_ref == ref)


@dataclass
class FeedFilter:
    instansi_id: int | None = None
    actor: str | None = None
    owner_id: int | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    # Changes to accounts (who holds which role, tokens) are for administrators only.
    include_accounts: bool = False


ACCOUNT_KINDS = ("user", "role_membership", "api_token")


def _feed(session: Session, flt: FeedFilter) -> Select[Any]:
    stmt = select(ChangeRecord)
    if not flt.include_accounts:
        stmt = stmt.where(ChangeRecord.object_kind.not_in(ACCOUNT_KINDS))
    if flt.instansi_id is not None:
        stmt = stmt.where(ChangeRecord.instansi_id == flt.instansi_id)
    if flt.actor:
        stmt = stmt.where(ChangeRecord.actor_name.ilike(f"%{flt.actor.strip()}%"))
    if flt.owner_id is not None:
        org = session.get(Organisation, flt.owner_id)
        subtree = select(Organisation.id).where(
            Organisation.path.startswith(org.path if org else "/-1/")
        )
        stmt = stmt.where(ChangeRecord.owner_id.in_(subtree))
    if flt.kind:
        stmt = stmt.where(ChangeRecord.object_kind == flt.kind)
    if flt.since:
        stmt = stmt.where(ChangeRecord.at >= datetime.combine(flt.since, time.min))
    if flt.until:
        stmt = stmt.where(
            ChangeRecord.at < datetime.combine(flt.until + timedelta(days=1), time.min)
        )
    return stmt


def change_feed(session: Session, flt: FeedFilter, *, page: int = 1, per_page: int = 50) -> Page:
    return paginate(
        session,
        _feed(session, flt),
        [ChangeRecord.at.desc(), ChangeRecord.id.desc()],
        page,
        per_page,
        key=ChangeRecord.id,
    )


def feed_rows(session: Session, flt: FeedFilter, limit: int = 100_000) -> Any:
    """All matching records, newest first, streamed (for CSV export)."""
    stmt = _feed(session, flt).order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc()).limit(limit)
    return session.execute(stmt.execution_options(yield_per=1000)).scalars()
