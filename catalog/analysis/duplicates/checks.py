"""The rules: duplicate clusters as findings of ``duplicate.application`` (different
units) and ``duplicate.same_unit`` (one unit twice), declared and registered at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from catalog.analysis.duplicates.clustering import Cluster
from catalog.analysis.duplicates.matcher import Matcher, matcher_for
from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule


def clusters_of(context: Context) -> list[Cluster]:
    """The duplicate clusters of a run's snapshot (at :data:`THRESHOLD`), computed once per
    :class:`~catalog.analysis.rules.Context` and shared by every check and scorecard that
    asks: clustering a national snapshot twice costs seconds."""
    return context.shared("duplicates.clusters", lambda: matcher_for(context.snapshot).clusters())


DUPLICATE = rule(
    "duplicate.application",
    "medium",
    "Aplikasi berbeda unit untuk pekerjaan yang sama",
    "Applications of different units doing the same job",
    why=(
        "Perpres 95/2018 menuntut aplikasi dibangun sekali dan dipakai bersama (Pasal 35–36, "
        "keterpaduan SPBE); aplikasi ganda antar-OPD memboroskan anggaran, memecah data "
        "yang sama ke beberapa basis data dan melemahkan nilai indikator 15 evaluasi SPBE."
    ),
    why_en=(
        "Perpres 95/2018 wants an application built once and shared (Articles 35–36, SPBE "
        "integration); the same job built by several units wastes budget, splits one body "
        "of data over several databases and weakens SPBE evaluation indicator 15."
    ),
    clear=(
        "Tim Koordinasi SPBE menilai klaster ini: pilih satu aplikasi sebagai aplikasi "
        "bersama dan rencanakan migrasi unit lain, atau tandai 'bukan duplikat' / 'aplikasi "
        "bersama' dengan alasannya."
    ),
    clear_en=(
        "The SPBE coordination team reviews the cluster: choose one application to share "
        "and plan the other units' migration, or mark it 'not a duplicate' / 'shared "
        "application' with a reason."
    ),
)
SAME_UNIT = rule(
    "duplicate.same_unit",
    "low",
    "Satu unit mencatat pekerjaan yang sama dua kali",
    "One unit registered the same job twice",
    why=(
        "Inventaris aplikasi adalah bukti Arsitektur SPBE (indikator 11) dan Manajemen Aset "
        "TIK (indikator 24); satu sistem yang tercatat dua kali, atau dua sistem satu unit "
        "untuk pekerjaan yang sama, mengaburkan inventaris dan biaya."
    ),
    why_en=(
        "The application inventory evidences the SPBE architecture (indicator 11) and ICT "
        "asset management (indicator 24); one system registered twice, or two systems of one "
        "unit for the same job, blurs the inventory and its cost."
    ),
    clear=(
        "Unit pemilik menggabungkan catatan yang sama (hentikan yang berlebih), atau "
        "menjelaskan perbedaan kedua aplikasi dalam uraiannya."
    ),
    clear_en=(
        "The owning unit merges the records (retire the extra one), or explains in the "
        "descriptions how the two applications differ."
    ),
)


def _cluster_evidence(cluster: Cluster, matcher: Matcher, context: Context) -> dict[str, Any]:
    profiles = matcher.profiles
    members = []
    for m in cluster.members:
        entry: dict[str, Any] = {
            "code": m.item.code,
            "name": m.item.name,
            "owner": context.snapshot.unit_code(m.item.owner_id),
        }
        if m.acronyms:
            entry["acronyms"] = sorted(a.upper() for a in m.acronyms)
        channels = cluster.channels.get(m.key)
        if channels:
            entry["channels"] = [{"code": c.code, "name": c.name} for c in channels]
        members.append(entry)
    return {
        "members": members,
        "pairs": [p.evidence(profiles) for p in cluster.pairs[:20]],
        "pair_count": len(cluster.pairs),
    }


def _names(cluster: Cluster, limit: int = 4) -> str:
    names = [f"{m.item.name} ({m.item.code})" for m in cluster.members[:limit]]
    more = len(cluster.members) - limit
    return "; ".join(names) + (f" +{more}" if more > 0 else "")


@check(DUPLICATE.id, SAME_UNIT.id)
def check_duplicates(context: Context) -> Iterator[Finding]:
    matcher = matcher_for(context.snapshot)
    for cluster in clusters_of(context):
        rule_ = SAME_UNIT if cluster.same_unit else DUPLICATE
        n = len(cluster.members)
        units = len({m.item.owner_id for m in cluster.members})
        if cluster.same_unit:
            message = (
                f"{n} aplikasi satu unit tampak mengerjakan pekerjaan yang sama: {_names(cluster)}."
            )
            message_en = (
                f"{n} applications of one unit appear to do the same job: {_names(cluster)}."
            )
        else:
            message = (
                f"{n} aplikasi di {units} unit tampak mengerjakan pekerjaan yang sama: "
                f"{_names(cluster)}."
            )
            message_en = (
                f"{n} applications in {units} units appear to do the same job: {_names(cluster)}."
            )
        yield rule_.finding(
            context.subjects(m.item for m in cluster.members),
            message,
            message_en,
            evidence=_cluster_evidence(cluster, matcher, context),
            score=cluster.score,
        )
