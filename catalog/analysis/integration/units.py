"""The units a finding is about: each unit's OPD (top-level ancestor) and a unit as the
subject of a finding. Shared with the conformance, coverage, risk and scorecard code."""

from __future__ import annotations

from catalog.analysis.findings import Subject
from catalog.analysis.snapshot import Snapshot, Unit


def top_units(snapshot: Snapshot) -> dict[int, Unit]:
    """Each unit's top-level ancestor: the OPD it belongs to.

    >>> s = Snapshot(units={1: Unit(1, "01", "Dinas Kesehatan", 9),
    ...                     2: Unit(2, "01.01", "Puskesmas A", 9, parent_id=1)})
    >>> top_units(s)[2].code
    '01'
    """
    units = snapshot.units
    top: dict[int, Unit] = {}
    for unit in units.values():
        chain: list[int] = []
        current = unit
        while True:
            if current.id in top:
                root = top[current.id]
                break
            chain.append(current.id)
            parent = units.get(current.parent_id) if current.parent_id is not None else None
            # A parent in another instansi or a loop would be a data error: stop there.
            if parent is None or parent.instansi_id != current.instansi_id or parent.id in chain:
                root = current
                break
            current = parent
        for member in chain:
            top[member] = root
    return top


def unit_subject(snapshot: Snapshot, unit: Unit) -> Subject:
    """A finding about a unit (not an item) names it as kind ``organisation``."""
    place = snapshot.places.get(unit.instansi_id)
    return Subject(
        kind="organisation",
        id=unit.id,
        code=unit.code,
        name=unit.name,
        instansi=place.code if place else str(unit.instansi_id),
        owner=unit.code,
    )


__all__ = ["top_units", "unit_subject"]
