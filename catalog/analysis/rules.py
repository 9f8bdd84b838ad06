"""The rule table and the checks that implement it.

Every rule has a stable id (``family.name``), a severity, what it checks, why it matters
under SPBE, and how a unit clears it, in Indonesian and English. Family modules declare
their rules with :func:`rule` and register a check function with :func:`check`; the engine
(:mod:`catalog.analysis.engine`) runs the checks. ``katalog analyze --rules`` and the rule
page print the table, and ``catalog/analysis/RULES.md`` is generated from it (a test keeps
the file current).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from catalog.analysis.findings import SEVERITIES, Finding, Subject
from catalog.analysis.snapshot import Item, Link, Snapshot

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: str
    title: str
    title_en: str
    why: str
    why_en: str
    clear: str
    clear_en: str

    def finding(
        self,
        subjects: Iterable[Subject],
        message: str,
        message_en: str,
        *,
        evidence: dict[str, Any] | None = None,
        score: float | None = None,
        severity: str | None = None,
    ) -> Finding:
        """A finding of this rule; the suggested action is the rule's way to clear it."""
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            subjects=tuple(subjects),
            message=message,
            message_en=message_en,
            action=self.clear,
            action_en=self.clear_en,
            evidence=evidence or {},
            score=score,
        )


RULES: dict[str, Rule] = {}
FAMILIES: dict[str, tuple[str, str]] = {
    "duplicate": ("Duplikasi aplikasi", "Duplicate applications"),
    "national": ("Tumpang tindih Aplikasi Umum", "Aplikasi Umum overlap"),
    "data": ("Duplikasi data", "Data duplication"),
    "integration": ("Celah integrasi", "Integration gaps"),
    "conformance": ("Kesesuaian referensi", "Reference conformance"),
    "coverage": ("Kelengkapan", "Coverage"),
    "risk": ("Risiko dan dampak", "Risk and impact"),
}


def rule(id: str, severity: str, title: str, title_en: str, *, why: str, why_en: str,
         clear: str, clear_en: str) -> Rule:  # fmt: skip
    """Declare a rule (once, at import of its family module)."""
    family = id.split(".", 1)[0]
    if family not in FAMILIES:
        raise ValueError(f"unknown rule family {family!r} in {id!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r} in {id!r}")
    if id in RULES:
        raise ValueError(f"rule {id!r} declared twice")
    RULES[id] = Rule(id, family, severity, title, title_en, why, why_en, clear, clear_en)
    return RULES[id]


T = TypeVar("T")


class Context:
    """What checks share: the snapshot, and the graphs built from it once, on demand."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        from catalog.analysis.graph import build_graph

        return build_graph(self.snapshot)

    @cached_property
    def dependencies(self) -> nx.DiGraph:
        from catalog.analysis.graph import dependencies

        return dependencies(self.graph)

    @cached_property
    def live_by_kind(self) -> dict[str, list[Item]]:
        """Live items in scope, per kind, in snapshot order: one pass shared by the checks
        (a pass over a national snapshot costs ~50 ms)."""
        out: dict[str, list[Item]] = {}
        scope = self.snapshot.scope
        for item in self.snapshot.items.values():
            if item.instansi_id in scope and item.live:
                out.setdefault(item.kind, []).append(item)
        return out

    @cached_property
    def links_by_type(self) -> dict[str, list[Link]]:
        """Relations per type, in snapshot order (shared like :attr:`live_by_kind`)."""
        out: dict[str, list[Link]] = {}
        for link in self.snapshot.links:
            out.setdefault(link.type, []).append(link)
        return out

    def shared(self, name: str, build: Callable[[], T]) -> T:
        """A value computed once per run and shared by every check that asks for it by
        ``name`` (the duplicate clusters, the domain coverage…): checks of different
        families, and the scorecards, need the same intermediate results."""
        cache: dict[str, Any] = self.__dict__.setdefault("_shared", {})
        if name not in cache:
            cache[name] = build()
        return cache[name]

    def subject(self, item: Item) -> Subject:
        return Subject.of(item, self.snapshot)

    def subjects(self, items: Iterable[Item]) -> list[Subject]:
        return [self.subject(i) for i in items]


Check = Callable[[Context], Iterable[Finding]]
CHECKS: list[tuple[frozenset[str], Check]] = []


def check(*rule_ids: str) -> Callable[[Check], Check]:
    """Register a check producing findings of these rules."""

    def register(fn: Check) -> Check:
        unknown = [r for r in rule_ids if r not in RULES]
        if unknown:
            raise ValueError(f"check {fn.__name__} names undeclared rules {unknown}")
        CHECKS.append((frozenset(rule_ids), fn))
        return fn

    return register


def rule_table_markdown() -> str:
    """The rule table as Markdown (RULES.md and the documentation)."""
    lines = [
        "# Aturan analisis / Analysis rules",
        "",
        "Dibuat dari `catalog/analysis/` (`python -m catalog.analysis.rule_table`); jangan diubah "
        "tangan. / Generated from the rule declarations; do not edit by hand.",
        "",
    ]
    for family, (title, title_en) in FAMILIES.items():
        rules = sorted((r for r in RULES.values() if r.family == family), key=lambda r: r.id)
        if not rules:
            continue
        lines += [f"## {title} / {title_en}", ""]
        lines.append(
            "| id | tingkat | apa / what | mengapa / why (SPBE) "
            "| cara menyelesaikan / how to clear |"
        )
        lines += ["|---|---|---|---|---|"]
        for r in rules:
            lines.append(
                f"| `{r.id}` | {r.severity} | {r.title}<br>*{r.title_en}* "
                f"| {r.why}<br>*{r.why_en}* | {r.clear}<br>*{r.clear_en}* |"
            )
        lines.append("")
    return "\n".join(lines)


__all__ = ["CHECKS", "FAMILIES", "RULES", "Check", "Context", "Rule", "check", "rule",
           "rule_table_markdown"]  # fmt: skip
