"""Services and business processes of one generated instansi, and which applications
deliver them.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from catalog.demo.plan import InstansiPlan
from catalog.demo.source import DemoSource

if TYPE_CHECKING:
    from catalog.demo.portfolio import Portfolio


def plan_services(
    src: DemoSource, plan: InstansiPlan, pf: Portfolio, rng: random.Random, richness: float = 1.0
) -> None:
    units = plan.units
    service_of: dict[str, str] = {}
    process_of: dict[str, str] = {}

    def service(sid: str) -> str | None:
        if sid in service_of:
            return service_of[sid]
        t = src.services.get(sid)
        if t is None:
            return None
        owner = units.first(t.owner)
        if owner is None:
            return None
        svc = plan.new(
            "service",
            {
                "name": t.name[:300],
                "purpose": t.purpose,
                "function": t.function if rng.random() < 0.7 else None,
                "target": t.target,
                "method": t.method,
                "reference_code": t.ral,
                "status": "active",
            },
            owner_id=owner,
        )
        svc.meta.update(template=sid)
        service_of[sid] = svc.key
        for pid in t.processes:
            proc = process(pid)
            if proc:
                plan.relate("supported_by", proc, svc.key)
        return svc.key

    def process(pid: str) -> str | None:
        if pid in process_of:
            return process_of[pid]
        t = src.processes.get(pid)
        if t is None:
            return None
        owner = units.first(t.owner)
        if owner is None:
            return None
        proc = plan.new(
            "process",
            {
                "name": t.name[:300],
                "description": t.description if rng.random() < 0.8 else None,
                "goal": t.goal,
                "indicator": t.indicator if rng.random() < 0.7 else None,
                "reference_code": t.rab,
                "state": "to_be" if rng.random() < 0.08 else "as_is",
                "status": "active",
            },
            owner_id=owner,
        )
        process_of[pid] = proc.key
        return proc.key

    for fam_id, keys in pf.apps_by_family.items():
        fam = src.families[fam_id]
        for key in keys:
            app = plan.by_key[key]
            if app.meta.get("channel"):
                continue
            if app.meta.get("duplicate_of") and rng.random() > 0.5:
                continue
            for sid in fam.delivers:
                svc = service(sid)
                if svc:
                    plan.relate("delivered_by", svc, key)
    delivered = {sid for f in src.families.values() for sid in f.delivers}
    for sid in src.services:
        if (
            sid not in service_of
            and (sid not in delivered or rng.random() < 0.5)
            and rng.random() < 0.8 * richness
        ):
            service(sid)
