"""Data sets of one generated instansi: each family's data, produced by its first
application (the authoritative source); the copies that duplicated applications keep (the
once-only principle broken, planted in the truth); the yearly statistics that Satu Data
portals publish by hand.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from catalog.demo.plan import InstansiPlan
from catalog.demo.source import DemoSource

if TYPE_CHECKING:
    from catalog.demo.portfolio import Portfolio


def _dataset_fields(t, rng: random.Random, name: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    fmt = (
        t.format
        if t.format in ("csv", "xlsx", "json", "api", "pdf", "shp", "database")
        else "lainnya"
    )
    return {
        "name": (name or t.name)[:300],
        "description": t.description if rng.random() < 0.8 else None,
        "purpose": t.purpose if rng.random() < 0.6 else None,
        "reference_code": t.rad,
        "classification": t.sifat,
        "data_type": t.jenis,
        "update_schedule": t.jadwal,
        "format": fmt,
        "interoperable": fmt in ("json", "api", "csv") or rng.random() < 0.3,
        "is_master": t.master,
        "is_reference": t.reference,
        "status": "active",
    }


def plan_data(
    src: DemoSource, plan: InstansiPlan, pf: Portfolio, rng: random.Random, richness: float = 1.0
) -> None:
    units = plan.units
    steward = units.first("diskominfo")
    for fam_id, app_key in pf.original.items():
        fam = src.families[fam_id]
        for tid in fam.produces:
            t = src.datasets.get(tid)
            if t is None or tid in pf.dataset_of:
                continue
            owner = units.first(t.producer) or plan.by_key[app_key].refs["owner_id"]
            ds = plan.new(
                "dataset",
                _dataset_fields(t, rng),
                owner_id=owner,
                producer_id=owner,
                authoritative_application_id=app_key,
                **({"steward_id": steward} if steward else {}),
            )
            ds.meta.update(template=tid)
            pf.dataset_of[tid] = ds.key
            pf.producer_of[ds.key] = app_key
            plan.relate("produces", app_key, ds.key)
        # Duplicated applications often keep their own copy of the data: once-only broken.
        for dup_key in pf.apps_by_family.get(fam_id, []):
            dup = plan.by_key[dup_key]
            if (
                not dup.meta.get("duplicate_of")
                or dup.refs["owner_id"] == plan.by_key[app_key].refs["owner_id"]
            ):
                continue
            for tid in fam.produces:
                t = src.datasets.get(tid)
                if t is None or tid not in pf.dataset_of or rng.random() > 0.5:
                    continue
                unit = units.get(dup.refs["owner_id"])
                copy = plan.new(
                    "dataset",
                    _dataset_fields(t, rng, name=f"{t.name} {unit.short or unit.name}"),
                    owner_id=unit.key,
                    producer_id=unit.key,
                    authoritative_application_id=dup.key,
                    **({"steward_id": steward} if steward else {}),
                )
                copy.meta.update(template=tid, copy_of=pf.dataset_of[tid])
                pf.producer_of[copy.key] = dup.key
                plan.relate("produces", dup.key, copy.key)
                original = plan.by_key[pf.dataset_of[tid]]
                plan.note(
                    "data_duplicates",
                    {
                        "template": tid,
                        "members": [
                            {
                                "code": original.code,
                                "owner": units.get(original.refs["owner_id"]).code,
                            },
                            {"code": copy.code, "owner": unit.code},
                        ],
                    },
                )
    # Statistics compiled by hand and published as files, one data set per year as Satu
    # Data portals do: no application produces them.
    produced = {tid for f in src.families.values() for tid in f.produces}
    for tid, t in src.datasets.items():
        if tid in produced or tid in pf.dataset_of:
            continue
        owner = units.first(t.producer)
        if owner is None:
            continue
        for year in (2021, 2022, 2023, 2024):
            if rng.random() < 0.6 * richness:
                ds = plan.new(
                    "dataset",
                    _dataset_fields(t, rng, name=f"{t.name} Tahun {year}"),
                    owner_id=owner,
                    producer_id=owner,
                    **({"steward_id": steward} if steward else {}),
                )
                ds.meta.update(template=tid, year=year)
    _sector_statistics(plan, rng, steward, richness)


def _sector_statistics(
    plan: InstansiPlan, rng: random.Random, steward: str | None, richness: float
) -> None:
    """Each urusan's yearly statistics, published by the first unit that holds it."""
    seen: set[str] = set()
    for unit in plan.units.units:
        if unit.parent is not None:
            continue
        for sector in unit.sectors:
            if sector in seen or not sector.startswith("RAB."):
                continue
            seen.add(sector)
            for year in (2023, 2024):
                if rng.random() < 0.7 * richness:
                    ds = plan.new(
                        "dataset",
                        {
                            "name": f"Statistik Sektoral {unit.name} {plan.place.place} {year}"[
                                :300
                            ],
                            "description": f"Kumpulan tabel statistik sektoral urusan yang "
                            f"diampu {unit.name}, tahun {year}.",
                            "reference_code": "RAD" + sector[3:],
                            "classification": "terbuka",
                            "data_type": "statistik",
                            "update_schedule": "tahunan",
                            "format": rng.choice(["xlsx", "csv", "pdf"]),
                            "interoperable": False,
                            "status": "active",
                        },
                        owner_id=unit.key,
                        producer_id=unit.key,
                        **({"steward_id": steward} if steward else {}),
                    )
                    ds.meta.update(sector=sector, year=year)
