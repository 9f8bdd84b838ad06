"""Running the rules: every registered check over one snapshot, findings in a fixed order."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable

from catalog.analysis.findings import Finding
from catalog.analysis.rules import CHECKS, RULES, Context
from catalog.analysis.snapshot import Snapshot

# Part of every cached result's fingerprint (catalog.services.analysis): raise it when a
# change to the rules alters what they find on the same catalogue, so that caches made by
# the older code are recomputed rather than served.
ANALYSIS_VERSION = "2"

# The family modules; importing one declares its rules and registers its checks.
FAMILY_MODULES = (
    "duplicates",
    "national",
    "national_use",
    "data",
    "integration",
    "conformance",
    "coverage",
    "risk",
)


def load_rules() -> None:
    for name in FAMILY_MODULES:
        module = f"catalog.analysis.{name}"
        # A family not written yet is skipped, not an error: families arrive one by one.
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def analyze(
    snapshot: Snapshot, rules: Iterable[str] | None = None, *, context: Context | None = None
) -> list[Finding]:
    """Findings of the chosen rules (all by default) over the snapshot, most severe first,
    then by rule, score and subjects: the same catalogue gives the same list.

    ``rules`` may name rule ids (``integration.point_to_point``) or whole families
    (``integration``). Pass a ``context`` (of the same snapshot) to keep what the checks
    computed on the way (clusters, coverage…) for the scorecards.
    """
    load_rules()
    wanted = set(RULES) if rules is None else expand(rules)
    if context is None:
        context = Context(snapshot)
    elif context.snapshot is not snapshot:
        raise ValueError("the context belongs to another snapshot")
    found: list[Finding] = []
    for ids, run in CHECKS:
        if ids & wanted:
            found.extend(f for f in run(context) if f.rule in wanted)
    return sorted(found, key=Finding.sort_key)


def expand(names: Iterable[str]) -> set[str]:
    """Rule ids from ids or family names; unknown names raise ``KeyError`` naming them."""
    load_rules()
    out: set[str] = set()
    unknown = []
    for name in names:
        if name in RULES:
            out.add(name)
            continue
        family = {r for r in RULES if r.split(".", 1)[0] == name}
        if family:
            out |= family
        else:
            unknown.append(name)
    if unknown:
        raise KeyError(", ".join(unknown))
    return out


__all__ = ["ANALYSIS_VERSION", "FAMILY_MODULES", "analyze", "expand", "load_rules"]
