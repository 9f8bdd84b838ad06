"""Planning the units (OPD and sub-units) of one generated Pemda."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from catalog.demo.source import DemoSource


@dataclass
class PlannedUnit:
    key: str
    code: str
    name: str
    short: str | None
    kind: str
    parent: str | None
    roles: tuple[str, ...]
    sectors: tuple[str, ...] = ()


@dataclass
class UnitPlan:
    units: list[PlannedUnit] = field(default_factory=list)
    # role → unit keys holding it (several for kecamatan, kelurahan, puskesmas)
    by_role: dict[str, list[str]] = field(default_factory=dict)
    by_key: dict[str, PlannedUnit] = field(default_factory=dict)

    def add(self, unit: PlannedUnit) -> None:
        self.units.append(unit)
        self.by_key[unit.key] = unit
        for role in unit.roles:
            self.by_role.setdefault(role, []).append(unit.key)

    def first(self, role: str) -> str | None:
        keys = self.by_role.get(role)
        return keys[0] if keys else None

    def get(self, key: str) -> PlannedUnit:
        return self.by_key[key]


_DIRECTIONS = ("Utara", "Selatan", "Timur", "Barat", "Tengah")


def plan_units(
    src: DemoSource, kind: str, place: str, rng: random.Random, scale: float = 1.0
) -> UnitPlan:
    """Units of a Pemda of ``kind`` named after ``place``; parents come before children.

    ``scale`` shrinks the number of kecamatan, kelurahan and puskesmas for smaller
    instansi in the national inventory.
    """
    plan = UnitPlan()
    template: list[dict[str, Any]] = src.units[kind]
    present = {e["role"] for e in template}
    merged: dict[str, dict[str, Any]] = {}
    for variant in src.merged:
        roles = variant["roles"]
        if any(r in merged for r in roles) or not all(r in present for r in roles):
            continue
        if not all(src.roles[r].applies_to(kind) for r in roles):
            continue
        if rng.random() < 0.25:
            for r in roles:
                merged[r] = variant
    places = rng.sample(src.places, k=min(len(src.places), 120))
    used_places = 0
    done_merge: set[int] = set()
    for entry in template:
        role = entry["role"]
        if role in merged:
            variant = merged[role]
            if id(variant) in done_merge:
                # The merged unit already exists; this role is held by it too.
                continue
            done_merge.add(id(variant))
            first = next(e for e in template if e["role"] in variant["roles"])
            unit = PlannedUnit(
                key=f"u:{role}",
                code=first["code"],
                name=variant["name"],
                short=variant.get("short"),
                kind=first["kind"],
                parent=None,
                roles=tuple(variant["roles"]),
                sectors=tuple(
                    s
                    for e in template
                    if e["role"] in variant["roles"]
                    for s in e.get("sectors", [])
                ),
            )
            plan.add(unit)
            _subunits(plan, unit, first)
            continue
        if entry.get("code_prefix"):
            parents = plan.by_role.get(entry["parent"], [None]) if entry.get("parent") else [None]
            counter = 0
            for parent in parents:
                low, high = entry.get("count", [1, 1])
                n = max(1, round(rng.randint(low, high) * scale))
                for _ in range(n):
                    counter += 1
                    if (
                        role == "kecamatan"
                        and kind == "kota"
                        and counter <= len(_DIRECTIONS)
                        and rng.random() < 0.6
                    ):
                        name_place = f"{place} {_DIRECTIONS[counter - 1]}"
                    else:
                        name_place = places[used_places % len(places)]
                        used_places += 1
                    plan.add(
                        PlannedUnit(
                            key=f"u:{role}:{counter}",
                            code=f"{entry['code_prefix']}{counter:02d}",
                            name=entry["name_pattern"].format(place=name_place),
                            short=None,
                            kind=entry["kind"],
                            parent=parent,
                            roles=(role,),
                            sectors=tuple(entry.get("sectors", [])),
                        )
                    )
            continue
        names = entry["names"]
        chosen = names[rng.randrange(len(names))]
        parent_role = entry.get("parent")
        unit = PlannedUnit(
            key=f"u:{role}",
            code=entry["code"],
            name=chosen["name"],
            short=chosen.get("short"),
            kind=entry["kind"],
            parent=plan.first(parent_role) if parent_role else None,
            roles=(role,),
            sectors=tuple(entry.get("sectors", [])),
        )
        plan.add(unit)
        _subunits(plan, unit, entry)
    return plan


def _subunits(plan: UnitPlan, unit: PlannedUnit, entry: dict[str, Any]) -> None:
    for i, sub in enumerate(entry.get("subunits") or [], start=1):
        plan.add(
            PlannedUnit(
                key=f"{unit.key}:sub{i}",
                code=sub["code"],
                name=sub["name"],
                short=sub.get("short"),
                kind=sub.get("kind", "upt"),
                parent=unit.key,
                roles=(),
                sectors=unit.sectors,
            )
        )
