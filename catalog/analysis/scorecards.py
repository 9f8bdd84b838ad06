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
    Domains of the six covered (:class:`catalog.analysis.conformance.Coverage`), with
    ``covered`` and ``missing`` lists beside the figure.

Indicator levels are **estimates** of what the catalogue can evidence (PermenPANRB
59/2020; primer §6): each criterion is listed as met, unmet, or ``null`` when the
catalogue cannot show it (a review, a version history); the estimate is the highest level
whose criteria, and those of every level below, are met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.analysis.conformance import DOMAIN_LABELS, DOMAINS, Coverage, ReferenceJudge
from catalog.analysis.conformance import coded_schemes as _coded_schemes
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
#: Integrations with at least this share through the SPL count as "through the SPL" for
#: indicator 18 level 4.
SPL_SHARE_LEVEL_4 = 0.8
#: Share of coded items with a valid code that indicator 11 level 3 asks for ("every
#: domain with its references"); 1.0 would let one typo cost a level.
REFERENCED_LEVEL_3 = 0.8
#: Domains (of six) that show a partial architecture (indicator 11 level 2).
DOMAINS_LEVEL_2 = 3

INDICATORS = {
    "11": ("Arsitektur SPBE", "SPBE architecture"),
    "18": ("Penggunaan Sistem Penghubung Layanan", "Use of the Service Integration Layer"),
}


@dataclass
class _Tally:
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
    instansi: dict[int, _Tally]
    opd: dict[int, _Tally]
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

    by_instansi: dict[int, _Tally] = defaultdict(_Tally)
    by_opd: dict[int, _Tally] = defaultdict(_Tally)

    def tallies(item: Item) -> Iterable[_Tally]:
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


def _metrics(t: _Tally, covered: Iterable[str]) -> dict[str, Any]:
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


def _criterion(
    level: int, id: str, met: bool | None, text: str, text_en: str, **evidence: Any
) -> dict[str, Any]:
    return {
        "level": level,
        "id": id,
        "met": met,
        "text": text,
        "text_en": text_en,
        "evidence": evidence,
    }


def _estimate(criteria: list[dict[str, Any]]) -> int:
    level = 0
    for n in range(1, 6):
        mine = [c for c in criteria if c["level"] == n]
        if not mine or not all(c["met"] is True for c in mine):
            break
        level = n
    return level


def indicator_11(t: _Tally, covered: list[str]) -> dict[str, Any]:
    """Arsitektur SPBE: the levels the catalogue can evidence."""
    share = t.valid / t.coded if t.coded else 0.0
    labels = [DOMAIN_LABELS[d][0] for d in DOMAINS if d not in covered]
    criteria = [
        _criterion(
            1,
            "inventory",
            t.items > 0,
            "Ada inventaris arsitektur (item tercatat di katalog).",
            "An architecture inventory exists (items in the catalogue).",
            items=t.items,
        ),
        _criterion(
            2,
            "partial_domains",
            len(covered) >= DOMAINS_LEVEL_2,
            f"Sedikitnya {DOMAINS_LEVEL_2} domain arsitektur terdokumentasi.",
            f"At least {DOMAINS_LEVEL_2} architecture domains documented.",
            domains=len(covered),
        ),
        _criterion(
            3,
            "all_domains",
            len(covered) == len(DOMAINS),
            "Keenam domain arsitektur tercakup"
            + (f" (belum: {', '.join(labels)})." if labels else "."),
            "All six architecture domains covered.",
            domains=len(covered),
            missing=[d for d in DOMAINS if d not in covered],
        ),
        _criterion(
            3,
            "referenced",
            t.coded > 0 and share >= REFERENCED_LEVEL_3,
            f"Sedikitnya {REFERENCED_LEVEL_3:.0%} item berkode referensi yang sah "
            "(Perpres 132/2022).",
            f"At least {REFERENCED_LEVEL_3:.0%} of items carry a valid reference code "
            "(Perpres 132/2022).",
            share=round(share, 4),
            valid=t.valid,
            coded=t.coded,
        ),
        _criterion(
            4,
            "aligned",
            t.coded > 0 and t.valid == t.coded,
            "Seluruh kode referensi selaras dengan arsitektur SPBE nasional.",
            "Every reference code aligned with the national SPBE architecture.",
            valid=t.valid,
            coded=t.coded,
        ),
        _criterion(
            4,
            "reviewed",
            None,
            "Arsitektur direviu dan memiliki riwayat versi (tidak dapat dibuktikan "
            "dari isi katalog saja).",
            "The architecture is reviewed and has a version history (not evidenced "
            "by the catalogue's content alone).",
        ),
        _criterion(
            5,
            "improved",
            None,
            "Arsitektur dievaluasi dan ditingkatkan berkelanjutan (di luar katalog).",
            "The architecture is evaluated and improved continuously (outside the catalogue).",
        ),
    ]
    return _indicator("11", criteria)


def indicator_18(t: _Tally, opd_count: int) -> dict[str, Any]:
    """Penggunaan Sistem Penghubung Layanan: the levels the catalogue can evidence."""
    share = t.through_spl / t.integrations if t.integrations else 0.0
    without = len(t.integrating_opd - t.opd_with_spl)
    criteria = [
        _criterion(
            1,
            "integrations",
            t.integrations > 0,
            "Integrasi antaraplikasi tercatat di katalog.",
            "Integrations between applications are recorded in the catalogue.",
            integrations=t.integrations,
        ),
        _criterion(
            2,
            "spl_used",
            t.through_spl > 0,
            "Sistem Penghubung Layanan (SPL) dipakai oleh sebagian integrasi.",
            "The Service Integration Layer (SPL) carries some integrations.",
            through_spl=t.through_spl,
        ),
        _criterion(
            3,
            "all_opd",
            bool(t.integrating_opd) and without == 0,
            "SPL dipakai oleh semua OPD yang berintegrasi.",
            "Every OPD that integrates uses the SPL.",
            integrating_opd=len(t.integrating_opd),
            opd_without_spl=without,
            opd=opd_count,
        ),
        _criterion(
            4,
            "mostly_spl",
            t.integrations > 0 and share >= SPL_SHARE_LEVEL_4,
            f"Sedikitnya {SPL_SHARE_LEVEL_4:.0%} integrasi melalui SPL.",
            f"At least {SPL_SHARE_LEVEL_4:.0%} of integrations run through the SPL.",
            share=round(share, 4),
        ),
        _criterion(
            4,
            "national",
            t.national_integrations_through_spl > 0,
            "Terintegrasi melalui SPL dengan sistem instansi lain / nasional.",
            "Integrated through the SPL with other instansi / national systems.",
            integrations=t.national_integrations_through_spl,
        ),
        _criterion(
            5,
            "optimised",
            None,
            "Penggunaan SPL dievaluasi dan dioptimalkan berkelanjutan (di luar katalog).",
            "Use of the SPL is evaluated and optimised continuously (outside the catalogue).",
        ),
    ]
    return _indicator("18", criteria)


def _indicator(number: str, criteria: list[dict[str, Any]]) -> dict[str, Any]:
    name, name_en = INDICATORS[number]
    return {
        "name": name,
        "name_en": name_en,
        "estimate": True,
        "level": _estimate(criteria),
        "note": "Perkiraan dari isi katalog, bukan hasil evaluasi SPBE.",
        "note_en": "An estimate from the catalogue's content, not an SPBE evaluation result.",
        "criteria": criteria,
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
    tally = counts.instansi.get(instansi_id, _Tally())
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
            **_metrics(counts.opd.get(u.id, _Tally()), counts.coverage.opd.get(u.id, {})),
        }
        for u in opd
    ]
    return {"instansi": instansi, "units": units}


__all__ = ["INDICATORS", "REQUIRED", "indicator_11", "indicator_18", "metric", "scorecards"]
