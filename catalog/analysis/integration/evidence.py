"""How the integration findings name what they are about: an application looked up by
id, an item's label in the message, its reference in the evidence, and the subjects of a
finding (only the items in scope)."""

from __future__ import annotations

from collections.abc import Iterable

from catalog.analysis.findings import Subject
from catalog.analysis.rules import Context
from catalog.analysis.snapshot import Item, Snapshot


def application(snapshot: Snapshot, app_id: int | None) -> Item | None:
    return snapshot.items.get(("application", app_id)) if app_id is not None else None


def label(item: Item | None, fallback: str = "?") -> str:
    if item is None:
        return fallback
    acronym = item.attrs.get("acronym")
    return f"{item.code} {acronym or item.name}"


def ref(snapshot: Snapshot, item: Item | None) -> dict[str, str] | None:
    """An item as the evidence names it: code, name and instansi (national items too)."""
    if item is None:
        return None
    place = snapshot.places.get(item.instansi_id)
    return {
        "code": item.code,
        "name": item.name,
        "instansi": place.code if place else str(item.instansi_id),
    }


def local_subjects(ctx: Context, candidates: Iterable[Item | None]) -> list[Subject]:
    snapshot = ctx.snapshot
    return [ctx.subject(i) for i in candidates if i is not None and snapshot.in_scope(i)]


__all__ = ["application", "label", "local_subjects", "ref"]
