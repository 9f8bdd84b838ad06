"""Integrations of one generated instansi, with planted integration gaps.

By construction, every application that reads a data set produced by another
application is linked to it through the SPL, confirmed by both sides — except where a
gap is planted on purpose and written to the truth:

- ``point_to_point``: an integration with no SPL in between;
- ``one_sided``: an integration only one side has confirmed;
- ``read_without_integration``: an application reads a data set whose authoritative
  producer is another application, with no integration between the two;
- ``shared_without_integration``: two applications produce the same data set with no
  integration between them (re-keying);
- ``opd_without_spl``: a unit (top-level OPD) whose integrations never use the SPL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from catalog.demo.plan import InstansiPlan, slug
from catalog.demo.portfolio import Portfolio
from catalog.demo.source import DemoSource

P_POINT_TO_POINT = 0.05
P_ONE_SIDED = 0.04
P_READ_GAP = 0.05
P_NATIONAL_READ_GAP = 0.15
# Shared platforms most applications lean on: (family providing it, data set template it
# serves or None, chance that an application uses it).
PLATFORMS = (
    ("sso", None, 0.6),
    ("kepegawaian", "ds_data_pegawai", 0.3),
    ("kependudukan", "ds_data_kependudukan", 0.2),
    ("tanda_tangan_elektronik", None, 0.1),
)
# National systems the applications of a unit commonly exchange data with.
NATIONAL_BY_ROLE = {
    "bpkad": ("SIPD", "SIKD", "SIMDA"),
    "bapenda": ("SIPD",),
    "bappeda": ("SIPD", "KRISNA"),
    "bkpsdm": ("SIASN", "EKINERJA-BKN"),
    "setda_pbj": ("SPSE", "SIRUP", "EKATALOG"),
    "setda_organisasi": ("ESAKIP",),
    "setda_hukum": ("JDIHN",),
    "dukcapil": ("SIAK",),
    "dinkes": ("SATUSEHAT",),
    "rsud": ("SATUSEHAT", "SIRS"),
    "puskesmas": ("SATUSEHAT",),
    "dinsos": ("SIKS-NG",),
    "disdik": ("DAPODIK",),
    "dpmptsp": ("OSS-RBA",),
    "dpupr": ("SIMBG",),
    "perkim": ("SIMBG",),
    "dpmd": ("SISKEUDES",),
    "bpbd": ("DIBI",),
    "dp3a": ("SIMFONI-PPA",),
    "diskominfo": ("PORTAL-SDI", "BSRE"),
}
P_NATIONAL_LINK = 0.6


@dataclass
class Wanted:
    provider: str
    consumer: str
    carries: list[str] = field(default_factory=list)
    two_way: bool = False


def national_datasets(src: DemoSource) -> dict[str, list[str]]:
    """National application code → codes of the data sets it is authoritative for."""
    return {
        app["code"]: [d["id"].upper().replace("_", "-") for d in app.get("data_sets") or []]
        for app in src.national["applications"]
    }


def top_unit(plan: InstansiPlan, unit_key: str) -> str:
    unit = plan.units.get(unit_key)
    while unit.parent is not None:
        unit = plan.units.get(unit.parent)
    return unit.key


def plan_links(
    src: DemoSource, plan: InstansiPlan, pf: Portfolio, rng: random.Random, spl: str
) -> None:
    wanted: dict[tuple[str, str], Wanted] = {}

    def want(provider: str, consumer: str, ds: str | None, two_way: bool = False) -> None:
        w = wanted.setdefault((provider, consumer), Wanted(provider, consumer, two_way=two_way))
        if ds and ds not in w.carries:
            w.carries.append(ds)

    gaps: list[tuple[str, str, str]] = []  # planted reads without integration
    apps = [a for a in plan.items.get("application", []) if not a.meta.get("channel")]
    for app in apps:
        fam = src.families[app.meta["family"]]
        for tid in fam.reads:
            ds_key = pf.dataset_of.get(tid)
            producer = pf.producer_of.get(ds_key) if ds_key else None
            if producer is None or producer == app.key:
                continue
            plan.relate("reads", app.key, ds_key)  # type: ignore[arg-type]
            if rng.random() < P_READ_GAP:
                gaps.append((app.key, ds_key, producer))  # type: ignore[arg-type]
                continue
            want(producer, app.key, ds_key)
    nat_ds = national_datasets(src)
    for family, codes in sorted(src.feeds.items()):
        for key in pf.apps_by_family.get(family, []):
            if plan.by_key[key].meta.get("channel"):
                continue
            for code in codes:
                carried = nat_ds.get(code, [])[:1]
                for ds_code in carried:
                    plan.relate("reads", key, f"nat-ds:{ds_code}")
                if carried and rng.random() < P_NATIONAL_READ_GAP:
                    gaps.append((key, f"nat-ds:{carried[0]}", f"nat-app:{code}"))
                    continue
                want(
                    f"nat-app:{code}",
                    key,
                    f"nat-ds:{carried[0]}" if carried else None,
                    two_way=True,
                )
    for family, template, chance in PLATFORMS:
        provider = pf.original.get(family)
        if provider is None:
            continue
        ds_key = pf.dataset_of.get(template) if template else None
        if template and (ds_key is None or pf.producer_of.get(ds_key) != provider):
            continue
        for app in apps:
            if app.key == provider or pf.family_of.get(app.key) == family:
                continue
            if rng.random() < chance:
                if ds_key:
                    plan.relate("reads", app.key, ds_key)
                want(provider, app.key, ds_key)
    national_codes = {code for code in nat_ds} if (nat_ds := national_datasets(src)) else set()
    for app in apps:
        roles = plan.units.get(app.refs["owner_id"]).roles
        options = [c for r in roles for c in NATIONAL_BY_ROLE.get(r, ()) if c in national_codes]
        for code in options:
            if rng.random() >= P_NATIONAL_LINK:
                continue
            carried = nat_ds.get(code, [])[:1]
            for ds_code in carried:
                plan.relate("reads", app.key, f"nat-ds:{ds_code}")
            want(
                f"nat-app:{code}",
                app.key,
                f"nat-ds:{carried[0]}" if carried else None,
                two_way=True,
            )
    dashboard = pf.original.get("dashboard_eksekutif")
    if dashboard:
        sources = sorted(k for k, p in pf.producer_of.items() if p != dashboard)
        for ds_key in rng.sample(sources, k=min(15, len(sources))):
            plan.relate("reads", dashboard, ds_key)
            want(pf.producer_of[ds_key], dashboard, ds_key)
    for app in plan.items.get("application", []):
        if app.meta.get("channel_of"):
            want(app.meta["channel_of"], app.key, None)
    # The Satu Data portal harvests every open data set that an application produces.
    portal = pf.original.get("satu_data")
    if portal:
        for ds_key, producer in sorted(pf.producer_of.items()):
            ds = plan.by_key[ds_key]
            if producer != portal and ds.fields["classification"] == "terbuka":
                plan.relate("reads", portal, ds_key)
                want(producer, portal, ds_key)

    # A read is a gap only if nothing else links the two applications, and only while
    # the reader is in use: an inactive application reads nothing today (an inactive
    # producer still leaves the reader without a link to the data's source).
    for consumer, ds_key, provider in gaps:
        linked = (provider, consumer) in wanted or (consumer, provider) in wanted
        if not linked and _in_use(plan, consumer):
            _read_gap(plan, consumer, ds_key, provider)
    pairs = list(wanted.values())
    no_spl_opd = _pick_opd_without_spl(plan, pairs, rng)
    for w in pairs:
        _integration(plan, w, rng, spl, no_spl_opd)
    _plant_shared(plan, pf, rng, wanted)
    _opd_without_spl_truth(plan)


def _label(plan: InstansiPlan, key: str) -> str:
    if key.startswith("nat-app:"):
        return key.removeprefix("nat-app:")
    app = plan.by_key[key]
    return app.fields["acronym"] or app.fields["name"]


def _ref(plan: InstansiPlan, key: str) -> str:
    """How the truth names an application: its code, or 'national:CODE'."""
    if key.startswith("nat-app:"):
        return "national:" + key.removeprefix("nat-app:")
    return plan.by_key[key].code


def _ds_ref(plan: InstansiPlan, key: str) -> str:
    if key.startswith("nat-ds:"):
        return "national:" + key.removeprefix("nat-ds:")
    return plan.by_key[key].code


def _in_use(plan: InstansiPlan, key: str) -> bool:
    """Whether an application is in use (national systems always are)."""
    if key.startswith("nat-app:"):
        return True
    return plan.by_key[key].fields.get("status") not in ("retired", "inactive")


def _read_gap(plan: InstansiPlan, consumer: str, ds: str, provider: str) -> None:
    plan.note(
        "integration_gaps",
        {
            "rule": "read_without_integration",
            "consumer": _ref(plan, consumer),
            "dataset": _ds_ref(plan, ds),
            "provider": _ref(plan, provider),
        },
    )


def _owner_of(plan: InstansiPlan, key: str) -> str | None:
    if key.startswith("nat-app:"):
        return None
    return plan.by_key[key].refs["owner_id"]


def _pick_opd_without_spl(
    plan: InstansiPlan, pairs: list[Wanted], rng: random.Random
) -> str | None:
    """A top-level unit all of whose integrations will bypass the SPL (every catalogue
    shows the finding, as most real ones would)."""
    touching: dict[str, int] = {}
    kominfo = plan.units.first("diskominfo")
    for w in pairs:
        for side in (w.provider, w.consumer):
            owner = _owner_of(plan, side)
            if owner:
                top = top_unit(plan, owner)
                touching[top] = touching.get(top, 0) + 1
    candidates = sorted(u for u, n in touching.items() if 1 <= n <= 6 and u != kominfo)
    return rng.choice(candidates) if candidates else None


def _integration(
    plan: InstansiPlan, w: Wanted, rng: random.Random, spl: str, no_spl_opd: str | None
) -> None:
    tops = {
        top_unit(plan, o) for o in (_owner_of(plan, w.provider), _owner_of(plan, w.consumer)) if o
    }
    forced = no_spl_opd is not None and no_spl_opd in tops
    p2p = forced or rng.random() < P_POINT_TO_POINT
    one_sided = rng.random() < P_ONE_SIDED
    provider_local = not w.provider.startswith("nat-app:")
    owner = _owner_of(plan, w.provider) if provider_local else _owner_of(plan, w.consumer)
    if p2p:
        mechanism = rng.choice(["database_link", "database_link", "rest_api", "file_transfer"])
    else:
        mechanism = rng.choices(
            ["rest_api", "soap_api", "message_queue", "file_transfer"], weights=[80, 10, 5, 5]
        )[0]
    confirmed_provider, confirmed_consumer = True, True
    if one_sided:
        if rng.random() < 0.5:
            confirmed_consumer = False
        else:
            confirmed_provider = False
    place = plan.place
    fields = {
        "name": f"{_label(plan, w.provider)} → {_label(plan, w.consumer)}"[:300],
        "mechanism": mechanism,
        "direction": "two_way" if w.two_way else "one_way",
        "status": "active",
        "endpoint": None
        if p2p
        else f"https://api.{place.domain}/{slug(_label(plan, w.provider))[:20]}/v1",
        "started_on": f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}",
        "confirmed_by_provider": confirmed_provider,
        "confirmed_by_consumer": confirmed_consumer,
    }
    refs = {"owner_id": owner, "provider_id": w.provider, "consumer_id": w.consumer}
    if not p2p:
        refs["intermediary_id"] = spl
    item = plan.new("integration", fields, **refs)  # type: ignore[arg-type]
    item.carries = list(w.carries)
    base = {
        "integration": item.code,
        "provider": _ref(plan, w.provider),
        "consumer": _ref(plan, w.consumer),
    }
    if p2p:
        plan.note("integration_gaps", {"rule": "point_to_point", **base})
    if one_sided:
        plan.note(
            "integration_gaps",
            {
                "rule": "one_sided",
                **base,
                "unconfirmed_by": "consumer" if not confirmed_consumer else "provider",
            },
        )


def _plant_shared(
    plan: InstansiPlan, pf: Portfolio, rng: random.Random, wanted: dict[tuple[str, str], Wanted]
) -> None:
    """A second application also producing a data set, with no integration to its
    producer: the same data keyed in twice. Every instansi gets one where any pair allows
    (the demo is meant to show every kind of gap, a city's too)."""
    linked = {(a, b) for a, b in wanted} | {(b, a) for a, b in wanted}
    # Both applications in use: keying data in twice is a gap only while both do it.
    datasets = sorted(
        k
        for k, p in pf.producer_of.items()
        if not plan.by_key[k].meta.get("copy_of") and _in_use(plan, p)
    )
    apps = [
        a.key
        for a in plan.items.get("application", [])
        if not a.meta.get("channel") and _in_use(plan, a.key)
    ]
    if not datasets or len(apps) < 3:
        return
    rng.shuffle(datasets)
    for ds_key, other in ((d, a) for d in datasets for a in rng.sample(apps, len(apps))):
        producer = pf.producer_of[ds_key]
        same_family = pf.family_of.get(other) == pf.family_of.get(producer)
        if other == producer or same_family or (producer, other) in linked:
            continue
        if ("produces", other, ds_key) in plan.relations or (
            "reads",
            other,
            ds_key,
        ) in plan.relations:
            continue
        plan.relate("produces", other, ds_key)
        plan.note(
            "integration_gaps",
            {
                "rule": "shared_without_integration",
                "apps": sorted([_ref(plan, producer), _ref(plan, other)]),
                "dataset": _ds_ref(plan, ds_key),
            },
        )
        return


def _opd_without_spl_truth(plan: InstansiPlan) -> None:
    """Computed from the final plan: every top-level unit that takes part in an
    integration (as owner of either application) and never through the SPL."""
    uses: dict[str, bool] = {}
    for item in plan.items.get("integration", []):
        via = "intermediary_id" in item.refs
        for side in ("provider_id", "consumer_id"):
            owner = _owner_of(plan, item.refs[side])
            if owner:
                top = top_unit(plan, owner)
                uses[top] = uses.get(top, False) or via
    for top, via in sorted(uses.items()):
        if not via:
            plan.note(
                "integration_gaps", {"rule": "opd_without_spl", "opd": plan.units.get(top).code}
            )
