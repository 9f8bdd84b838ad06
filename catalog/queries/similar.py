"""Applications that look like one being registered ("sudah ada aplikasi serupa…").

The registration-time check of the analysis (issue 5, item 4): the same matcher that finds
duplicate clusters (:func:`catalog.analysis.duplicates.candidates_for`) ranks the draft
against the applications of its instansi, and the Aplikasi Umum overlap finder
(:func:`catalog.analysis.national.find_overlaps`) against the national systems, each
candidate with the evidence behind its score. Only the draft's instansi and the national
context are loaded, so the check stays quick on a national-size catalogue.

:func:`words` and :func:`acronym_of` remain for other simple name comparisons.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.access import ANONYMOUS, Principal, visible_clause
from catalog.analysis.snapshot import Item, Snapshot
from catalog.models import Application

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
    evidence: dict[str, Any] = field(default_factory=dict)


# The draft's fields the matcher reads (see catalog.analysis.duplicates.candidates_for).
DRAFT_FIELDS = (
    "name",
    "acronym",
    "description",
    "function",
    "output",
    "aliases",
    "url",
    "platform",
    "reference_code",
    "owner_id",
)
# National systems shown at most: a draft rarely does the job of more than one.
NATIONAL_LIMIT = 3
# The id of the draft in the snapshot the overlap finder reads: no stored item has it.
DRAFT_ID = -1


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
    **fields: Any,
) -> list[Candidate]:
    """Ranked candidates among the instansi's applications (the duplicate matcher) and the
    national Aplikasi Umum / mandatory systems (the overlap finder), each with its reasons
    and evidence; only those the principal may see. Further draft fields
    (``description``, ``function``, ``output``, ``aliases``, ``url``, ``platform``) sharpen
    the match."""
    from catalog.analysis.duplicates import candidates_for
    from catalog.queries.snapshot import load_snapshot

    if not (name or "").strip():
        return []
    draft = {
        "name": name,
        "acronym": acronym,
        "reference_code": reference_code,
        "owner_id": owner_id,
        "id": exclude_id,
        **{k: v for k, v in fields.items() if k in DRAFT_FIELDS},
    }
    snapshot = _snapshot(session, instansi_id, load_snapshot)
    scored: dict[int, tuple[float, list[tuple[str, str]], bool, dict[str, Any]]] = {}
    if instansi_id is not None:
        for item, pair in candidates_for(snapshot, draft, instansi_id, limit=limit):
            scored[item.id] = (
                round(pair.score, 2),
                _pair_reasons(pair),
                False,
                _pair_evidence(pair),
            )
    for overlap in _national_overlaps(snapshot, draft, instansi_id)[:NATIONAL_LIMIT]:
        evidence = overlap.evidence()
        scored.setdefault(
            overlap.national.id,
            (round(overlap.score, 2), _overlap_reasons(overlap), True, evidence),
        )
    if not scored:
        return []
    rows = {
        a.id: a
        for a in session.execute(
            select(Application).where(
                Application.id.in_(sorted(scored)),
                Application.retired_at.is_(None),
                visible_clause(principal, "application", Application),
            )
        ).scalars()
    }
    found = [
        Candidate(rows[i], score, reasons, national, evidence)
        for i, (score, reasons, national, evidence) in scored.items()
        if i in rows and i != exclude_id
    ]
    found.sort(key=lambda c: (-c.score, c.application.name))
    return found[: limit + NATIONAL_LIMIT]


# Snapshots recently matched against, by database, instansi and the fingerprint of what an
# analysis of it reads (catalog.services.analysis.Inputs): a form submitted twice, or
# several registrations in a row, load the instansi once until its catalogue changes. The
# duplicate matcher is cached per snapshot, so it is reused with it.
_SNAPSHOTS: OrderedDict[tuple[str, int | None, str], Snapshot] = OrderedDict()
_SNAPSHOTS_KEPT = 4


def _snapshot(session: Session, instansi_id: int | None, load: Any) -> Snapshot:
    from catalog.services.analysis import current_inputs

    ids = [instansi_id] if instansi_id is not None else []
    # Without an instansi only the national context is loaded: the inputs of an instansi
    # that does not exist (0) are exactly those of the national context.
    probe = instansi_id if instansi_id is not None else 0
    fingerprint = current_inputs(session, [probe])[probe].fingerprint
    key = (str(session.get_bind().engine.url), instansi_id, fingerprint)
    found = _SNAPSHOTS.get(key)
    if found is None:
        found = load(session, ids)
        _SNAPSHOTS[key] = found
        while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)
    else:
        _SNAPSHOTS.move_to_end(key)
    return found


def _pair_evidence(pair: Any) -> dict[str, Any]:
    out: dict[str, Any] = pair.reasons()
    if pair.conflict:
        out["conflict"] = pair.conflict
    return out


# What a shared feature of two applications means, for a person.
_SHARED = {
    "code": ("kode referensi sama", "same reference code"),
    "codes": ("kode referensi sama", "same reference code"),
    "data": ("memakai data yang sama", "use the same data sets"),
    "data_sets": ("memakai data yang sama", "use the same data sets"),
    "service": ("mendukung layanan yang sama", "support the same services"),
    "services": ("mendukung layanan yang sama", "support the same services"),
    "url": ("alamat web sama", "same web address"),
    "urls": ("alamat web sama", "same web address"),
}


def _pair_reasons(pair: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if pair.same_name:
        out.append(("nama persis sama sudah terdaftar", "the very same name is registered"))
    if pair.acronym_expansion:
        out.append((f"singkatan: {pair.acronym_expansion}", f"acronym: {pair.acronym_expansion}"))
    elif pair.acronym:
        out.append(
            (f"singkatan sama ({pair.acronym.upper()})", f"same acronym ({pair.acronym.upper()})")
        )
    if pair.shared_words:
        shown = ", ".join(pair.shared_words)
        out.append((f"nama memuat kata yang sama: {shown}", f"names share words: {shown}"))
    if pair.capability == ("website",):
        out.append(("sama-sama situs web unit kerja", "both are units' websites"))
    elif pair.capability:
        shown = ", ".join(pair.capability)
        out.append((f"kemampuan bersama yang sama: {shown}", f"the same shared tool: {shown}"))
    if pair.villages:
        shown = "/".join(pair.villages)
        out.append(
            (
                f"sama-sama menyelenggarakan administrasi {shown}",
                f"both run the administration of {shown}",
            )
        )
    out.append(
        (
            f"kemiripan nama {pair.name:.0%}",
            f"name similarity {pair.name:.0%}",
        )
    )
    if pair.shared_text:
        shown = ", ".join(pair.shared_text[:6])
        out.append((f"uraian memuat kata yang sama: {shown}", f"descriptions share words: {shown}"))
    for family, values in pair.shared.items():
        if values:
            ind, en = _SHARED.get(family, (f"{family} sama", f"same {family}"))
            shown = ", ".join(str(v) for v in values[:4])
            out.append((f"{ind} ({shown})", f"{en} ({shown})"))
    return out


def _overlap_reasons(overlap: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if overlap.matched_name:
        out.append(
            (
                f"dikenal juga sebagai {overlap.matched_name}",
                f"also known as {overlap.matched_name}",
            )
        )
    if overlap.acronym:
        out.append(
            (
                f"singkatan sama ({overlap.acronym.upper()})",
                f"same acronym ({overlap.acronym.upper()})",
            )
        )
    if overlap.shared_name_words:
        shown = ", ".join(overlap.shared_name_words)
        out.append((f"nama memuat kata yang sama: {shown}", f"names share words: {shown}"))
    if overlap.shared_text_words:
        shown = ", ".join(overlap.shared_text_words[:6])
        out.append((f"uraian memuat kata yang sama: {shown}", f"descriptions share words: {shown}"))
    if overlap.reference_code:
        out.append(
            (
                f"kode referensi sama ({overlap.reference_code})",
                f"same reference code ({overlap.reference_code})",
            )
        )
    out.append(
        (
            "aplikasi nasional yang wajib/umum dipakai (Perpres 95/2018 Pasal 37)",
            "a national application regions must use (Perpres 95/2018 Article 37)",
        )
    )
    return out


def _national_overlaps(
    snapshot: Snapshot, draft: dict[str, Any], instansi_id: int | None
) -> list[Any]:
    """The national systems the draft would duplicate (none when the overlap finder is
    not installed)."""
    try:
        from catalog.analysis.national import find_overlaps
    except ImportError:  # the national family is optional
        return []
    central = {p for p, place in snapshot.places.items() if place.is_central}
    # The draft sits in its own instansi (or, unplaced, in any regional one) with the
    # national context around it and nothing else, so only its overlaps are computed.
    place = instansi_id
    if place is None:
        place = next((p for p in snapshot.places if p not in central), None)
    if place is None:
        return []
    item = Item(
        "application",
        DRAFT_ID,
        "",
        str(draft.get("name") or ""),
        place,
        draft.get("owner_id"),
        reference_code=draft.get("reference_code"),
        description=draft.get("description"),
        attrs={
            k: draft.get(k)
            for k in DRAFT_FIELDS[1:]
            if k not in ("reference_code", "owner_id", "description")
        },
    )
    context = [i for i in snapshot.items.values() if i.instansi_id in central]
    alone = Snapshot.build(
        [*context, item],
        places=snapshot.places.values(),
        references=snapshot.references.values(),
        scope=[place],
    )
    overlaps = [o for o in find_overlaps(alone) if o.local.id == DRAFT_ID]
    overlaps.sort(key=lambda o: -o.score)
    return overlaps


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
        "evidence": c.evidence,
    }
