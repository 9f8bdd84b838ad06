"""Scorecards: how complete and sound an instansi's architecture is, per instansi and OPD.

Pure: a :class:`~catalog.analysis.rules.Context` in, plain JSON-able dicts out (stored
with the cached findings, shown on the OPD page and at ``/api/v1/scorecards``). Not
findings: no check is registered. One pass over the snapshot counts every instansi and
OPD at once (cached on the context), so scorecards for all 552 instansi of a national
catalogue cost one pass, not 552.

:func:`scorecards` returns::

    {
      "instansi": {
        "instansi_id", "instansi_code", "instansi_name",
        <metrics>,
        "indicators": {
          "11": {"name", "name_en", "estimate": true, "level": int 0..5,
                 "criteria": [{"level", "id", "met": true|false|null, "text", "text_en",
                               "evidence": {...}}, ...]},
          "18": {... the same shape ...},
        },
      },
      "units": [{"unit_id", "unit_code", "unit_name", <metrics>}, ...],   # top-level OPD
    }

where ``<metrics>`` are, each ``{"value": float 0..1 | null, "numerator": int,
"denominator": int}`` (``value`` is ``null`` when there is nothing to count):

``completeness``
    Live items whose required fields are all filled (:data:`REQUIRED`): an owner, a
    description, a reference code where the kind's scheme has codes, and per kind what the
    analyses need (hosting for an application, a producer for a data set, a delivering
    application for an electronic service, the infrastructure type).
``conformance``
    Live items of coded kinds whose reference code is valid and not retired (the same
    judgement as the ``conformance.*`` rules).
``duplication``
    Live local applications that are in a duplicate cluster or overlap a national system
    (lower is better; the clusters and overlaps of :mod:`~catalog.analysis.duplicates`
    and :mod:`~catalog.analysis.national`, not recomputed).
``spl_share``
    Live integrations (with an application of the unit at either end, for an OPD) that run
    through an SPL (:func:`catalog.analysis.integration.bypass_reason`).
``domains``
    Domains of the six covered (:class:`catalog.analysis.coverage.Coverage`), with
    ``covered`` and ``missing`` lists beside the figure.

Indicator levels are **estimates**: see :mod:`catalog.analysis.indicators`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.analysis.conformance import ReferenceJudge
from catalog.analysis.conformance import coded_schemes as _coded_schemes
from catalog.analysis.coverage import DOMAINS, Coverage
from catalog.analysis.indicators import indicator_11, indicator_18
from catalog.analysis.integration import bypass_reason, top_units
from catalog.analysis.rules import Context
from catalog.analysis.snapshot import Item, Unit
from catalog.kinds import SCHEME_OF_KIND

#: Fields (attributes) every live item of a kind should have filled, besides its owner,
#: description and reference code. ``@…`` names a relation the item needs instead.
REQUIRED: dict[str, tuple[str, ...]] = {
    "process": (),
    "service": ("@delivered_by",),
    "dataset": ("@producer",),
    "application": ("@hosting",),
    "infrastructure": ("infra_type",),
    "security": ("control_type",),
}
#: Services delivered without an application need none (primer §3: metode).
_OFFLINE_METHODS = frozenset(("non_elektronik", "nonelektronik", "manual", "offline"))


@dataclass
class Tally:
    """Counts for one instansi or OPD."""

    items: int = 0
    complete: int = 0
    coded: int = 0
    valid: int = 0
    apps: int = 0
    duplicated: int = 0
    integrations: int = 0
    through_spl: int = 0
    national_integrations_through_spl: int = 0
    integrating_opd: set[int] = field(default_factory=set)
    opd_with_spl: set[int] = field(default_factory=set)


@dataclass
class _Counts:
    instansi: dict[int, Tally]
    opd: dict[int, Tally]
    coverage: Coverage
    # Each instansi's OPD (top-level units), in code order.
    opd_of: dict[int, list[Unit]]


def metric(numerator: int, denominator: int) -> dict[str, Any]:
    """A share as scorecards carry it.

    >>> metric(3, 4)
    {'value': 0.75, 'numerator': 3, 'denominator': 4}
    >>> metric(0, 0)["value"] is None
    True
    """
    value = round(numerator / denominator, 4) if denominator else None
    return {"value": value, "numerator": numerator, "denominator": denominator}


def _counts(ctx: Context) -> _Counts:
    cache = vars(ctx)
    if "_scorecard_counts" not in cache:
        cache["_scorecard_counts"] = _count(ctx)
    return cache["_scorecard_counts"]


def _count(ctx: Context) -> _Counts:
    from catalog.analysis.duplicates import clusters_of
    from catalog.analysis.national import overlaps_of

    snapshot = ctx.snapshot
    items = snapshot.items
    tops = top_units(snapshot)
    links = ctx.links_by_type
    hosted = {link.source for link in links.get("hosted_on", ())}
    delivered = {link.source for link in links.get("delivered_by", ())}
    produced = {link.target for link in links.get("produces", ())}
    coded = _coded_schemes(snapshot)
    judge = ReferenceJudge(snapshot)
    duplicated = {m.item.key for c in clusters_of(ctx) for m in c.members}
    duplicated.update(o.local.key for o in overlaps_of(ctx))

    by_instansi: dict[int, Tally] = defaultdict(Tally)
    by_opd: dict[int, Tally] = defaultdict(Tally)

    def tallies(item: Item) -> Iterable[Tally]:
        yield by_instansi[item.instansi_id]
        top = tops.get(item.owner_id) if item.owner_id is not None else None
        if top is not None and top.instansi_id == item.instansi_id:
            yield by_opd[top.id]

    for kind in DOMAINS:
        needs_code = SCHEME_OF_KIND.get(kind) in coded
        for item in ctx.live_by_kind.get(kind, ()):
            if kind == "application" and item.attrs.get("national_role") not in (None, "none"):
                continue
            complete = _complete(item, needs_code, hosted, delivered, produced)
            valid = needs_code and judge(item) is None
            dup = kind == "application" and item.key in duplicated
            for t in tallies(item):
                t.items += 1
                t.complete += complete
                if needs_code:
                    t.coded += 1
                    t.valid += valid
                if kind == "application":
                    t.apps += 1
                    t.duplicated += dup
    for integration in ctx.live_by_kind.get("integration", ()):
        attrs = integration.attrs
        through = bypass_reason(integration, items) is None
        ends = [items.get(("application", attrs.get(e))) for e in ("provider_id", "consumer_id")]
        national = any(a is not None and not snapshot.in_scope(a) for a in ends) or bool(
            attrs.get("consumer_external")
        )
        t = by_instansi[integration.instansi_id]
        t.integrations += 1
        t.through_spl += through
        t.national_integrations_through_spl += through and national
        opd = {
            tops[a.owner_id].id
            for a in ends
            if a is not None and a.owner_id in tops and snapshot.in_scope(a)
        }
        for top_id in opd:
            o = by_opd[top_id]
            o.integrations += 1
            o.through_spl += through
            t.integrating_opd.add(top_id)
            if through:
                t.opd_with_spl.add(top_id)
    opd_of: dict[int, list[Unit]] = defaultdict(list)
    for unit in snapshot.units.values():
        if tops[unit.id] is unit:
            opd_of[unit.instansi_id].append(unit)
    for units in opd_of.values():
        units.sort(key=lambda u: (u.code, u.id))
    return _Counts(dict(by_instansi), dict(by_opd), Coverage.of(ctx), dict(opd_of))


def _complete(item: Item, needs_code: bool, hosted: set, delivered: set, produced: set) -> bool:
    if item.owner_id is None or not (item.description or "").strip():
        return False
    if needs_code and not item.reference_code:
        return False
    for need in REQUIRED.get(item.kind, ()):
        if need == "@hosting":
            if item.key not in hosted and not (item.attrs.get("hosting_note") or "").strip():
                return False
        elif need == "@delivered_by":
            method = (item.attrs.get("method") or "").lower()
            if method not in _OFFLINE_METHODS and item.key not in delivered:
                return False
        elif need == "@producer":
            if item.attrs.get("producer_id") is None and item.key not in produced:
                return False
        elif not item.attrs.get(need):
            return False
    return True


def _metrics(t: Tally, covered: Iterable[str]) -> dict[str, Any]:
    covered = [d for d in DOMAINS if d in set(covered)]
    return {
        "completeness": metric(t.complete, t.items),
        "conformance": metric(t.valid, t.coded),
        "duplication": metric(t.duplicated, t.apps),
        "spl_share": metric(t.through_spl, t.integrations),
        "domains": {
            **metric(len(covered), len(DOMAINS)),
            "covered": covered,
            "missing": [d for d in DOMAINS if d not in covered],
        },
    }


def scorecards(context: Context, instansi_id: int) -> dict[str, Any]:
    """The scorecard of one instansi and of each of its OPD (see the module docstring).

    >>> from catalog.analysis.snapshot import Place, Snapshot, Unit
    >>> s = Snapshot.build(
    ...     [Item("application", 1, "APL-1", "SIMPEG", 7, owner_id=1, description="Pegawai")],
    ...     units=[Unit(1, "01", "BKPSDM", 7)], places=[Place(7, "35.78", "Kota X", "kota")])
    >>> card = scorecards(Context(s), 7)
    >>> card["instansi"]["completeness"], card["units"][0]["unit_code"]
    ({'value': 0.0, 'numerator': 0, 'denominator': 1}, '01')
    >>> card["instansi"]["indicators"]["11"]["level"]
    1
    """
    snapshot = context.snapshot
    counts = _counts(context)
    opd = counts.opd_of.get(instansi_id, [])
    tally = counts.instansi.get(instansi_id, Tally())
    covered = sorted(counts.coverage.instansi.get(instansi_id, ()))
    place = snapshot.places.get(instansi_id)
    instansi: dict[str, Any] = {
        "instansi_id": instansi_id,
        "instansi_code": place.code if place else None,
        "instansi_name": place.name if place else None,
        **_metrics(tally, covered),
        "indicators": {
            "11": indicator_11(tally, [d for d in DOMAINS if d in covered]),
            "18": indicator_18(tally, len(opd)),
        },
    }
    units = [
        {
            "unit_id": u.id,
            "unit_code": u.code,
            "unit_name": u.name,
            **_metrics(counts.opd.get(u.id, Tally()), counts.coverage.opd.get(u.id, {})),
        }
        for u in opd
    ]
    return {"instansi": instansi, "units": units}


__all__ = ["REQUIRED", "Tally", "metric", "scorecards"]
