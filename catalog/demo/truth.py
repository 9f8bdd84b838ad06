"""What the demo generator planted, written to the truth file: duplicate clusters, national
overlaps, look-alikes (and, from :mod:`catalog.demo.portfolio`, channels), with the held-out
(blind) families that matcher tuning must not see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.demo.plan import InstansiPlan, Planned
from catalog.demo.source import DemoSource, load

if TYPE_CHECKING:
    from catalog.demo.portfolio import Portfolio


def holdout(family_id: str) -> bool:
    """Whether a family is in the matcher's blind held-out set: the families of
    ``applications-blind.yaml``, written by an author who had not read the matcher, and
    never used to tune it (see bench/README.md).

    >>> holdout("kepegawaian")
    False
    """
    return family_id in load().blind


def member(plan: InstansiPlan, app: Planned) -> dict[str, str]:
    return {
        "code": app.code,
        "name": app.fields["name"],
        "owner": plan.units.get(app.refs["owner_id"]).code,
    }


def note_clusters(src: DemoSource, plan: InstansiPlan, pf: Portfolio) -> None:
    """The planted duplicate clusters, into the truth. A family doing the job of another
    (``same_job_as``: every kecamatan's website next to the city's portal and the other
    units' websites) joins that family's cluster, or its one application."""
    clusters = dict(pf.clusters)
    for fam_id in sorted(clusters):
        target = src.families[fam_id].same_job_as
        joined = clusters.get(target) if target else None
        if joined is None and target in pf.original:
            joined = ("same_function", [plan.by_key[pf.original[target]]])
        if joined is not None:
            kind, members = clusters.pop(fam_id)
            clusters[target] = (joined[0], joined[1] + members)
    for fam_id, (kind, members) in sorted(clusters.items()):
        held_out = any(holdout(pf.family_of[m.key]) for m in members)
        plan.note(
            "duplicate_clusters",
            {
                "family": fam_id,
                "kind": kind,
                "split": "holdout" if held_out else "tune",
                "members": [{**member(plan, m), "family": pf.family_of[m.key]} for m in members],
            },
        )


def national_overlaps(src: DemoSource, plan: InstansiPlan, pf: Portfolio) -> None:
    for national_code, family in sorted(src.overlaps.items()):
        for key in pf.apps_by_family.get(family, []):
            app = plan.by_key[key]
            if app.meta.get("channel"):
                continue
            plan.note(
                "national_overlaps",
                {**member(plan, app), "national": national_code, "family": family},
            )


def lookalike_truth(src: DemoSource, plan: InstansiPlan, pf: Portfolio) -> None:
    """Pairs of applications of different families that share an acronym: they must
    not be grouped as duplicates."""
    by_acronym: dict[str, list[Planned]] = {}
    for app in plan.items.get("application", []):
        acr = (app.fields.get("acronym") or "").lower()
        if acr and not app.meta.get("channel"):
            by_acronym.setdefault(acr, []).append(app)
    for acr, apps in sorted(by_acronym.items()):
        fams = {a.meta["family"] for a in apps}
        if len(fams) < 2:
            continue
        for i, a in enumerate(apps):
            for b in apps[i + 1 :]:
                if a.meta["family"] != b.meta["family"]:
                    plan.note(
                        "lookalike_pairs",
                        {
                            "acronym": acr,
                            "members": [member(plan, a), member(plan, b)],
                            "families": [a.meta["family"], b.meta["family"]],
                        },
                    )
