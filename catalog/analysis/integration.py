"""Integration gaps: the SPL rule (primer §5) judged on the catalogue.

Applications of an instansi should exchange data through its Sistem Penghubung Layanan
(SPL, the API gateway / service bus), each integration confirmed by both sides, and every
application that needs another one's data should be integrated with it instead of keying
the data in again. Five rules, one pass each over plain indexes of the snapshot:

``integration.point_to_point``
    A live integration between two applications that does not run through the SPL
    although the instansi has one: no intermediary, or a mechanism that cannot run through
    a bus (a database link, manual re-keying; :data:`BYPASS_MECHANISMS`). Where the
    instansi has no SPL at all (no live SPL item, and no integration through an SPL: a
    plain server recorded as the intermediary is none), integrations are not reported
    one by one: each OPD that integrates gets ``integration.opd_without_spl`` instead,
    which names the cause.
    Integrations still being proposed or planned are reported at a lower severity.
``integration.one_sided``
    A live integration that only one side (or neither) has confirmed. A consumer outside
    the catalogue (``consumer_external``) cannot confirm; only the provider is asked.
``integration.read_without_integration``
    An application reads a data set whose authoritative producer is another application
    (``authoritative_application_id``, else the applications with a ``produces``
    relation), and no live integration links the two in either direction.
``integration.shared_without_integration``
    Two applications both *produce* (keep) the same data set with no integration between
    them: the same data keyed in twice. Two applications that merely read a data set are
    not a gap (each reads it from its producer, which the previous rule checks). Pairs in
    the same OPD count too: re-keying is waste whoever does it.
``integration.opd_without_spl``
    A top-level unit (OPD) owning an application at either end of a live integration, none
    of whose integrations run through the SPL (SPBE indicator 18 level 3: the SPL is used
    by every OPD).

Only live items count (:attr:`~catalog.analysis.snapshot.Item.live`); national context
items are never subjects (they appear in the evidence). A mobile channel and its product
(``channel_of``) count as one application: an integration with either serves both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from catalog.analysis.findings import Finding, Subject
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, NodeKey, Snapshot, Unit

# Mechanisms that cannot run through an API gateway / service bus whatever is recorded as
# the intermediary: a database link reaches into the other side's database, manual means
# keying the data in again.
BYPASS_MECHANISMS = frozenset({"database_link", "manual"})
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
OPD_WITHOUT_SPL = rule(
    "integration.opd_without_spl",
    "high",
    "Perangkat daerah tidak memakai SPL",
    "Unit never uses the SPL",
    why="Indikator 18 level 3 mensyaratkan SPL dipakai oleh seluruh perangkat daerah; unit "
    "yang semua integrasinya langsung menahan tingkat kematangan instansi.",
    why_en="Indicator 18 level 3 requires the SPL to be used by every unit; a unit whose "
    "integrations are all direct holds the whole instansi's maturity back.",
    clear="Alihkan integrasi aplikasi unit ini ke SPL instansi (siapkan SPL bila belum ada).",
    clear_en="Move this unit's integrations onto the instansi's SPL (set one up if there is none).",
)


# -- shared helpers (also used by conformance, scorecards) -------------------------------


def top_units(snapshot: Snapshot) -> dict[int, Unit]:
    """Each unit's top-level ancestor: the OPD it belongs to.

    >>> s = Snapshot(units={1: Unit(1, "01", "Dinas Kesehatan", 9),
    ...                     2: Unit(2, "01.01", "Puskesmas A", 9, parent_id=1)})
    >>> top_units(s)[2].code
    '01'
    """
    units = snapshot.units
    top: dict[int, Unit] = {}
    for unit in units.values():
        chain: list[int] = []
        current = unit
        while True:
            if current.id in top:
                root = top[current.id]
                break
            chain.append(current.id)
            parent = units.get(current.parent_id) if current.parent_id is not None else None
            # A parent in another instansi or a loop would be a data error: stop there.
            if parent is None or parent.instansi_id != current.instansi_id or parent.id in chain:
                root = current
                break
            current = parent
        for member in chain:
            top[member] = root
    return top


def unit_subject(snapshot: Snapshot, unit: Unit) -> Subject:
    """A finding about a unit (not an item) names it as kind ``organisation``."""
    place = snapshot.places.get(unit.instansi_id)
    return Subject(
        kind="organisation",
        id=unit.id,
        code=unit.code,
        name=unit.name,
        instansi=place.code if place else str(unit.instansi_id),
        owner=unit.code,
    )


def bypass_reason(integration: Item, items: Mapping[NodeKey, Item]) -> str | None:
    """Why an integration does not run through the SPL, or ``None`` when it does.

    >>> i = Item("integration", 1, "INT-1", "A → B", 9, attrs={"intermediary_id": None})
    >>> bypass_reason(i, {})
    'no_intermediary'
    >>> i.attrs.update(intermediary_id=5, mechanism="rest_api")
    >>> bypass_reason(i, {("infrastructure", 5): Item("infrastructure", 5, "INF-1", "SPL", 9,
    ...                                              attrs={"infra_type": "spl"})}) is None
    True
    >>> i.attrs.update(mechanism="database_link")
    >>> bypass_reason(i, {})
    'mechanism'
    """
    attrs = integration.attrs
    via = attrs.get("intermediary_id")
    if via is None:
        return "no_intermediary"
    if attrs.get("mechanism") in BYPASS_MECHANISMS:
        return "mechanism"
    bus = items.get(("infrastructure", via))
    # An intermediary outside the snapshot (another instansi's or the national SPLP) is
    # given the benefit of the doubt; the services only accept SPL items as intermediaries.
    if bus is not None and bus.attrs.get("infra_type") not in (None, "spl"):
        return "not_spl"
    return None


@dataclass
class IntegrationIndex:
    """What the integration rules share, built in one pass over the snapshot."""

    live: list[Item] = field(default_factory=list)  # live integrations in scope
    # Application id → the product it is a channel of (itself when it is no channel).
    product: dict[int, int] = field(default_factory=dict)
    # Unordered pairs of products linked by a live integration (both orders stored).
    linked: set[tuple[int, int]] = field(default_factory=set)
    # Data set id → ids of the applications producing it (``produces`` relations).
    producers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    reads: list[tuple[int, int]] = field(default_factory=list)  # (application, data set)
    # Instansi with an SPL of their own (live) or using one in some integration.
    has_spl: set[int] = field(default_factory=set)

    def pid(self, app_id: int) -> int:
        return self.product.get(app_id, app_id)

    def integrated(self, a: int, b: int) -> bool:
        return (self.pid(a), self.pid(b)) in self.linked

    @classmethod
    def of(cls, ctx: Context) -> IntegrationIndex:
        idx = cls()
        links = ctx.links_by_type
        for link in links.get("reads", ()):
            idx.reads.append((link.source[1], link.target[1]))
        for link in links.get("produces", ()):
            idx.producers[link.target[1]].append(link.source[1])
        for link in links.get("channel_of", ()):
            idx.product[link.source[1]] = link.target[1]
        live = ctx.live_by_kind
        for item in live.get("infrastructure", ()):
            if item.attrs.get("infra_type") == "spl":
                idx.has_spl.add(item.instansi_id)
        idx.live = list(live.get("integration", ()))
        pid = idx.pid
        items = ctx.snapshot.items
        for item in idx.live:
            attrs = item.attrs
            provider, consumer = attrs.get("provider_id"), attrs.get("consumer_id")
            via = attrs.get("intermediary_id")
            if via is not None:
                # Routed through some SPL (another's, or the national SPLP, count too); a
                # plain server recorded as the intermediary gives the instansi no SPL.
                bus = items.get(("infrastructure", via))
                if bus is None or bus.attrs.get("infra_type") in (None, "spl"):
                    idx.has_spl.add(item.instansi_id)
            if provider is not None and consumer is not None:
                a, b = pid(provider), pid(consumer)
                idx.linked.add((a, b))
                idx.linked.add((b, a))
        return idx


def integration_index(ctx: Context) -> IntegrationIndex:
    """The index, built once per analysis run and shared by the checks (and scorecards)."""
    cache = vars(ctx)
    if "_integration_index" not in cache:
        cache["_integration_index"] = IntegrationIndex.of(ctx)
    return cache["_integration_index"]


def _app(snapshot: Snapshot, app_id: int | None) -> Item | None:
    return snapshot.items.get(("application", app_id)) if app_id is not None else None


def _label(item: Item | None, fallback: str = "?") -> str:
    if item is None:
        return fallback
    acronym = item.attrs.get("acronym")
    return f"{item.code} {acronym or item.name}"


def _ref(snapshot: Snapshot, item: Item | None) -> dict[str, str] | None:
    """An item as the evidence names it: code, name and instansi (national items too)."""
    if item is None:
        return None
    place = snapshot.places.get(item.instansi_id)
    return {
        "code": item.code,
        "name": item.name,
        "instansi": place.code if place else str(item.instansi_id),
    }


def _local(ctx: Context, candidates: Iterable[Item | None]) -> list[Subject]:
    snapshot = ctx.snapshot
    return [ctx.subject(i) for i in candidates if i is not None and snapshot.in_scope(i)]


# -- checks ------------------------------------------------------------------------------


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
        provider = _app(snapshot, attrs.get("provider_id"))
        consumer = _app(snapshot, attrs.get("consumer_id"))
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
            [ctx.subject(item), *_local(ctx, (provider, consumer))],
            f"Integrasi {item.code} dari {_label(provider)} ke {_label(consumer)} berjalan "
            f"{why[0]}, padahal instansi memiliki SPL.",
            f"Integration {item.code} from {_label(provider)} to {_label(consumer)} runs "
            f"{why[1]}, although the instansi has an SPL.",
            evidence={
                "integration": item.code,
                "provider": _ref(snapshot, provider),
                "consumer": _ref(snapshot, consumer),
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
        provider = _app(snapshot, attrs.get("provider_id"))
        consumer = _app(snapshot, attrs.get("consumer_id"))
        who = {"provider": "penyedia", "consumer": "penerima"}
        consumer_label = _label(consumer, attrs.get("consumer_external") or "?")
        yield ONE_SIDED.finding(
            [ctx.subject(item), *_local(ctx, (provider, consumer))],
            f"Integrasi {item.code} dari {_label(provider)} ke {consumer_label} belum "
            f"dikonfirmasi oleh pihak {' dan '.join(who[m] for m in missing)}.",
            f"Integration {item.code} from {_label(provider)} to {consumer_label} is not "
            f"confirmed by the {' and '.join(missing)}.",
            evidence={
                "integration": item.code,
                "provider": _ref(snapshot, provider),
                "consumer": _ref(snapshot, consumer) or attrs.get("consumer_external"),
                "unconfirmed_by": missing,
            },
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
        names = ", ".join(_label(p) for p in provider_items)
        yield READ_WITHOUT_INTEGRATION.finding(
            _local(ctx, (reader, dataset, *provider_items)),
            f"Aplikasi {_label(reader)} membaca data {dataset.code} {dataset.name} yang "
            f"diproduksi oleh {names}, tanpa integrasi di antara keduanya.",
            f"Application {_label(reader)} reads data set {dataset.code} {dataset.name}, "
            f"produced by {names}, with no integration between them.",
            evidence={
                "reader": _ref(snapshot, reader),
                "dataset": _ref(snapshot, dataset),
                "producers": [_ref(snapshot, p) for p in provider_items],
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
                    _local(ctx, (dataset, a, b)),
                    f"Data {dataset.code} {dataset.name} dihasilkan oleh dua aplikasi, "
                    f"{_label(a)} dan {_label(b)}, yang tidak terintegrasi: data diinput dua "
                    "kali.",
                    f"Data set {dataset.code} {dataset.name} is produced by two applications, "
                    f"{_label(a)} and {_label(b)}, with no integration between them: the data "
                    "is keyed in twice.",
                    evidence={
                        "dataset": _ref(snapshot, dataset),
                        "applications": [_ref(snapshot, a), _ref(snapshot, b)],
                        "authoritative": _ref(snapshot, _app(snapshot, declared)),
                        "same_opd": top_a is not None and top_a is top_b,
                    },
                )


@check("integration.opd_without_spl")
def opd_without_spl(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items, scope = snapshot.items, snapshot.scope
    idx = integration_index(ctx)
    tops = top_units(snapshot)
    used: dict[int, bool] = {}
    direct: dict[int, list[str]] = defaultdict(list)
    for item in idx.live:
        through = bypass_reason(item, items) is None
        for side in ("provider_id", "consumer_id"):
            app = _app(snapshot, item.attrs.get(side))
            if app is None or app.instansi_id not in scope or app.owner_id not in tops:
                continue
            top = tops[app.owner_id].id
            used[top] = used.get(top, False) or through
            if not through and item.code not in direct[top]:
                direct[top].append(item.code)
    for top_id, through in sorted(used.items()):
        if through:
            continue
        unit = snapshot.units[top_id]
        has_spl = unit.instansi_id in idx.has_spl
        n = len(direct[top_id])
        tail = (
            ("", "") if has_spl else (" Instansi belum memiliki SPL.", " The instansi has no SPL.")
        )
        yield OPD_WITHOUT_SPL.finding(
            [unit_subject(snapshot, unit)],
            f"{unit.name} ({unit.code}) terlibat dalam {n} integrasi dan tidak satu pun "
            f"melalui SPL.{tail[0]}",
            f"{unit.name} ({unit.code}) takes part in {n} integration(s), none of them through "
            f"the SPL.{tail[1]}",
            evidence={
                "integrations": sorted(direct[top_id]),
                "instansi_has_spl": has_spl,
            },
        )


__all__ = [
    "BYPASS_MECHANISMS",
    "IntegrationIndex",
    "authoritative_producers",
    "bypass_reason",
    "integration_index",
    "top_units",
    "unit_subject",
]
