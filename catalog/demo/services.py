"""Services and business processes of one generated instansi, and which applications
deliver them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from catalog.demo.plan import InstansiPlan
from catalog.demo.source import DemoSource

if TYPE_CHECKING:
    from catalog.demo.portfolio import Portfolio


def plan_services(
    src: DemoSource, plan: InstansiPlan, pf: Portfolio, rng: random.Random, richness: float = 1.0
) -> None:
    made: dict[tuple[str, str], str] = {}  # (kind, template id) → planned item key

    def once(
        kind: str, tid: str, template: Any, fields: Callable[[Any], dict[str, Any]]
    ) -> str | None:
        """The item planned for a template, planned on first use (by its owner role's
        first unit); None when the template or its owner is missing here."""
        if (kind, tid) in made:
            return made[(kind, tid)]
        owner = plan.units.first(template.owner) if template is not None else None
        if owner is None:
            return None
        item = plan.new(kind, {"name": template.name[:300], **fields(template)}, owner_id=owner)
        made[(kind, tid)] = item.key
        return item.key

    def service(sid: str) -> str | None:
        known = ("service", sid) in made
        key = once(
            "service",
            sid,
            src.services.get(sid),
            lambda t: {
                "purpose": t.purpose,
                "function": t.function if rng.random() < 0.7 else None,
                "target": t.target,
                "method": t.method,
                "reference_code": t.ral,
                "status": "active",
            },
        )
        if key and not known:
            plan.by_key[key].meta.update(template=sid)
            for pid in src.services[sid].processes:
                proc = process(pid)
                if proc:
                    plan.relate("supported_by", proc, key)
        return key

    def process(pid: str) -> str | None:
        return once(
            "process",
            pid,
            src.processes.get(pid),
            lambda t: {
                "description": t.description if rng.random() < 0.8 else None,
                "goal": t.goal,
                "indicator": t.indicator if rng.random() < 0.7 else None,
                "reference_code": t.rab,
                "state": "to_be" if rng.random() < 0.08 else "as_is",
                "status": "active",
            },
        )

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
            ("service", sid) not in made
            and (sid not in delivered or rng.random() < 0.5)
            and rng.random() < 0.8 * richness
        ):
            service(sid)
