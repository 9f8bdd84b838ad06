"""Reference conformance: is the architecture classified by the national reference
architecture (Perpres 132/2022)?

Conformance (family ``conformance``)
    ``missing_reference``, ``invalid_reference`` and ``retired_reference`` judge an item's
    reference code against the active reference set and the instansi's registered local
    codes (level 4 and below). Only kinds whose scheme has codes in the active set are
    asked for one: the set has no RAI or RAK codes (no official ones were found), so
    infrastructure and security items are not reported as missing theirs.

    ``sector_mismatch`` compares the *sector* of related items (see
    :class:`~catalog.analysis.sectors.Sectors`): a process and the service supporting it
    (``supported_by``); a process or service and the data it uses (``uses_data``); a
    service and the data produced by the application delivering it. Master and reference
    data (NIK, region codes) serve every sector and are never compared; RAD.10 (Data
    Pendukung Umum) has no sector. For a delivering application, the service disagrees
    only when *none* of the application's data sets share its sector.

Coverage (six domains, orphans) is the family of :mod:`catalog.analysis.coverage`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from catalog.analysis.findings import Finding
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.sectors import Sectors
from catalog.analysis.snapshot import Item, ReferenceCode, Snapshot
from catalog.kinds import KINDS, SCHEME_OF_KIND
from catalog.references import normalise_code, split_code

MISSING_REFERENCE = rule(
    "conformance.missing_reference",
    "low",
    "Item tanpa kode referensi",
    "Item without a reference code",
    why="Indikator 11 level 3 menuntut setiap domain arsitektur diklasifikasikan dengan "
    "Referensi Arsitektur nasional (Perpres 132/2022); item tanpa kode tidak dapat "
    "dipetakan, dibandingkan atau dilaporkan ke SIA SPBE.",
    why_en="Indicator 11 level 3 requires every domain to be classified by the national "
    "reference architecture (Perpres 132/2022); an item without a code cannot be mapped, "
    "compared or reported to SIA SPBE.",
    clear="Pilih kode referensi yang sesuai (level 3, atau kode lokal level 4 ke bawah).",
    clear_en="Choose the matching reference code (level 3, or a local level-4+ code).",
)
INVALID_REFERENCE = rule(
    "conformance.invalid_reference",
    "medium",
    "Kode referensi tidak sah",
    "Invalid reference code",
    why="Kode yang tidak ada di set referensi aktif, salah format, atau dari skema domain "
    "lain membuat item salah klasifikasi: peta arsitektur dan analisis duplikasi menjadi "
    "keliru.",
    why_en="A code missing from the active reference set, malformed, or from another "
    "domain's scheme misclassifies the item: the architecture map and the duplicate "
    "analysis go wrong.",
    clear="Ganti dengan kode yang ada di set referensi aktif untuk jenis item ini, atau "
    "daftarkan kode lokal di bawah kode nasional.",
    clear_en="Replace it with a code of the active reference set for this kind of item, or "
    "register a local code under a national one.",
)
RETIRED_REFERENCE = rule(
    "conformance.retired_reference",
    "low",
    "Kode referensi sudah tidak berlaku",
    "Retired reference code",
    why="Indikator 11 level 4 menuntut keselarasan dengan Arsitektur SPBE Nasional yang "
    "berlaku; kode yang dicabut pada versi referensi baru harus dipetakan ulang.",
    why_en="Indicator 11 level 4 requires alignment with the national architecture in "
    "force; a code retired by a newer reference version must be mapped again.",
    clear="Ganti dengan kode penggantinya (lihat bukti) atau kode lain yang berlaku.",
    clear_en="Replace it with its successor (see the evidence) or another code in force.",
)
SECTOR_MISMATCH = rule(
    "conformance.sector_mismatch",
    "low",
    "Sektor kode referensi tidak selaras",
    "Reference codes disagree by sector",
    why="Referensi Layanan dan Data mencerminkan sektor dan urusan Referensi Proses Bisnis; "
    "layanan, proses dan data yang saling terkait tetapi berbeda sektor menandakan salah "
    "satu kode keliru.",
    why_en="The service and data references mirror the sectors and urusan of the business "
    "process reference; related items in different sectors suggest one code is wrong.",
    clear="Periksa kode referensi kedua item dan samakan sektornya, atau tandai sebagai "
    "lintas sektor yang disengaja.",
    clear_en="Check both items' reference codes and align their sectors, or mark the link "
    "as deliberately cross-sector.",
)


# -- reference codes ---------------------------------------------------------------------


def coded_schemes(snapshot: Snapshot) -> frozenset[str]:
    """Schemes for which the active reference set has codes."""
    return frozenset(r.scheme for r in snapshot.references.values())


def reference_problem(item: Item, snapshot: Snapshot) -> tuple[str, ReferenceCode | None] | None:
    """What is wrong with an item's reference code, or ``None`` when nothing is:
    ``missing``, ``format``, ``wrong_scheme``, ``unknown`` or ``retired`` (with the node).

    >>> s = Snapshot(references={"RAB.04.01": ReferenceCode("RAB", "RAB.04.01", "Kesehatan", 2)})
    >>> reference_problem(Item("process", 1, "PB-1", "x", 9, reference_code="RAB.04.01"), s)
    >>> reference_problem(Item("process", 1, "PB-1", "x", 9, reference_code="RAL.01"), s)[0]
    'wrong_scheme'
    >>> reference_problem(Item("process", 1, "PB-1", "x", 9, reference_code="RAB.04.99"), s)[0]
    'unknown'
    """
    return ReferenceJudge(snapshot)(item)


class ReferenceJudge:
    """:func:`reference_problem` with the verdict on each national code remembered: a
    national catalogue holds ~150,000 coded items but only a few thousand distinct codes."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.references = snapshot.references
        self.local = snapshot.local_references
        self.national: dict[tuple[str, str], tuple[str, ReferenceCode | None] | None] = {}

    def __call__(self, item: Item) -> tuple[str, ReferenceCode | None] | None:
        scheme = SCHEME_OF_KIND.get(item.kind)
        if scheme is None:
            return None
        raw = item.reference_code
        if raw is None or not raw.strip():
            return ("missing", None)
        key = (scheme, raw)
        if key in self.national:
            return self.national[key]
        code = normalise_code(raw)
        parsed = split_code(code)
        if parsed is None:
            verdict: tuple[str, ReferenceCode | None] | None = ("format", None)
        elif parsed[0] != scheme:
            verdict = ("wrong_scheme", None)
        else:
            node = self.references.get(code)
            if node is None:
                # Local codes differ by instansi: judged each time, not remembered.
                return self._local(item.instansi_id, code)
            verdict = ("retired", node) if node.status == "retired" else None
        self.national[key] = verdict
        return verdict

    def _local(self, instansi_id: int, code: str) -> tuple[str, ReferenceCode | None] | None:
        node = self.local.get((instansi_id, code))
        parts = code.split(".")
        # A local code is sound while some national ancestor is still in the set.
        anchored = any(".".join(parts[:i]) in self.references for i in range(2, len(parts)))
        if node is None or not anchored:
            return ("unknown", None)
        return ("retired", node) if node.status == "retired" else None


@check(
    "conformance.missing_reference",
    "conformance.invalid_reference",
    "conformance.retired_reference",
)
def references(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    schemes = coded_schemes(snapshot)
    judge = ReferenceJudge(snapshot)
    for kind, scheme in SCHEME_OF_KIND.items():
        label, label_en = KINDS[kind].label, KINDS[kind].label_en
        for item in ctx.live_by_kind.get(kind, ()):
            problem = judge(item)
            if problem is None:
                continue
            reason, node = problem
            if reason == "missing":
                if scheme not in schemes:
                    continue
                yield MISSING_REFERENCE.finding(
                    [ctx.subject(item)],
                    f"{label} {item.code} {item.name} belum memiliki kode referensi {scheme}.",
                    f"{label_en} {item.code} {item.name} has no {scheme} reference code.",
                    evidence={"scheme": scheme},
                )
            elif reason == "retired":
                assert node is not None
                successor = node.replaced_by
                yield RETIRED_REFERENCE.finding(
                    [ctx.subject(item)],
                    f"Kode referensi {node.code} pada {label} {item.code} sudah tidak berlaku"
                    + (f"; penggantinya {successor}." if successor else "."),
                    f"Reference code {node.code} of {label_en} {item.code} is retired"
                    + (f"; its successor is {successor}." if successor else "."),
                    evidence={"reference_code": node.code, "replaced_by": successor},
                )
            elif reason != "unknown" or scheme in schemes:
                # (A set without a single code of the scheme does not regulate it yet.)
                why = _INVALID_WHY[reason]
                yield INVALID_REFERENCE.finding(
                    [ctx.subject(item)],
                    f"Kode referensi {item.reference_code} pada {label} {item.code} "
                    f"{why[0].format(scheme=scheme)}.",
                    f"Reference code {item.reference_code} of {label_en} {item.code} "
                    f"{why[1].format(scheme=scheme)}.",
                    evidence={"reference_code": item.reference_code, "reason": reason,
                              "scheme": scheme},
                )  # fmt: skip


_INVALID_WHY = {
    "format": ("tidak berformat PREFIX.NN.NN", "is not of the form PREFIX.NN.NN"),
    "wrong_scheme": ("bukan kode skema {scheme}", "is not a {scheme} code"),
    "unknown": (
        "tidak ada dalam set referensi aktif maupun kode lokal instansi",
        "is neither in the active reference set nor a local code of the instansi",
    ),
}


# -- sectors -----------------------------------------------------------------------------


def _plain_data(dataset: Item) -> bool:
    """Data that belongs to one sector (not master or reference data for everyone)."""
    return not (dataset.attrs.get("is_master") or dataset.attrs.get("is_reference"))


@check("conformance.sector_mismatch")
def sector_mismatch(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items, scope = snapshot.items, snapshot.scope
    sectors = Sectors.of(snapshot.references)
    if not sectors.of_l2:
        return
    sector = sectors.sector
    produced: dict[int, list[Item]] = defaultdict(list)
    pairs: list[tuple[Item, Item]] = []
    delivered: list[tuple[Item, Item]] = []
    links = ctx.links_by_type
    for link in links.get("produces", ()):
        app, data = items.get(link.source), items.get(link.target)
        if app is None or data is None or not app.live or not data.live:
            continue
        if _plain_data(data) and sector(data.reference_code):
            produced[app.id].append(data)
    for kind in ("supported_by", "uses_data", "delivered_by"):
        for link in links.get(kind, ()):
            source, target = items.get(link.source), items.get(link.target)
            if source is None or target is None or source.instansi_id not in scope:
                continue
            if not source.live or not target.live:
                continue
            if kind == "delivered_by":
                delivered.append((source, target))
            elif kind == "supported_by" or _plain_data(target):
                pairs.append((source, target))

    def name(code: str) -> str:
        return f"{code} {sectors.names.get(code, '')}".strip()

    for a, b in pairs:
        sa, sb = sector(a.reference_code), sector(b.reference_code)
        if sa is None or sb is None or sa == sb:
            continue
        yield SECTOR_MISMATCH.finding(
            ctx.subjects([a, b]),
            f"{KINDS[a.kind].label} {a.code} ({a.reference_code}, sektor {name(sa)}) terkait "
            f"dengan {KINDS[b.kind].label} {b.code} ({b.reference_code}, sektor {name(sb)}).",
            f"{KINDS[a.kind].label_en} {a.code} ({a.reference_code}, sector {name(sa)}) is "
            f"linked to {KINDS[b.kind].label_en} {b.code} ({b.reference_code}, sector "
            f"{name(sb)}).",
            evidence={
                "codes": {a.code: a.reference_code, b.code: b.reference_code},
                "sectors": {a.code: sa, b.code: sb},
            },
        )
    for service, app in delivered:
        ss = sector(service.reference_code)
        data = produced.get(app.id)
        if ss is None or not data:
            continue
        data_sectors = {d.code: sector(d.reference_code) for d in data}
        if ss in data_sectors.values():
            continue
        found = ", ".join(sorted({name(s) for s in data_sectors.values() if s}))
        yield SECTOR_MISMATCH.finding(
            ctx.subjects([service, app]),
            f"Layanan {service.code} ({service.reference_code}, sektor {name(ss)}) "
            f"diselenggarakan aplikasi {app.code} {app.name} yang hanya menghasilkan data "
            f"sektor {found}.",
            f"Service {service.code} ({service.reference_code}, sector {name(ss)}) is "
            f"delivered by application {app.code} {app.name}, which only produces data of "
            f"sector {found}.",
            evidence={
                "service": {"code": service.code, "reference_code": service.reference_code,
                            "sector": ss},
                "data_sectors": data_sectors,
            },
        )  # fmt: skip


__all__ = ["ReferenceJudge", "coded_schemes", "reference_problem"]
