"""Change records: what an object looked like before and after a write."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from catalog.models import ChangeRecord
from catalog.services.context import Actor

# Bookkeeping columns that change on every write and would only add noise to a diff.
_NOISE = frozenset({"updated_at", "created_at"})


_PLAIN = (str, int, float, bool, type(None))


def jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: checked first, as this runs for every field
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: SQLModel, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Column values of a row, JSON-safe, without bookkeeping timestamps."""
    data = {
        col.key: jsonable(getattr(obj, col.key))
        for col in obj.__table__.columns  # type: ignore[attr-defined]
        if col.key not in _NOISE
    }
    if extra:
        data.update(jsonable(extra))
    return data


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Fields whose value differs, in a stable order.

    >>> changed_fields({"name": "a", "version": 1}, {"name": "b", "version": 2})
    ['name']
    """
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return [k for k in keys if k != "version" and before.get(k) != after.get(k)]


def record_change(
    session: Session,
    actor: Actor,
    action: str,
    object_kind: str,
    obj: SQLModel,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str | None = None,
) -> ChangeRecord:
    record = ChangeRecord(
        actor_id=actor.user_id,
        actor_name=actor.name,
        source=actor.source,
        request_id=actor.request_id,
        action=action,
        object_kind=object_kind,
        object_id=obj.id,  # type: ignore[attr-defined]
        object_code=getattr(obj, "code", None),
        instansi_id=getattr(obj, "instansi_id", None),
        owner_id=getattr(obj, "owner_id", None),
        before=before,
        after=after,
        note=note,
        **relation_refs(after or before or {}) if object_kind == "relation" else {},
    )
    session.add(record)
    return record


def relation_refs(values: dict[str, Any]) -> dict[str, str]:
    """
    >>> relation_refs({"source_kind": "service", "source_id": 3, "target_kind": "application",
    ...                "target_id": 9})
    {'source_ref': 'service:3', 'target_ref': 'application:9'}
    """
    return {
        "source_ref": f"{values['source_kind']}:{values['source_id']}",
        "target_ref": f"{values['target_kind']}:{values['target_id']}",
    }
