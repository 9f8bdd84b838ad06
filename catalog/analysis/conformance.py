"""Reference conformance and coverage: is the architecture classified by the national
reference architecture (Perpres 132/2022), complete in all six domains, and without
orphans?

Conformance (family ``conformance``)
    ``missing_reference``, ``invalid_reference`` and ``retired_reference`` judge an item's
    reference code against the active reference set and the instansi's registered local
    codes (level 4 and below). Only kinds whose scheme has codes in the active set are
    asked for one: the set has no RAI or RAK codes (no official ones were found), so
    infrastructure and security items are not reported as missing theirs.

    ``sector_mismatch`` compares the *sector* of related items (see :class:`Sectors`):
    a process and the service supporting it (``supported_by``); a process or service and
    the data it uses (``uses_data``); a service and the data produced by the application
    delivering it. Master and reference data (NIK, region codes) serve every sector and
    are never compared; RAD.10 (Data Pendukung Umum) has no sector. For a delivering
    application, the service disagrees only when *none* of the application's data sets
    share its sector.

Coverage (family ``coverage``)
    ``missing_domain``: an OPD (top-level unit) whose architecture does not touch one of
    the six domains, and an instansi that has no item at all in one (indicator 11 level 3
    needs all six). An OPD covers a domain by owning (or, for data, producing) a live item
    of it, or by a relation between one of its own live items and a live item of that
    domain: applications hosted on Diskominfo's servers put infrastructure in the OPD's
    architecture, a vulnerability assessment of its application puts security in it.

    Orphans: a live application without an owner; a live electronic or hybrid service
    that no application delivers (non-electronic services need none); a live data set with
    neither a producing unit nor a producing application; an application in operation with
    no hosting recorded (``hosted_on``, or a hosting note), channels of a product excepted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from catalog.analysis.findings import Finding, Subject
from catalog.analysis.integration import top_units, unit_subject
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, ReferenceCode, Snapshot
from catalog.kinds import KINDS, SCHEME_OF_KIND
from catalog.references import normalise_code, split_code

DOMAINS: tuple[str, ...] = (
    "process",
    "service",
    "dataset",
    "application",
    "infrastructure",
    "security",
)
DOMAIN_LABELS: dict[str, tuple[str, str]] = {
    "process": ("Proses Bisnis", "Business process"),
    "service": ("Layanan", "Service"),
    "dataset": ("Data dan Informasi", "Data and information"),
    "application": ("Aplikasi", "Application"),
    "infrastructure": ("Infrastruktur", "Infrastructure"),
    "security": ("Keamanan", "Security"),
}
# Without these four an OPD has no architecture of its own; infrastructure and security
# are usually run by Diskominfo for everyone, so missing them weighs less.
CORE_DOMAINS = frozenset({"process", "service", "dataset", "application"})

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
MISSING_DOMAIN = rule(
    "coverage.missing_domain",
    "medium",
    "Domain arsitektur belum terisi",
    "Architecture domain not covered",
    why="Indikator 11 level 3 mensyaratkan Arsitektur SPBE mencakup keenam domain (proses "
    "bisnis, layanan, data, aplikasi, infrastruktur, keamanan) beserta referensinya.",
    why_en="Indicator 11 level 3 requires the SPBE architecture to cover all six domains "
    "(process, service, data, application, infrastructure, security) with references.",
    clear="Daftarkan item domain yang belum ada (atau hubungkan item unit ini dengan item "
    "domain tersebut, misalnya aplikasi dengan server tempatnya berjalan).",
    clear_en="Register the missing domain's items (or link this unit's items to them, e.g. "
    "an application to the server it runs on).",
)
APPLICATION_WITHOUT_OWNER = rule(
    "coverage.application_without_owner",
    "medium",
    "Aplikasi tanpa unit pemilik",
    "Application without an owning unit",
    why="Manajemen Aset TIK (indikator 24) dan tata kelola aplikasi menuntut setiap aplikasi "
    "punya unit penanggung jawab.",
    why_en="ICT asset management (indicator 24) and application governance need a "
    "responsible unit for every application.",
    clear="Tetapkan unit pemilik aplikasi.",
    clear_en="Set the application's owning unit.",
)
SERVICE_WITHOUT_APPLICATION = rule(
    "coverage.service_without_application",
    "low",
    "Layanan elektronik tanpa aplikasi",
    "Electronic service without an application",
    why="Layanan berbasis elektronik harus dapat ditelusuri ke aplikasi yang "
    "menyelenggarakannya (indikator layanan 32–47).",
    why_en="An electronic service must trace to the application delivering it (service "
    "indicators 32–47).",
    clear="Hubungkan layanan dengan aplikasi penyelenggaranya, atau ubah metodenya bila "
    "layanan tidak elektronik.",
    clear_en="Link the service to its delivering application, or change its method if it is "
    "not electronic.",
)
DATASET_WITHOUT_PRODUCER = rule(
    "coverage.dataset_without_producer",
    "medium",
    "Data tanpa produsen",
    "Data set without a producer",
    why="Satu Data Indonesia mewajibkan setiap data punya produsen data yang jelas.",
    why_en="Satu Data Indonesia requires every data set to have a known producer.",
    clear="Tetapkan unit produsen data (dan aplikasi yang menghasilkannya, bila ada).",
    clear_en="Set the producing unit (and the application producing it, if any).",
)
APPLICATION_WITHOUT_HOSTING = rule(
    "coverage.application_without_hosting",
    "low",
    "Aplikasi tanpa catatan tempat berjalan",
    "Application with no hosting recorded",
    why="Tanpa tempat berjalan (server, pusat data, cloud) dampak gangguan infrastruktur dan "
    "konsolidasi ke Pusat Data Nasional tidak dapat dianalisis.",
    why_en="Without its hosting (server, data centre, cloud), the impact of infrastructure "
    "failures and consolidation into the national data centre cannot be analysed.",
    clear="Hubungkan aplikasi dengan infrastruktur tempatnya berjalan.",
    clear_en="Link the application to the infrastructure it runs on.",
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

_LEAD = re.compile(r"^(data|informasi|urusan)\s+")


def _urusan_name(name: str) -> str:
    """RAD and RAL level-2 names decorate the RAB urusan name ("Data Kesehatan",
    "Data Urusan Luar Negeri"): drop the decoration to compare them.

    >>> _urusan_name("Data Urusan Luar Negeri")
    'luar negeri'
    """
    name = name.strip().lower()
    while True:
        shorter = _LEAD.sub("", name)
        if shorter == name:
            return name
        name = shorter


@dataclass
class Sectors:
    """The sector (RAB level-1 code) of RAB, RAL and RAD codes, derived from the code
    lists themselves, so that a new reference version needs no code change:

    - a RAB code lies in the sector of its level-1 ancestor;
    - a RAD or RAL level-2 node lies in the sector of the RAB urusan (level 2) of the same
      name once "Data"/"Urusan" is dropped ("Data Kesehatan" ↔ "Kesehatan"); this
      reproduces the ``L2_to_RAB_L2`` table of the shipped set exactly;
    - a RAL level-2 node without a namesake (Kenegaraan, Perizinan, the administrative
      RAL.02.06–.09) takes the sector shared by all its named siblings, if they share one
      (every RAL.02 area is sector RAB.09), else has none;
    - RAD.10 (Data Pendukung Umum) has none; deeper codes follow their level-2 ancestor.

    A code without a sector is never reported as disagreeing.
    """

    of_l2: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # sector code → name
    # Codes repeat across a national catalogue: each is worked out once.
    known: dict[str | None, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, references: Mapping[str, ReferenceCode]) -> Sectors:
        out = cls()
        rab_by_name: dict[str, str] = {}
        for ref in references.values():
            if ref.scheme != "RAB":
                continue
            if ref.level == 1:
                out.names[ref.code] = ref.name
            elif ref.level == 2:
                out.of_l2[ref.code] = ref.code[:6]
                rab_by_name[_urusan_name(ref.name)] = ref.code
        unnamed: dict[str, list[str]] = defaultdict(list)
        seen: dict[str, set[str]] = defaultdict(set)
        for ref in references.values():
            if ref.scheme not in ("RAL", "RAD") or ref.level != 2:
                continue
            rab = rab_by_name.get(_urusan_name(ref.name))
            parent = ref.code[:6]
            if rab is not None:
                out.of_l2[ref.code] = rab[:6]
                seen[parent].add(rab[:6])
            else:
                unnamed[parent].append(ref.code)
        for parent, codes in unnamed.items():
            if parent.startswith("RAL") and len(seen[parent]) == 1:
                (sector,) = seen[parent]
                for code in codes:
                    out.of_l2[code] = sector
        return out

    def sector(self, code: str | None) -> str | None:
        """
        >>> refs = {c: ReferenceCode(c[:3], c, n, c.count("."))
        ...         for c, n in [("RAB.04", "Perlindungan Sosial dan Kesehatan"),
        ...                      ("RAB.04.01", "Kesehatan"), ("RAL.01.25", "Kesehatan"),
        ...                      ("RAD.04.01", "Data Kesehatan")]}
        >>> s = Sectors.of(refs)
        >>> s.sector("RAL.01.25.02"), s.sector("RAD.04.01"), s.sector("RAD.10.01")
        ('RAB.04', 'RAB.04', None)
        """
        try:
            return self.known[code]
        except KeyError:
            found = self.known[code] = self._sector(code)
            return found

    def _sector(self, code: str | None) -> str | None:
        if not code:
            return None
        parts = code.strip().upper().split(".")
        if len(parts) < 2:
            return None
        if parts[0] == "RAB":
            return "RAB." + parts[1]
        if len(parts) < 3:
            return None
        return self.of_l2.get(".".join(parts[:3]))


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


# -- coverage ----------------------------------------------------------------------------


def instansi_subject(snapshot: Snapshot, instansi_id: int) -> Subject:
    """A finding about a whole instansi names it as kind ``instansi``."""
    place = snapshot.places.get(instansi_id)
    code = place.code if place else str(instansi_id)
    return Subject(kind="instansi", id=instansi_id, code=code,
                   name=place.name if place else code, instansi=code)  # fmt: skip


@dataclass
class Coverage:
    """Which domains each OPD (top-level unit id) and each instansi covers: per domain,
    ``own`` (owns or produces a live item of it) or ``linked`` (related to one)."""

    opd: dict[int, dict[str, str]] = field(default_factory=dict)
    instansi: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, source: Context | Snapshot) -> Coverage:
        """
        >>> from catalog.analysis.snapshot import Link, Unit
        >>> s = Snapshot.build(
        ...     [Item("application", 1, "APL-1", "SIMPEG", 9, owner_id=1),
        ...      Item("infrastructure", 2, "INF-1", "Server", 9, owner_id=2)],
        ...     links=[Link("hosted_on", ("application", 1), ("infrastructure", 2))],
        ...     units=[Unit(1, "01", "BKPSDM", 9), Unit(2, "02", "Diskominfo", 9)],
        ... )
        >>> Coverage.of(s).opd[1]
        {'application': 'own', 'infrastructure': 'linked'}
        """
        if isinstance(source, Context):
            # Shared by coverage.missing_domain and the scorecards of the same run.
            return source.shared("coverage", lambda: cls._of(source))
        return cls._of(Context(source))

    @classmethod
    def _of(cls, ctx: Context) -> Coverage:
        snapshot = ctx.snapshot
        out = cls()
        tops = top_units(snapshot)
        scope = snapshot.scope
        # What each OPD covers so far, own or linked; own is kept apart for the verdict.
        covered: dict[int, set[str]] = {}
        own: dict[int, set[str]] = {}
        for unit in snapshot.units.values():
            if unit.instansi_id in scope and tops[unit.id] is unit:
                covered[unit.id], own[unit.id] = set(), set()
        for instansi_id in scope:
            out.instansi[instansi_id] = set()
        owner_top: dict[tuple[str, int], int] = {}
        for kind in DOMAINS:
            for item in ctx.live_by_kind.get(kind, ()):
                out.instansi[item.instansi_id].add(kind)
                top = tops.get(item.owner_id) if item.owner_id is not None else None
                # (A unit of another instansi as owner would be a data error: not counted.)
                if top is not None and top.id in own:
                    own[top.id].add(kind)
                    owner_top[item.key] = top.id
                if kind == "dataset":
                    producer = item.attrs.get("producer_id")
                    top = tops.get(producer) if producer is not None else None
                    if top is not None and top.id in own:
                        own[top.id].add(kind)
        for top_id, kinds in own.items():
            covered[top_id].update(kinds)
        items = snapshot.items
        get_top = owner_top.get
        for link in snapshot.links:
            # Unrolled, and the cheap set test before the lookups: most links add nothing.
            source, target = link.source, link.target
            top_id = get_top(source)
            if top_id is not None and target[0] not in covered[top_id]:
                theirs = items.get(target)
                if theirs is not None and theirs.live and target[0] in DOMAIN_LABELS:
                    covered[top_id].add(target[0])
            top_id = get_top(target)
            if top_id is not None and source[0] not in covered[top_id]:
                theirs = items.get(source)
                if theirs is not None and theirs.live and source[0] in DOMAIN_LABELS:
                    covered[top_id].add(source[0])
        for top_id, found in covered.items():
            # In the domain order, for evidence and display.
            mine = own[top_id]
            out.opd[top_id] = {d: "own" if d in mine else "linked" for d in DOMAINS if d in found}
        return out


def _labels(domains: list[str], lang: int) -> str:
    return ", ".join(DOMAIN_LABELS[d][lang] for d in domains)


@check("coverage.missing_domain")
def missing_domain(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    coverage = Coverage.of(ctx)
    for instansi_id in sorted(coverage.instansi):
        missing = [d for d in DOMAINS if d not in coverage.instansi[instansi_id]]
        if not missing:
            continue
        subject = instansi_subject(snapshot, instansi_id)
        yield MISSING_DOMAIN.finding(
            [subject],
            f"{subject.name} belum memiliki satu pun item domain {_labels(missing, 0)}.",
            f"{subject.name} has no item at all in the {_labels(missing, 1)} domain(s).",
            evidence={"scope": "instansi", "missing": missing},
            severity="high",
        )
    for top_id in sorted(coverage.opd, key=lambda u: snapshot.units[u].code):
        found = coverage.opd[top_id]
        missing = [d for d in DOMAINS if d not in found]
        if not missing:
            continue
        unit = snapshot.units[top_id]
        yield MISSING_DOMAIN.finding(
            [unit_subject(snapshot, unit)],
            f"Arsitektur {unit.name} ({unit.code}) belum mencakup domain {_labels(missing, 0)}.",
            f"The architecture of {unit.name} ({unit.code}) does not cover the "
            f"{_labels(missing, 1)} domain(s).",
            evidence={"scope": "opd", "missing": missing, "covered": found},
            severity="medium" if CORE_DOMAINS.intersection(missing) else "low",
        )


@check(
    "coverage.application_without_owner",
    "coverage.service_without_application",
    "coverage.dataset_without_producer",
    "coverage.application_without_hosting",
)
def orphans(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    links = ctx.links_by_type
    delivered = {link.source for link in links.get("delivered_by", ())}
    hosted = {link.source for link in links.get("hosted_on", ())}
    hosted.update(link.source for link in links.get("channel_of", ()))
    produced = {link.target[1] for link in links.get("produces", ())}
    units = snapshot.units
    live = ctx.live_by_kind
    for item in live.get("application", ()):
        if item.owner_id is None or item.owner_id not in units:
            yield APPLICATION_WITHOUT_OWNER.finding(
                [ctx.subject(item)],
                f"Aplikasi {item.code} {item.name} tidak memiliki unit pemilik.",
                f"Application {item.code} {item.name} has no owning unit.",
                evidence={"owner_id": item.owner_id},
            )
        # Only applications in operation must run somewhere; a channel runs on its product.
        if (
            item.status == "active"
            and item.key not in hosted
            and not (item.attrs.get("hosting_note") or "").strip()
        ):
            yield APPLICATION_WITHOUT_HOSTING.finding(
                [ctx.subject(item)],
                f"Aplikasi {item.code} {item.name} beroperasi tetapi tidak tercatat berjalan di "
                "infrastruktur mana pun.",
                f"Application {item.code} {item.name} is in operation but no hosting is recorded.",
                evidence={"status": item.status, "platform": item.attrs.get("platform")},
            )
    for item in live.get("service", ()):
        method = item.attrs.get("method")
        if method != "non_elektronik" and item.key not in delivered:
            yield SERVICE_WITHOUT_APPLICATION.finding(
                [ctx.subject(item)],
                f"Layanan {item.code} {item.name} (metode {method or 'tidak diisi'}) tidak "
                "diselenggarakan aplikasi mana pun.",
                f"Service {item.code} {item.name} (method {method or 'not given'}) is not "
                "delivered by any application.",
                evidence={"method": method},
                # A purely electronic service with no application is surely a gap in the
                # record; a hybrid or unspecified one may not be.
                severity="medium" if method == "elektronik" else None,
            )
    for item in live.get("dataset", ()):
        attrs = item.attrs
        if (
            attrs.get("producer_id") is None
            and attrs.get("authoritative_application_id") is None
            and item.id not in produced
        ):
            yield DATASET_WITHOUT_PRODUCER.finding(
                [ctx.subject(item)],
                f"Data {item.code} {item.name} tidak memiliki unit produsen maupun aplikasi "
                "yang menghasilkannya.",
                f"Data set {item.code} {item.name} has neither a producing unit nor a "
                "producing application.",
                evidence={"owner": snapshot.unit_code(item.owner_id)},
            )


__all__ = [
    "CORE_DOMAINS",
    "DOMAINS",
    "DOMAIN_LABELS",
    "Coverage",
    "Sectors",
    "coded_schemes",
    "instansi_subject",
    "reference_problem",
]
