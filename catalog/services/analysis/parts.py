"""One batch snapshot split into the snapshots of its instansi, each exactly what loading
that instansi alone would give."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from catalog.analysis.snapshot import Snapshot


def _parts(snapshot: Snapshot, instansi_ids: Iterable[int]) -> Iterator[tuple[int, Snapshot]]:
    """One snapshot per instansi out of a batch snapshot: its own items, units and links
    plus the national context, in the order the loader gave them, so that a batch yields
    the very snapshots that loading each instansi alone would (rules may depend on the
    order they meet items in)."""
    context = {p for p, place in snapshot.places.items() if place.is_central}

    def grouped(rows: Iterable[tuple[int | None, Any]]) -> dict[int | None, list[Any]]:
        """Rows grouped by instansi (None: the national context), each group keeping
        the rows' original positions for merging."""
        out: dict[int | None, list[Any]] = defaultdict(list)
        for n, (inst, row) in enumerate(rows):
            out[None if inst in context else inst].append((n, row))
        return out

    items = grouped((item.instansi_id, (key, item)) for key, item in snapshot.items.items())
    owner_of = {key: item.instansi_id for key, item in snapshot.items.items()}

    def link_place(link: Any) -> int | None:
        # A relation is stored with its source's instansi: the part of the source's
        # instansi gets it, as loading that instansi alone would (dangling end included).
        for end in (link.source, link.target):
            inst = owner_of.get(end)
            if inst is not None and inst not in context:
                return inst
        return None

    links = grouped((link_place(link), link) for link in snapshot.links)
    units = grouped((unit.instansi_id, unit) for unit in snapshot.units.values())
    local_refs = grouped((inst, ((inst, code), ref)) for (inst, code), ref in _local_refs(snapshot))
    for inst in instansi_ids:
        # replace(): whatever else a snapshot carries (the reference set…) is shared.
        yield (
            inst,
            replace(
                snapshot,
                items=dict(_merged(items.get(inst, []), items.get(None, []))),
                links=list(_merged(links.get(inst, []), links.get(None, []))),
                units={u.id: u for u in _merged(units.get(inst, []), units.get(None, []))},
                scope=frozenset({inst}),
                **(
                    {
                        "local_references": dict(
                            _merged(local_refs.get(inst, []), local_refs.get(None, []))
                        )
                    }
                    if hasattr(snapshot, "local_references")
                    else {}
                ),
            ),
        )


def _local_refs(snapshot: Snapshot) -> Iterator[tuple[tuple[int, str], Any]]:
    """Each instansi's own reference codes (absent from older snapshots)."""
    yield from getattr(snapshot, "local_references", {}).items()


def _merged(a: list[tuple[int, Any]], b: list[tuple[int, Any]]) -> Iterator[Any]:
    return (row for _, row in heapq.merge(a, b, key=lambda pair: pair[0]))
