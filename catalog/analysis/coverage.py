"""Coverage: is the architecture complete in all six domains, and without orphans?

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

from collections.abc import Iterator
from dataclasses import dataclass, field

from catalog.analysis.findings import Finding, Subject
from catalog.analysis.integration import top_units, unit_subject
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Snapshot

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
        >>> from catalog.analysis.snapshot import Item, Link, Unit
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
    "instansi_subject",
]
