"""Data sets shared without an integration: ``integration.read_without_integration`` (an
application reads another's data with no integration to its producer) and
``integration.shared_without_integration`` (two applications both keep the same data)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from catalog.analysis.findings import Finding
from catalog.analysis.integration.evidence import application, label, local_subjects, ref
from catalog.analysis.integration.index import IntegrationIndex, integration_index
from catalog.analysis.integration.units import top_units
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, NodeKey

READ_WITHOUT_INTEGRATION = rule(
    "integration.read_without_integration",
    "medium",
    "Memakai data aplikasi lain tanpa integrasi",
    "Reads another application's data without an integration",
    why="Satu Data Indonesia: setiap data punya satu produsen yang berwenang. Aplikasi yang "
    "memakai data itu tanpa integrasi ke produsennya memakai salinan atau input ulang, "
    "sehingga data tidak mutakhir dan tidak konsisten.",
    why_en="Satu Data Indonesia: every datum has one authoritative producer. An application "
    "that uses the data with no integration to its producer works on a copy or re-keyed "
    "data, which goes stale and inconsistent.",
    clear="Integrasikan aplikasi dengan aplikasi produsen data melalui SPL (atau catat "
    "integrasi yang sudah ada).",
    clear_en="Integrate the application with the producing application through the SPL (or "
    "record the integration that already exists).",
)
SHARED_WITHOUT_INTEGRATION = rule(
    "integration.shared_without_integration",
    "medium",
    "Data yang sama dikelola dua aplikasi tanpa integrasi",
    "Two applications keep the same data set with no integration",
    why="Prinsip sekali input (once-only): bila dua aplikasi sama-sama menghasilkan satu set "
    "data tanpa integrasi, data diketik ulang dan dua versi kebenaran beredar.",
    why_en="The once-only principle: when two applications both produce one data set with "
    "no integration between them, the data is keyed in twice and two versions of the truth "
    "circulate.",
    clear="Tetapkan satu aplikasi sebagai produsen berwenang dan integrasikan yang lain "
    "dengannya melalui SPL.",
    clear_en="Make one application the authoritative producer and integrate the other with "
    "it through the SPL.",
)


def authoritative_producers(
    dataset: Item, idx: IntegrationIndex, items: Mapping[NodeKey, Item]
) -> list[int]:
    """The application(s) a data set should be taken from: its declared authoritative
    application, else every application recorded as producing it."""
    declared = dataset.attrs.get("authoritative_application_id")
    if declared is not None and ("application", declared) in items:
        return [declared]
    return sorted(set(idx.producers.get(dataset.id, ())))


@check("integration.read_without_integration")
def read_without_integration(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items, scope = snapshot.items, snapshot.scope
    idx = integration_index(ctx)
    seen: set[tuple[int, int]] = set()
    for app_id, ds_id in idx.reads:
        reader = items.get(("application", app_id))
        if reader is None or reader.instansi_id not in scope or not reader.live:
            continue
        dataset = items.get(("dataset", ds_id))
        if dataset is None or not dataset.live or (app_id, ds_id) in seen:
            continue
        seen.add((app_id, ds_id))
        producers = [
            p for p in authoritative_producers(dataset, idx, items) if idx.pid(p) != idx.pid(app_id)
        ]
        if not producers or any(idx.integrated(app_id, p) for p in producers):
            continue
        # The authoritative producer may be dead (inactive): still a gap, named as such.
        provider_items = [items[("application", p)] for p in producers]
        names = ", ".join(label(p) for p in provider_items)
        yield READ_WITHOUT_INTEGRATION.finding(
            local_subjects(ctx, (reader, dataset, *provider_items)),
            f"Aplikasi {label(reader)} membaca data {dataset.code} {dataset.name} yang "
            f"diproduksi oleh {names}, tanpa integrasi di antara keduanya.",
            f"Application {label(reader)} reads data set {dataset.code} {dataset.name}, "
            f"produced by {names}, with no integration between them.",
            evidence={
                "reader": ref(snapshot, reader),
                "dataset": ref(snapshot, dataset),
                "producers": [ref(snapshot, p) for p in provider_items],
                "declared_authoritative": dataset.attrs.get("authoritative_application_id")
                is not None,
            },
        )


@check("integration.shared_without_integration")
def shared_without_integration(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items, scope = snapshot.items, snapshot.scope
    idx = integration_index(ctx)
    tops = top_units(snapshot)
    for ds_id in sorted(idx.producers):
        dataset = items.get(("dataset", ds_id))
        if dataset is None or dataset.instansi_id not in scope or not dataset.live:
            continue
        ids = set(idx.producers[ds_id])
        declared = dataset.attrs.get("authoritative_application_id")
        if declared is not None:
            ids.add(declared)
        # One application per product, the live ones only.
        apps: dict[int, Item] = {}
        for app_id in sorted(ids):
            app = items.get(("application", app_id))
            if app is not None and app.live:
                apps.setdefault(idx.pid(app_id), app)
        if len(apps) < 2:
            continue
        members = sorted(apps.items())
        for i, (pa, a) in enumerate(members):
            for pb, b in members[i + 1 :]:
                if (pa, pb) in idx.linked:
                    continue
                top_a, top_b = tops.get(a.owner_id or -1), tops.get(b.owner_id or -1)
                yield SHARED_WITHOUT_INTEGRATION.finding(
                    local_subjects(ctx, (dataset, a, b)),
                    f"Data {dataset.code} {dataset.name} dihasilkan oleh dua aplikasi, "
                    f"{label(a)} dan {label(b)}, yang tidak terintegrasi: data diinput dua "
                    "kali.",
                    f"Data set {dataset.code} {dataset.name} is produced by two applications, "
                    f"{label(a)} and {label(b)}, with no integration between them: the data "
                    "is keyed in twice.",
                    evidence={
                        "dataset": ref(snapshot, dataset),
                        "applications": [ref(snapshot, a), ref(snapshot, b)],
                        "authoritative": ref(snapshot, application(snapshot, declared)),
                        "same_opd": top_a is not None and top_a is top_b,
                    },
                )


__all__ = [
    "READ_WITHOUT_INTEGRATION",
    "SHARED_WITHOUT_INTEGRATION",
    "authoritative_producers",
    "read_without_integration",
    "shared_without_integration",
]
