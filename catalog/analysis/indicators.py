"""Indicator level estimates for the scorecards (:mod:`catalog.analysis.scorecards`):
indicator 11 (Arsitektur SPBE) and 18 (Penggunaan Sistem Penghubung Layanan) from an
instansi's counts.

Indicator levels are **estimates** of what the catalogue can evidence (PermenPANRB
59/2020; primer §6): each criterion is listed as met, unmet, or ``null`` when the
catalogue cannot show it (a review, a version history); the estimate is the highest level
whose criteria, and those of every level below, are met.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalog.analysis.coverage import DOMAIN_LABELS, DOMAINS

if TYPE_CHECKING:
    from catalog.analysis.scorecards import Tally

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


def indicator_11(t: Tally, covered: list[str]) -> dict[str, Any]:
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


def indicator_18(t: Tally, opd_count: int) -> dict[str, Any]:
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


__all__ = [
    "DOMAINS_LEVEL_2",
    "INDICATORS",
    "REFERENCED_LEVEL_3",
    "SPL_SHARE_LEVEL_4",
    "indicator_11",
    "indicator_18",
]
