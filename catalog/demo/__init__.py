"""Realistic synthetic inventories with planted truth (``katalog demo``).

``city``: one kota (≈40 OPD, ≈250 applications). ``province``: a province and its
kabupaten/kota (≈20 instansi, ≈5,000 applications). ``national``: every province,
kabupaten and kota (≈550 Pemda plus the central bodies already in the catalogue,
≈30,000 applications). Region names are real; every inventory item is synthetic.
Deterministic for a given seed: each instansi draws from its own random stream.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.demo.estate import plan_estate, plan_security
from catalog.demo.links import plan_links
from catalog.demo.plan import InstansiPlan, Place, place_of
from catalog.demo.portfolio import plan_portfolio
from catalog.demo.source import DemoSource, load
from catalog.demo.units import plan_units
from catalog.demo.writer import DemoWriter
from catalog.enums import InstansiKind
from catalog.errors import Conflict, InvalidInput
from catalog.models import Instansi
from catalog.services.context import Actor
from catalog.services.maintenance import refresh_statistics
from catalog.services.organisations import create_instansi
from catalog.services.tx import transaction

SCALES = ("city", "province", "national")
GENERATOR_VERSION = 2
TRUTH_SECTIONS = (
    "duplicate_clusters",
    "national_overlaps",
    "lookalike_pairs",
    "channel_groups",
    "data_duplicates",
    "integration_gaps",
)

Progress = Callable[[int, int, str], None]


@dataclass
class Target:
    place: Place
    apps: int
    unit_scale: float


@dataclass
class DemoResult:
    counts: dict[str, int]
    truth: dict[str, Any] = field(default_factory=dict)


def targets(src: DemoSource, scale: str, seed: int) -> list[Target]:
    rng = random.Random(f"{seed}:targets")
    provinces = dict(src.provinces)
    if scale == "city":
        kota = sorted(r for r in src.regencies if r[1].startswith("Kota "))
        code, name = rng.choice(kota)
        return [Target(place_of(code, name, code.split(".")[0]), 250, 1.0)]
    if scale == "province":
        by_province: dict[str, list[tuple[str, str]]] = {}
        for code, name in src.regencies:
            by_province.setdefault(code.split(".")[0], []).append((code, name))
        best = min(abs(len(v) + 1 - 20) for v in by_province.values())
        code = rng.choice(sorted(p for p, v in by_province.items() if abs(len(v) + 1 - 20) == best))
        out = [Target(place_of(code, provinces[code]), 280, 1.0)]
        out += [Target(place_of(c, n, code), 245, 1.0) for c, n in sorted(by_province[code])]
        return out
    if scale == "national":
        out = []
        for code, name in sorted(src.provinces):
            out.append(Target(place_of(code, name), max(40, round(rng.gauss(105, 28))), 0.6))
        for code, name in sorted(src.regencies):
            if name.startswith("Kota "):
                apps, unit_scale = max(25, round(rng.gauss(104, 34))), 0.8
            else:
                apps, unit_scale = max(15, round(rng.gauss(48, 16))), 0.5
            out.append(Target(place_of(code, name, code.split(".")[0]), apps, unit_scale))
        return out
    raise InvalidInput(
        f"Skala '{scale}' tidak dikenal. Pilihan: {', '.join(SCALES)}.",
        f"Unknown scale '{scale}'. Choose one of: {', '.join(SCALES)}.",
        field="scale",
        value=scale,
    )


def build_plan(src: DemoSource, target: Target, seed: int) -> InstansiPlan:
    """Everything about one instansi, decided before anything is written."""
    rng = random.Random(f"{seed}:{target.place.code}")
    units = plan_units(src, target.place.kind, target.place.place, rng, target.unit_scale)
    plan = InstansiPlan(target.place, units)
    pf = plan_portfolio(src, plan, rng, target.apps)
    estate = plan_estate(plan, rng, max(0.25, min(1.0, target.apps / 250)))
    plan_security(plan, rng)
    plan_links(src, plan, pf, rng, estate["spl"])
    return plan


def generate(
    session: Session,
    actor: Actor,
    *,
    scale: str = "city",
    seed: int = 1,
    progress: Progress | None = None,
) -> DemoResult:
    """Fill the catalogue with a demo inventory in one transaction (all or nothing)."""
    src = load()
    chosen = targets(src, scale, seed)
    codes = [t.place.code for t in chosen]
    taken = sorted(session.execute(select(Instansi.code).where(Instansi.code.in_(codes))).scalars())
    if taken:
        raise Conflict(
            f"Katalog sudah berisi instansi {', '.join(taken[:5])}: inventaris demo hanya dibuat "
            "di katalog yang belum memuatnya. Gunakan basis data lain (KATALOG_DATABASE_URL "
            "atau --database).",
            f"The catalogue already holds instansi {', '.join(taken[:5])}: a demo inventory is "
            "only created in a catalogue without it. Use another database.",
            field="scale",
            value=scale,
        )
    truth: dict[str, Any] = {
        "scale": scale,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "instansi": codes,
        "definitions": TRUTH_DEFINITIONS,
    }
    for section in TRUTH_SECTIONS:
        truth[section] = []
    with transaction(session):
        writer = DemoWriter(session, actor)
        for i, target in enumerate(chosen):
            place = target.place
            if progress:
                progress(i, len(chosen), f"{place.name}")
            inst = create_instansi(
                session,
                actor,
                {
                    "code": place.code,
                    "name": place.name if place.kind != "provinsi" else f"Provinsi {place.name}",
                    "short_name": place.pemda,
                    "kind": InstansiKind(place.kind),
                    "parent_code": place.parent_code if place.kind != "provinsi" else None,
                    "website": f"https://{place.domain}",
                },
            )
            plan = build_plan(src, target, seed)
            writer.write(plan, inst.id)  # type: ignore[arg-type]
            for section in TRUTH_SECTIONS:
                for entry in plan.truth.get(section, []):
                    truth[section].append({"instansi": place.code, **entry})
        if progress:
            progress(len(chosen), len(chosen), "selesai / done")
    refresh_statistics(session)
    counts = dict(writer.bulk.counts)
    counts["instansi"] = len(chosen)
    return DemoResult(counts=counts, truth=truth)


TRUTH_DEFINITIONS = {
    "duplicate_clusters": "Applications of one instansi doing the same job (one family, or "
    "two doing one job; each member names its family): built again by other units "
    "(same_function), or once per kelurahan/puskesmas (per_unit). "
    "'split' marks the held-out families that matcher tuning must not see.",
    "national_overlaps": "Local applications doing the job of a national Aplikasi Umum or "
    "mandatory national system (Perpres 95/2018 Pasal 37).",
    "lookalike_pairs": "Applications sharing an acronym but doing different jobs: NOT duplicates.",
    "channel_groups": "Web and mobile channels of one product: one product, NOT duplicates.",
    "data_duplicates": "A data set copied by a duplicated application in another unit.",
    "integration_gaps": "Every planted gap; rules: point_to_point, one_sided, "
    "read_without_integration, shared_without_integration, opd_without_spl.",
}
