"""Applications that look like one being registered ("sudah ada aplikasi serupa…").

A deliberately simple matcher for the registration form: the same acronym, names that
share their meaningful words once Indonesian boilerplate is removed, a shared specific
reference code, or a national Aplikasi Umum known under that name. The analysis engine
replaces it with a stronger one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from catalog.access import ANONYMOUS, Principal, visible_clause
from catalog.enums import NationalRole
from catalog.models import Application, Instansi

BOILERPLATE = frozenset(
    (
        "sistem",
        "informasi",
        "aplikasi",
        "app",
        "apps",
        "online",
        "daring",
        "elektronik",
        "e",
        "si",
        "sim",
        "manajemen",
        "berbasis",
        "terpadu",
        "terintegrasi",
        "pemerintah",
        "pemkot",
        "pemkab",
        "pemprov",
        "kota",
        "kabupaten",
        "kab",
        "provinsi",
        "prov",
        "dan",
        "untuk",
        "di",
        "ke",
        "dari",
        "the",
        "of",
        "and",
        "web",
        "website",
        "portal",
        "android",
        "ios",
        "mobile",
        "versi",
        "v",
    )
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str | None, extra_stop: frozenset[str] = frozenset()) -> set[str]:
    """Meaningful lower-case words of a name.

    >>> name = "e-Kinerja Kota Denpasar (Sistem Informasi Kinerja Pegawai)"
    >>> sorted(words(name, frozenset({"denpasar"})))
    ['kinerja', 'pegawai']
    """
    found = set(_WORD.findall((text or "").lower()))
    return {w for w in found if w not in BOILERPLATE and w not in extra_stop and len(w) > 1}


def acronym_of(name: str | None, acronym: str | None) -> str | None:
    """The acronym given, or the leading all-caps word of a name like 'SIMPEG (…)'.

    >>> acronym_of("SIMPEG (Sistem Informasi Kepegawaian)", None)
    'simpeg'
    >>> acronym_of("Aplikasi Antrian", None) is None
    True
    """
    if acronym:
        return re.sub(r"[^a-z0-9]", "", acronym.lower()) or None
    match = re.match(r"^\s*([A-Z][A-Z0-9-]{2,})\b", name or "")
    return re.sub(r"[^a-z0-9]", "", match.group(1).lower()) if match else None


@dataclass
class Candidate:
    application: Application
    score: float
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (Indonesian, English)
    national: bool = False


def similar_applications(
    session: Session,
    *,
    name: str,
    acronym: str | None = None,
    reference_code: str | None = None,
    instansi_id: int | None = None,
    owner_id: int | None = None,
    exclude_id: int | None = None,
    principal: Principal = ANONYMOUS,
    limit: int = 5,
) -> list[Candidate]:
    """Ranked candidates among the instansi's other applications and the national
    general applications."""
    inst = session.get(Instansi, instansi_id) if instansi_id else None
    place_words = frozenset(words(inst.name)) if inst else frozenset()
    mine = words(name, place_words)
    my_acronym = acronym_of(name, acronym)
    scope = [Application.national_role.in_([NationalRole.APLIKASI_UMUM, NationalRole.MANDATORY])]
    if instansi_id is not None:
        scope.append(Application.instansi_id == instansi_id)
    rows = session.execute(
        select(Application).where(
            or_(*scope),
            Application.retired_at.is_(None),
            visible_clause(principal, "application", Application),
        )
    ).scalars()
    found: list[Candidate] = []
    for app in rows:
        if app.id == exclude_id:
            continue
        national = app.national_role != NationalRole.NONE
        if not national and owner_id is not None and app.owner_id == owner_id and exclude_id:
            continue
        # A name matches through its best variant: the name itself or one of its aliases.
        variants = [words(app.name, place_words)] + [words(a) for a in app.aliases or []]
        reasons: list[tuple[str, str]] = []
        score = 0.0
        their_acronyms = {acronym_of(app.name, app.acronym)} | {
            acronym_of(a, None) for a in app.aliases or []
        }
        if my_acronym and my_acronym in their_acronyms:
            score += 0.6
            reasons.append(
                (f"singkatan sama ({my_acronym.upper()})", f"same acronym ({my_acronym.upper()})")
            )
        best, shared = 0.0, set()
        for theirs in variants:
            if mine and theirs and len(mine & theirs) / len(mine | theirs) > best:
                best, shared = len(mine & theirs) / len(mine | theirs), mine & theirs
        if best >= 0.34:
            score += best
            shown = ", ".join(sorted(shared))
            reasons.append((f"nama memuat kata yang sama: {shown}", f"names share words: {shown}"))
        if (
            reference_code
            and app.reference_code == reference_code
            and reference_code.count(".") >= 3
        ):
            score += 0.3
            reasons.append(
                (
                    f"kode referensi sama ({reference_code})",
                    f"same reference code ({reference_code})",
                )
            )
        if score >= 0.5:
            if national:
                reasons.append(
                    (
                        "aplikasi nasional yang wajib/umum dipakai",
                        "a national application regions must use",
                    )
                )
            found.append(
                Candidate(app, round(min(score, 1.0) if national else score, 2), reasons, national)
            )
    found.sort(key=lambda c: (-c.score, c.application.name))
    return found[:limit]


def candidate_summary(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.application.id,
        "code": c.application.code,
        "name": c.application.name,
        "instansi_id": c.application.instansi_id,
        "owner_id": c.application.owner_id,
        "national": c.national,
        "score": c.score,
        "reasons": [r[0] for r in c.reasons],
        "reasons_en": [r[1] for r in c.reasons],
    }
