"""What the analyses read: a plain, immutable picture of (part of) the catalogue.

Analyses are pure functions of a :class:`Snapshot` (built from the database by
:func:`catalog.queries.snapshot.load_snapshot`, or by hand in tests and examples), so that
the same catalogue always gives the same findings, and rules can be tested on a handful of
items without a database.

Items of the national catalogue (central instansi: SRIKANDI, SIPD, SIASN…) are part of
every snapshot as *context*: local applications are compared with them, but they are not
themselves the subject of local findings.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

NodeKey = tuple[str, int]  # (kind, id)


@dataclass(frozen=True, slots=True)
class Unit:
    """An OPD or sub-unit."""

    id: int
    code: str
    name: str
    instansi_id: int
    parent_id: int | None = None
    path: str = ""
    short_name: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """An instansi (a regional government or a central body)."""

    id: int
    code: str
    name: str
    kind: str  # provinsi, kabupaten, kota, pusat

    @property
    def is_central(self) -> bool:
        return self.kind == "pusat"


@dataclass(slots=True, eq=False)
class Item:
    """One catalogue item. ``attrs`` holds the kind's own fields that analyses read (an
    application's acronym, function and URL; an integration's provider and consumer…).
    Treat it as read-only (not frozen only because a frozen class builds ~2x slower, and
    a national snapshot holds 230,000 of them)."""

    kind: str
    id: int
    code: str
    name: str
    instansi_id: int
    owner_id: int | None = None
    status: str = "active"
    reference_code: str | None = None
    description: str | None = None
    source_key: str | None = None
    retired: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> NodeKey:
        return (self.kind, self.id)

    @property
    def live(self) -> bool:
        """In use or about to be: not retired, not inactive."""
        return not self.retired and self.status not in ("retired", "inactive")

    def get(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)


@dataclass(slots=True)
class Link:
    """A typed, directed relation between two items (see catalog.relation_types)."""

    type: str
    source: NodeKey
    target: NodeKey


@dataclass(frozen=True, slots=True)
class ReferenceCode:
    scheme: str
    code: str
    name: str
    level: int
    status: str = "active"  # active, retired, …
    replaced_by: str | None = None


@dataclass
class Snapshot:
    """Items, relations, units and instansi of the analysed scope, plus the national
    context and the active reference set."""

    items: dict[NodeKey, Item] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    units: dict[int, Unit] = field(default_factory=dict)
    places: dict[int, Place] = field(default_factory=dict)
    references: dict[str, ReferenceCode] = field(default_factory=dict)
    # The instansi whose items are analysed; the others (central bodies) are context.
    scope: frozenset[int] = frozenset()
    # Each instansi's own codes (level 4 and below, outside the national set).
    local_references: dict[tuple[int, str], ReferenceCode] = field(default_factory=dict)

    def of_kind(self, kind: str, *, context: bool = False) -> Iterator[Item]:
        """Items of one kind in scope (with ``context``, the national ones too)."""
        for item in self.items.values():
            if item.kind == kind and (context or item.instansi_id in self.scope):
                yield item

    def in_scope(self, item: Item) -> bool:
        return item.instansi_id in self.scope

    def unit_code(self, unit_id: int | None) -> str | None:
        unit = self.units.get(unit_id) if unit_id is not None else None
        return unit.code if unit else None

    def place_of(self, item: Item) -> Place | None:
        return self.places.get(item.instansi_id)

    @classmethod
    def build(
        cls,
        items: Iterable[Item],
        links: Iterable[Link] = (),
        units: Iterable[Unit] = (),
        places: Iterable[Place] = (),
        references: Iterable[ReferenceCode] = (),
        scope: Iterable[int] | None = None,
        local_references: Iterable[tuple[int, ReferenceCode]] = (),
    ) -> Snapshot:
        """A snapshot from plain lists (tests, examples). Without ``scope``, every
        non-central instansi is in scope.

        >>> s = Snapshot.build(
        ...     [Item("application", 1, "APL-1", "SIMPEG", 10)],
        ...     places=[Place(10, "35.78", "Kota Surabaya", "kota")],
        ... )
        >>> [i.code for i in s.of_kind("application")]
        ['APL-1']
        """
        places_by_id = {p.id: p for p in places}
        items_by_key = {i.key: i for i in items}
        if scope is None:
            scope = {
                i.instansi_id
                for i in items_by_key.values()
                if not (places_by_id.get(i.instansi_id) and places_by_id[i.instansi_id].is_central)
            }
        return cls(
            items=items_by_key,
            links=list(links),
            units={u.id: u for u in units},
            places=places_by_id,
            references={r.code: r for r in references},
            scope=frozenset(scope),
            local_references={(inst, r.code): r for inst, r in local_references},
        )


T = TypeVar("T")


def per_snapshot(build: Callable[[Snapshot], T]) -> Callable[[Snapshot], T]:
    """``build(snapshot)`` computed once and shared by everyone who asks about the same
    snapshot (the checks of one run and the scorecards want the same matcher, overlaps…).
    Only the latest snapshot is kept, weakly: a run analyses one instansi's snapshot after
    another. ``cache_clear()`` forgets it.

    >>> calls = []
    >>> @per_snapshot
    ... def size(s: Snapshot) -> int:
    ...     calls.append(1)
    ...     return len(s.items)
    >>> s = Snapshot()
    >>> size(s), size(s), len(calls)
    (0, 0, 1)
    """
    cache: list[tuple[weakref.ref[Snapshot], T]] = []

    @functools.wraps(build)
    def cached(snapshot: Snapshot) -> T:
        for ref, value in cache:
            if ref() is snapshot:
                return value
        value = build(snapshot)
        cache[:] = [(weakref.ref(snapshot), value)]
        return value

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    return cached


__all__ = [
    "Item",
    "Link",
    "NodeKey",
    "Place",
    "ReferenceCode",
    "Snapshot",
    "Unit",
    "per_snapshot",
]
