"""The rule: overlaps as findings of ``national.overlap``, declared and registered at
import, and the overlaps of a snapshot found once and shared.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalog.analysis.findings import Finding
from catalog.analysis.national.evidence import Overlap
from catalog.analysis.national.finder import find_overlaps
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Snapshot, per_snapshot

OVERLAP = rule(
    "national.overlap",
    "medium",
    "Aplikasi lokal mengerjakan tugas Aplikasi Umum / sistem nasional wajib",
    "Local application doing the job of an Aplikasi Umum / mandatory national system",
    why=(
        "Perpres 95/2018 Pasal 37 mewajibkan Instansi Pusat dan Pemerintah Daerah "
        "menggunakan Aplikasi Umum dan melarang membangun aplikasi sejenis tanpa penyesuaian "
        "proses bisnis, kajian biaya-manfaat dan pertimbangan Menteri PANRB; sistem nasional "
        "wajib (SIPD, SIASN, SPSE…) diwajibkan oleh regulasinya sendiri. Aplikasi lokal "
        "pengganti memboroskan anggaran dan memecah data nasional."
    ),
    why_en=(
        "Perpres 95/2018 Article 37 obliges central and regional governments to use the "
        "Aplikasi Umum and bars building a similar application without aligning the process, "
        "a cost-benefit study and the PANRB minister's consideration; mandatory national "
        "systems (SIPD, SIASN, SPSE…) are imposed by their own regulations. A local "
        "replacement wastes budget and splits national data."
    ),
    clear=(
        "Gunakan sistem nasional dan rencanakan penghentian aplikasi lokal, atau jadikan "
        "aplikasi lokal pendukung yang terintegrasi dengan sistem nasional (catat integrasinya) "
        "dan tandai temuan dengan alasan serta bukti kajian / pertimbangan Menteri. Bila item "
        "ini adalah pencatatan sistem nasional itu sendiri, hubungkan sebagai kanalnya "
        "(relasi channel_of)."
    ),
    clear_en=(
        "Use the national system and plan to retire the local application, or make the local "
        "application a supporting tool integrated with the national system (record the "
        "integration) and mark the finding with the reason and the study / minister's "
        "consideration as evidence. If the item records the national system itself, link it "
        "as its channel (a channel_of relation)."
    ),
)


@per_snapshot
def overlaps_for(snapshot: Snapshot) -> list[Overlap]:
    """The overlaps of a snapshot, found once and shared by the check and the scorecards."""
    return find_overlaps(snapshot)


def overlaps_of(context: Context) -> list[Overlap]:
    """The overlaps of a run's snapshot (see :func:`overlaps_for`)."""
    return overlaps_for(context.snapshot)


@check(OVERLAP.id)
def check_overlaps(context: Context) -> Iterator[Finding]:
    for o in overlaps_of(context):
        national = o.national
        umum = national.get("national_role") == "aplikasi_umum"
        kind = "Aplikasi Umum" if umum else "sistem nasional wajib"
        kind_en = "Aplikasi Umum" if umum else "mandatory national system"
        message = (
            f"{o.local.name} ({o.local.code}) tampak mengerjakan tugas {kind} "
            f"{national.name} ({national.code})."
        )
        message_en = (
            f"{o.local.name} ({o.local.code}) appears to do the job of the {kind_en} "
            f"{national.name} ({national.code})."
        )
        yield OVERLAP.finding(
            [context.subject(o.local), context.subject(national)],
            message,
            message_en,
            evidence=o.evidence(),
            score=o.score,
            severity="high" if umum else "medium",
        )
