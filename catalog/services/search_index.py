"""Keeping the full-text search entry of an item in step with the item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from catalog.access import is_restricted
from catalog.kinds import KindSpec
from catalog.models import SearchEntry


def search_body(spec: KindSpec, values: dict[str, Any] | SQLModel) -> str:
    """The text an item is found by: its searchable fields, then its aliases.

    >>> from catalog.kinds import KINDS
    >>> search_body(KINDS["application"], {"name": "SIMPEG", "acronym": None, "code": "A-1",
    ...     "aliases": ["e-Pegawai"]})
    'SIMPEG A-1 e-Pegawai'
    """
    get = values.get if isinstance(values, dict) else lambda k, d=None: getattr(values, k, d)
    parts = [str(v) for f in spec.search_fields if (v := get(f, None))]
    parts.extend(str(a) for a in get("aliases", None) or [])
    return " ".join(parts)


def index_item(session: Session, spec: KindSpec, obj: SQLModel) -> None:
    body = search_body(spec, obj)
    restricted = is_restricted(spec.key, obj)
    entry = session.execute(
        select(SearchEntry).where(SearchEntry.kind == spec.key, SearchEntry.item_id == obj.id)  # type: ignore[attr-defined]
    ).scalar_one_or_none()
    if entry is None:
        session.add(
            SearchEntry(
                kind=spec.key,
                item_id=obj.id,  # type: ignore[attr-defined]
                instansi_id=obj.instansi_id,  # type: ignore[attr-defined]
                body=body,
                restricted=restricted,
            )
        )
    else:
        if entry.body != body:
            entry.body = body
        if entry.restricted != restricted:
            entry.restricted = restricted
