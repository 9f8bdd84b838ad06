"""Integrations between two applications judged on their own: ``integration.point_to_point``
(it bypasses the SPL although the instansi has one) and ``integration.one_sided`` (not
confirmed by both sides)."""

from __future__ import annotations

from collections.abc import Iterator

from catalog.analysis.findings import Finding
from catalog.analysis.integration.evidence import application, label, local_subjects, ref
from catalog.analysis.integration.index import integration_index
from catalog.analysis.integration.spl import bypass_reason
from catalog.analysis.rules import Context, check, rule

# Integrations not yet running: reported, but at a lower severity.
NOT_YET_RUNNING = frozenset({"proposed", "planned", "development"})

POINT_TO_POINT = rule(
    "integration.point_to_point",
    "medium",
    "Integrasi titik-ke-titik tanpa SPL",
    "Point-to-point integration bypassing the SPL",
    why="Evaluasi SPBE (indikator 18) menuntut pertukaran data antaraplikasi melalui Sistem "
    "Penghubung Layanan, bukan titik ke titik: integrasi langsung tidak tercatat di katalog "
    "API, sulit diamankan dan rapuh saat salah satu aplikasi berubah.",
    why_en="The SPBE evaluation (indicator 18) requires applications to exchange data "
    "through the Service Integration Layer (SPL), not point to point: a direct link is "
    "missing from the API directory, hard to secure and breaks when either side changes.",
    clear="Publikasikan layanan penyedia sebagai API di SPL dan alihkan konsumen ke API itu; "
    "catat SPL sebagai perantara integrasi.",
    clear_en="Publish the provider's service as an API on the SPL, move the consumer to it "
    "and record the SPL as the integration's intermediary.",
)
ONE_SIDED = rule(
    "integration.one_sided",
    "low",
    "Integrasi belum dikonfirmasi kedua pihak",
    "Integration not confirmed by both sides",
    why="Peta integrasi adalah bukti indikator 18; integrasi yang hanya dicatat satu pihak "
    "belum pasti benar dan bisa menyembunyikan ketergantungan yang tidak disadari pemilik "
    "aplikasi lainnya.",
    why_en="The integration map is evidence for indicator 18; an integration recorded by "
    "one side only may be wrong and hides a dependency the other owner may not know of.",
    clear="Minta unit pemilik aplikasi di sisi lain memeriksa dan mengonfirmasi integrasi "
    "ini, atau hapus bila tidak benar.",
    clear_en="Ask the unit owning the other application to check and confirm the "
    "integration, or remove it if it is wrong.",
)


@check("integration.point_to_point")
def point_to_point(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    idx = integration_index(ctx)
    for item in idx.live:
        attrs = item.attrs
        if attrs.get("consumer_id") is None or item.instansi_id not in idx.has_spl:
            continue
        reason = bypass_reason(item, snapshot.items)
        if reason is None:
            continue
        provider = application(snapshot, attrs.get("provider_id"))
        consumer = application(snapshot, attrs.get("consumer_id"))
        mechanism = attrs.get("mechanism")
        why = {
            "no_intermediary": ("tanpa perantara SPL", "with no SPL in between"),
            "mechanism": (
                f"dengan mekanisme {mechanism} yang tidak dapat melalui SPL",
                f"by {mechanism}, which cannot run through the SPL",
            ),
            "not_spl": (
                "melalui perantara yang bukan SPL",
                "through an intermediary that is no SPL",
            ),
        }[reason]
        yield POINT_TO_POINT.finding(
            [ctx.subject(item), *local_subjects(ctx, (provider, consumer))],
            f"Integrasi {item.code} dari {label(provider)} ke {label(consumer)} berjalan "
            f"{why[0]}, padahal instansi memiliki SPL.",
            f"Integration {item.code} from {label(provider)} to {label(consumer)} runs "
            f"{why[1]}, although the instansi has an SPL.",
            evidence={
                "integration": item.code,
                "provider": ref(snapshot, provider),
                "consumer": ref(snapshot, consumer),
                "reason": reason,
                "mechanism": mechanism,
                "status": item.status,
            },
            severity="low" if item.status in NOT_YET_RUNNING else None,
        )


@check("integration.one_sided")
def one_sided(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    for item in integration_index(ctx).live:
        attrs = item.attrs
        external = attrs.get("consumer_id") is None
        by_provider = bool(attrs.get("confirmed_by_provider"))
        by_consumer = bool(attrs.get("confirmed_by_consumer")) or external
        if by_provider and by_consumer:
            continue
        missing = [side for side, ok in (("provider", by_provider), ("consumer", by_consumer))
                   if not ok]  # fmt: skip
        provider = application(snapshot, attrs.get("provider_id"))
        consumer = application(snapshot, attrs.get("consumer_id"))
        who = {"provider": "penyedia", "consumer": "penerima"}
        consumer_label = label(consumer, attrs.get("consumer_external") or "?")
        yield ONE_SIDED.finding(
            [ctx.subject(item), *local_subjects(ctx, (provider, consumer))],
            f"Integrasi {item.code} dari {label(provider)} ke {consumer_label} belum "
            f"dikonfirmasi oleh pihak {' dan '.join(who[m] for m in missing)}.",
            f"Integration {item.code} from {label(provider)} to {consumer_label} is not "
            f"confirmed by the {' and '.join(missing)}.",
            evidence={
                "integration": item.code,
                "provider": ref(snapshot, provider),
                "consumer": ref(snapshot, consumer) or attrs.get("consumer_external"),
                "unconfirmed_by": missing,
            },
        )


__all__ = ["NOT_YET_RUNNING", "ONE_SIDED", "POINT_TO_POINT", "one_sided", "point_to_point"]
