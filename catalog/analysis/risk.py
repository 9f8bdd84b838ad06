"""Risk: what stops when one item does (family ``risk``).

Two rules over the dependency graph (:func:`catalog.analysis.graph.dependencies`: an edge
``a → b`` when ``a`` needs ``b``):

``risk.single_point_of_failure``
    A live infrastructure item (server, data centre, network, cloud, SPL…) whose loss
    cuts many applications of several OPD, or many active services. What depends on it is
    its impact (:func:`catalog.analysis.graph.impact`): the applications hosted on it or on
    what is hosted on it, the integrations through it (an SPL) and their consumers, the
    services and processes those applications support. Redundancy is not modelled by the
    catalogue yet (an application hosted on two servers still counts as cut by either):
    the finding asks the owner to record it, or to accept the risk with its reason.
``risk.service_on_inactive_application``
    An active service (or business process) that depends on an application that is
    retired or inactive (lifecycle status). Severity ``medium`` when nothing live is left
    to deliver it, ``low`` when another live application still does.

Both stay linear at national scale: the impact walk runs only for infrastructure items
that pass a cheap test (enough applications hosted on them, directly or through other
infrastructure, or integrations running through them), and the second rule reads two
relation types once. The walk has the semantics of :func:`catalog.analysis.graph.impact`
over :func:`~catalog.analysis.graph.dependencies` (the same :data:`DEPENDENT_END` table),
but over a plain adjacency built from the snapshot (:func:`dependents`): the NetworkX
graph of a national snapshot takes seconds to build, the adjacency a fraction of one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from catalog.analysis.collector import collector_paused
from catalog.analysis.findings import Finding
from catalog.analysis.graph import DEPENDENT_END
from catalog.analysis.integration import top_units
from catalog.analysis.rules import Context, check, rule
from catalog.analysis.snapshot import Item, NodeKey

#: A failure matters to the SPBE coordination team when it stops the work of several OPD,
#: not one unit's own server: an item is reported when its impact reaches at least
#: SPOF_MIN_APPLICATIONS applications of at least SPOF_MIN_OPD OPD (a fifth or more of a
#: small kota's ~50 live applications), or at least SPOF_MIN_SERVICES active services
#: (services are what citizens and ASN notice).
SPOF_MIN_APPLICATIONS = 10
SPOF_MIN_OPD = 2
SPOF_MIN_SERVICES = 10
#: Impact across this many OPD makes the finding ``high``: a city-wide outage.
SPOF_HIGH_OPD = 5
#: How many dependent items the evidence names (the count is always given in full).
SAMPLE = 10

# Lifecycle states of an application that no longer runs. The lifecycle has no "planned
# for retirement" state yet (catalog.enums.LifecycleStatus); when it gets one, it belongs
# here, at a lower severity.
DEAD_STATUSES = frozenset(("inactive", "retired"))
#: A service or process counts as active in these lifecycle states (not planned, not
#: being developed, not switched off).
ACTIVE_STATUSES = frozenset(("active",))

SINGLE_POINT = rule(
    "risk.single_point_of_failure",
    "medium",
    "Titik kegagalan tunggal infrastruktur",
    "Infrastructure single point of failure",
    why=(
        "Perpres 95/2018 (Pasal 27 dan 51) menuntut infrastruktur SPBE yang andal dan "
        "berkesinambungan, dan PermenPANRB 59/2020 menilai Manajemen Aset TIK (indikator 24) "
        "serta Manajemen Keberlangsungan Layanan; satu server, pusat data atau SPL yang "
        "menghentikan banyak aplikasi dan layanan lintas OPD bila gagal adalah risiko yang "
        "harus diketahui dan dikelola."
    ),
    why_en=(
        "Perpres 95/2018 (Articles 27 and 51) asks for reliable, continuous SPBE "
        "infrastructure and PermenPANRB 59/2020 assesses ICT asset management (indicator 24) "
        "and service continuity; one server, data centre or SPL whose failure stops many "
        "applications and services across OPD is a risk to be known and managed."
    ),
    clear=(
        "Catat redundansi (server/pusat data cadangan, klaster, DRC) atau rencana "
        "keberlangsungan layanan untuk item ini, atau tandai 'risiko diterima' dengan "
        "alasannya."
    ),
    clear_en=(
        "Record the redundancy (standby server or data centre, cluster, DRC) or the "
        "service-continuity plan for this item, or mark the finding 'accepted risk' with "
        "the reason."
    ),
)
INACTIVE_APPLICATION = rule(
    "risk.service_on_inactive_application",
    "medium",
    "Layanan aktif bergantung pada aplikasi tidak aktif",
    "Active service depends on an inactive application",
    why=(
        "Layanan SPBE (Perpres 95/2018 Pasal 41–44; indikator layanan 32–47 PermenPANRB "
        "59/2020) harus didukung aplikasi yang beroperasi; layanan aktif yang dicatat "
        "bergantung pada aplikasi tidak aktif atau dihentikan berarti layanan itu terhenti "
        "atau katalognya tidak benar."
    ),
    why_en=(
        "SPBE services (Perpres 95/2018 Articles 41–44; service indicators 32–47 of "
        "PermenPANRB 59/2020) need applications in operation; an active service recorded as "
        "depending on an inactive or retired application is either stopped or wrongly "
        "catalogued."
    ),
    clear=(
        "Hubungkan layanan dengan aplikasi pengganti yang beroperasi (dan hapus relasi lama), "
        "aktifkan kembali aplikasinya, atau ubah status layanan bila memang sudah berhenti."
    ),
    clear_en=(
        "Link the service to the application that replaced it (and remove the old "
        "relation), bring the application back into operation, or change the service's "
        "status if it has indeed stopped."
    ),
)


_NOT_COUNTED = frozenset(("process",))


def _active(item: Item) -> bool:
    return not item.retired and item.status in ACTIVE_STATUSES


def _dead(item: Item) -> bool:
    return item.retired or item.status in DEAD_STATUSES


def dependents(ctx: Context) -> dict[NodeKey, list[NodeKey]]:
    """``b → [a, …]`` for every ``a`` that needs ``b`` (built once per run, shared).

    >>> from catalog.analysis.snapshot import Link, Snapshot
    >>> s = Snapshot.build(
    ...     [Item("service", 1, "LY-1", "Izin", 9), Item("application", 2, "APL-1", "A", 9),
    ...      Item("infrastructure", 3, "INF-1", "Server", 9)],
    ...     links=[Link("delivered_by", ("service", 1), ("application", 2)),
    ...            Link("hosted_on", ("application", 2), ("infrastructure", 3))])
    >>> sorted(walk(dependents(Context(s)), ("infrastructure", 3)))
    [('application', 2), ('service', 1)]
    """
    cache = vars(ctx)
    if "_risk_dependents" in cache:
        return cache["_risk_dependents"]
    out: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for type_, links in ctx.links_by_type.items():
        end = DEPENDENT_END.get(type_)
        if end == "source":
            for link in links:
                out[link.target].append(link.source)
        elif end == "target":
            for link in links:
                out[link.source].append(link.target)
    for item in ctx.snapshot.items.values():
        if item.kind != "integration":
            continue
        attrs = item.attrs
        key = item.key
        # As in catalog.analysis.graph.build_graph: the integration needs its provider,
        # its bus and the data it carries; its consumer needs it.
        provider, consumer = attrs.get("provider_id"), attrs.get("consumer_id")
        via = attrs.get("intermediary_id")
        if provider is not None:
            out[("application", provider)].append(key)
        if via is not None:
            out[("infrastructure", via)].append(key)
        for data_set in attrs.get("data_set_ids", ()):
            out[("dataset", data_set)].append(key)
        if consumer is not None:
            out[key].append(("application", consumer))
    cache["_risk_dependents"] = out
    return out


def walk(
    needed_by: dict[NodeKey, list[NodeKey]],
    start: NodeKey,
    skip: frozenset[str] = frozenset(),
    known: dict[NodeKey, set[NodeKey]] | None = None,
) -> set[NodeKey]:
    """Everything that needs ``start``, directly or not (its impact), leaving out the
    kinds in ``skip`` (and what is reached only through them). ``known`` holds impacts
    already walked (same ``skip``): a data centre's walk reuses its servers'."""
    seen: set[NodeKey] = set()
    stack = [start]
    while stack:
        for other in needed_by.get(stack.pop(), ()):
            if other in seen or other == start or other[0] in skip:
                continue
            seen.add(other)
            done = known.get(other) if known else None
            if done is not None:
                # Its whole impact is known: nothing below it needs walking again.
                seen |= done
            else:
                stack.append(other)
    seen.discard(start)
    return seen


def _hosting_reach(ctx: Context) -> dict[NodeKey, int]:
    """For each live infrastructure item in scope, a cheap count of what rests on it:
    applications hosted on it and integrations through it, on it or on the
    infrastructure hosted on it up to two levels down (data centre → host → virtual
    machine → application; SPL → integration)."""
    direct: dict[NodeKey, int] = defaultdict(int)
    below: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for link in ctx.links_by_type.get("hosted_on", ()):
        if link.target[0] != "infrastructure":
            continue
        if link.source[0] == "application":
            direct[link.target] += 1
        elif link.source[0] == "infrastructure":
            below[link.target].append(link.source)
    for item in ctx.live_by_kind.get("integration", ()):
        via = item.attrs.get("intermediary_id")
        if via is not None:
            direct[("infrastructure", via)] += 1
    out: dict[NodeKey, int] = {}
    for item in ctx.live_by_kind.get("infrastructure", ()):
        key = item.key
        total = direct.get(key, 0)
        for child in below.get(key, ()):
            total += direct.get(child, 0)
            for grandchild in below.get(child, ()):
                total += direct.get(grandchild, 0)
        out[key] = total
    return out


@check(SINGLE_POINT.id)
def single_points_of_failure(ctx: Context) -> Iterator[Finding]:
    with collector_paused():
        # Collected before yielding: the walks allocate many small sets.
        found = list(_single_points(ctx))
    yield from found


def _single_points(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items = snapshot.items
    reach = _hosting_reach(ctx)
    # Cheap pre-filter: the impact walk runs only where enough rests on the item. An
    # item carrying fewer applications and integrations than the lower threshold is
    # skipped, even if a handful of applications deliver many services (a trade for
    # linear time; such an item is still visible on its impact page).
    floor = min(SPOF_MIN_APPLICATIONS, SPOF_MIN_SERVICES)
    needed_by = None
    known: dict[NodeKey, set[NodeKey]] = {}
    candidates = [
        item for item in ctx.live_by_kind.get("infrastructure", ()) if reach[item.key] >= floor
    ]
    # What rests on less is walked first (a virtual machine before its host, a host before
    # its data centre), so that the bigger walks reuse the smaller ones.
    if not candidates:
        # Most instansi: nothing rests on enough. The OPD table (a pass over every unit,
        # the national ones too) and the dependents are built only when needed.
        return
    candidates.sort(key=lambda item: reach[item.key])
    tops = top_units(snapshot)
    live = ctx.live_by_kind
    counted_apps = {a.key for a in live.get("application", ())}
    counted_services = {s.key for s in live.get("service", ()) if _active(s)}
    for item in candidates:
        if needed_by is None:
            needed_by = dependents(ctx)
        # Processes are leaves of the walk and not counted: left out, a quarter less work.
        cut = known[item.key] = walk(needed_by, item.key, _NOT_COUNTED, known)
        # Only live applications and active services of the analysed instansi count.
        apps = [items[k] for k in cut if k in counted_apps]
        services = [items[k] for k in cut if k in counted_services]
        opd = {
            tops[a.owner_id].code
            for a in (*apps, *services)
            if a.owner_id is not None and a.owner_id in tops
        }
        if not (
            (len(apps) >= SPOF_MIN_APPLICATIONS and len(opd) >= SPOF_MIN_OPD)
            or len(services) >= SPOF_MIN_SERVICES
        ):
            continue
        apps.sort(key=lambda a: a.code)
        services.sort(key=lambda s: s.code)
        kind = item.attrs.get("infra_type") or "infrastructure"
        message = (
            f"Jika {item.name} ({item.code}) gagal, {len(apps)} aplikasi dan {len(services)} "
            f"layanan aktif dari {len(opd)} OPD ikut terhenti."
        )
        message_en = (
            f"If {item.name} ({item.code}) fails, {len(apps)} applications and "
            f"{len(services)} active services of {len(opd)} OPD stop with it."
        )
        yield SINGLE_POINT.finding(
            [ctx.subject(item)],
            message,
            message_en,
            evidence={
                "infra_type": kind,
                "applications": len(apps),
                "services": len(services),
                "opd": sorted(opd),
                "impact": len(cut),  # everything reached except processes
                "sample_applications": [{"code": a.code, "name": a.name} for a in apps[:SAMPLE]],
                "sample_services": [{"code": s.code, "name": s.name} for s in services[:SAMPLE]],
                "thresholds": {
                    "applications": SPOF_MIN_APPLICATIONS,
                    "opd": SPOF_MIN_OPD,
                    "services": SPOF_MIN_SERVICES,
                },
            },
            score=min(1.0, len(apps) / (4 * SPOF_MIN_APPLICATIONS)),
            severity="high" if len(opd) >= SPOF_HIGH_OPD else None,
        )


@check(INACTIVE_APPLICATION.id)
def services_on_inactive_applications(ctx: Context) -> Iterator[Finding]:
    snapshot = ctx.snapshot
    items = snapshot.items
    # Who delivers each service, and what each process needs: read off the relations,
    # a pass over two relation types.
    delivered: dict[NodeKey, list[Item]] = defaultdict(list)
    for link in ctx.links_by_type.get("delivered_by", ()):
        app = items.get(link.target)
        if app is not None and link.target[0] == "application":
            delivered[link.source].append(app)
    for link in ctx.links_by_type.get("depends_on", ()):
        app = items.get(link.target)
        if app is not None and link.target[0] == "application" and link.source[0] == "service":
            delivered[link.source].append(app)
    # Services left with no live application: their processes are cut too.
    stopped: dict[NodeKey, list[Item]] = {}
    for key, apps in sorted(delivered.items()):
        dead = [a for a in apps if _dead(a)]
        if not dead:
            continue
        service = items.get(key)
        if service is None or not snapshot.in_scope(service) or not _active(service):
            continue
        alive = [a for a in apps if not _dead(a)]
        if not alive:
            stopped[key] = dead
        yield _inactive_finding(ctx, service, dead, alive, via=None)
    if not stopped:
        return
    for link in ctx.links_by_type.get("supported_by", ()):
        if link.target not in stopped:
            continue
        process = items.get(link.source)
        if process is None or not snapshot.in_scope(process) or not _active(process):
            continue
        yield _inactive_finding(ctx, process, stopped[link.target], [], via=items[link.target])


def _inactive_finding(
    ctx: Context, item: Item, dead: list[Item], alive: list[Item], via: Item | None
) -> Finding:
    dead = sorted(dead, key=lambda a: a.code)
    names = ", ".join(
        f"{a.name} ({a.code}, {'dihentikan' if a.retired else a.status})" for a in dead
    )
    names_en = ", ".join(
        f"{a.name} ({a.code}, {'retired' if a.retired else a.status})" for a in dead
    )
    what = "Layanan" if item.kind == "service" else "Proses bisnis"
    what_en = "Service" if item.kind == "service" else "Business process"
    through = f" melalui layanan {via.name} ({via.code})" if via else ""
    through_en = f" through the service {via.name} ({via.code})" if via else ""
    evidence: dict[str, object] = {
        "inactive_applications": [
            {"code": a.code, "name": a.name, "status": "retired" if a.retired else a.status}
            for a in dead
        ],
        "live_alternatives": [{"code": a.code, "name": a.name} for a in alive],
    }
    if via is not None:
        evidence["via_service"] = {"code": via.code, "name": via.name}
    subjects = [item, *([via] if via else []), *dead]
    return INACTIVE_APPLICATION.finding(
        ctx.subjects(subjects),
        f"{what} aktif {item.name} ({item.code}) bergantung{through} pada aplikasi yang "
        f"tidak aktif: {names}.",
        f"Active {what_en.lower()} {item.name} ({item.code}) depends{through_en} on an "
        f"application that is not in operation: {names_en}.",
        evidence=evidence,
        severity="low" if alive else None,
    )


__all__ = ["INACTIVE_APPLICATION", "SINGLE_POINT", "dependents", "walk"]
