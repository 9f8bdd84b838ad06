"""Applications of one generated instansi (its data sets and services are planned by
:mod:`catalog.demo.datasets` and :mod:`catalog.demo.services` from what this records).

Applications come from *families* (one job each). Duplicates are planted the way they
arise in real inventories: another unit builds the same job under another name, a
unit registers the same system twice, every kelurahan builds its own; look-alikes
(the same acronym for unrelated jobs) and mobile channels of one product are planted
too, and everything planted is written to the truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from catalog.demo.datasets import plan_data
from catalog.demo.plan import InstansiPlan, Planned, slug
from catalog.demo.services import plan_services
from catalog.demo.source import DemoSource, Family, NameVariant
from catalog.demo.truth import lookalike_truth, member, national_overlaps, note_clusters

STATUS_WEIGHTS = (("active", 86), ("inactive", 7), ("development", 4), ("planned", 3))
LICENCES = (("milik_pemda", 70), ("open_source", 14), ("proprietary", 10), ("saas", 6))
FUNDING = (("apbd", 84), ("apbn", 5), ("dak", 4), ("hibah", 4), ("swadaya", 3))


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class Portfolio:
    """What later planning steps need to know about the applications and data."""

    apps_by_family: dict[str, list[str]] = field(default_factory=dict)  # family → app keys
    original: dict[str, str] = field(default_factory=dict)  # family → the first app's key
    dataset_of: dict[str, str] = field(default_factory=dict)  # template → ds key (authoritative)
    producer_of: dict[str, str] = field(default_factory=dict)  # ds key → producing app key
    family_of: dict[str, str] = field(default_factory=dict)  # app key → family id
    hosts: set[str] = field(default_factory=set)  # web hosts taken (one system each)
    # family → (kind, members) of its planted duplicates, noted in the truth at the end
    clusters: dict[str, tuple[str, list[Planned]]] = field(default_factory=dict)


def _fill(text: str, place: str, opd: str) -> str:
    return text.replace("{kota}", place).replace("{opd}", opd).strip()


def app_name(
    rng: random.Random, variant: NameVariant, place: str, opd: str
) -> tuple[str, str | None]:
    """How an operator would write the name: acronym alone, with its expansion in
    parentheses, the expansion alone… (real inventories mix all of these)."""
    name = _fill(variant.name, place, opd)
    acronym = _fill(variant.acronym, place, opd) if variant.acronym else None
    expansion = _fill(variant.expansion, place, opd) if variant.expansion else None
    if acronym and expansion:
        form = rng.random()
        if form < 0.4:
            name = f"{acronym} ({expansion})"
        elif form < 0.7:
            name = acronym
        elif form < 0.85:
            name = expansion
        else:
            name = f"{acronym} - {expansion}"
    return name, (acronym if rng.random() < 0.75 else None)


def _scale_for(families: list[Family], target: float) -> float:
    """Presence multiplier that makes the expected number of applications ≈ target."""
    low, high = 0.05, 20.0
    for _ in range(40):
        mid = (low + high) / 2
        expected = sum(min(0.97, f.presence * mid) for f in families)
        low, high = (mid, high) if expected < target else (low, mid)
    return (low + high) / 2


def plan_portfolio(
    src: DemoSource, plan: InstansiPlan, rng: random.Random, target_apps: int
) -> Portfolio:
    pf = Portfolio()
    units = plan.units
    kind = plan.place.kind
    families = [
        f for f in src.families.values() if _scope_ok(f.scope, kind) and units.by_role.get(f.owner)
    ]
    singles = [f for f in families if not f.per_unit]
    scale = _scale_for(singles, target_apps / 1.45)
    present = [f for f in families if rng.random() < min(0.97, f.presence * scale)]
    forced = _lookalike_variants(src, {f.id for f in present}, rng)
    dup_rate = min(0.5, 0.16 * max(1.0, scale**0.5))
    for fam in present:
        if fam.per_unit:
            _per_unit(plan, pf, fam, rng, scale)
            continue
        owner_key = units.first(fam.owner)
        assert owner_key is not None
        variant_index = forced.get(fam.id, rng.randrange(len(fam.names)))
        first = _new_app(plan, pf, fam, owner_key, variant_index, rng)
        members = [first]
        # The same job, built again by other units.
        for role in fam.dup_owners:
            dup_unit = units.first(role)
            if dup_unit is None or dup_unit == owner_key or len(members) >= 4:
                continue
            if rng.random() < dup_rate:
                other = variant_index if rng.random() < 0.3 else rng.randrange(len(fam.names))
                copy = _new_app(plan, pf, fam, dup_unit, other, rng, duplicate_of=first)
                _in_own_words(plan, fam, copy, first, rng, same_name=other == variant_index)
                members.append(copy)
        # The same system registered twice by its own unit.
        if rng.random() < 0.02 and len(fam.names) > 1:
            other = (variant_index + 1) % len(fam.names)
            members.append(_new_app(plan, pf, fam, owner_key, other, rng, duplicate_of=first))
        if len(members) > 1:
            pf.clusters[fam.id] = ("same_function", members)
        if fam.channels and rng.random() < 0.45:
            _channel(plan, pf, fam, first, fam.channels[0], rng)
    note_clusters(src, plan, pf)
    national_overlaps(src, plan, pf)
    lookalike_truth(src, plan, pf)
    richness = max(0.25, min(1.0, target_apps / 250))
    plan_data(src, plan, pf, rng, richness)
    plan_services(src, plan, pf, rng, richness)
    return pf


def _scope_ok(scope: str, kind: str) -> bool:
    return scope == "all" or scope == kind or (scope == "daerah" and kind in ("kota", "kabupaten"))


def _lookalike_variants(src: DemoSource, present: set[str], rng: random.Random) -> dict[str, int]:
    """When two families of a look-alike group are both present, often give both the
    shared acronym, as happens in real inventories (three different 'SIMADE')."""
    forced: dict[str, int] = {}
    for group in src.lookalikes:
        acronym = str(group.get("acronym", "")).lower()
        fams = [f for f in group.get("families", []) if f in present and f not in forced]
        if len(fams) < 2 or rng.random() > 0.7:
            continue
        for fid in fams:
            fam = src.families[fid]
            for i, v in enumerate(fam.names):
                if acronym and acronym in (v.acronym or v.name).lower():
                    forced[fid] = i
                    break
    return forced


def _new_app(
    plan: InstansiPlan,
    pf: Portfolio,
    fam: Family,
    unit_key: str,
    variant_index: int,
    rng: random.Random,
    *,
    duplicate_of: Planned | None = None,
    channel: str | None = None,
) -> Planned:
    unit = plan.units.get(unit_key)
    place = plan.place
    name, acronym = app_name(rng, fam.names[variant_index], place.place, unit.short or unit.name)
    description = _describe(fam, place.place, unit.name, rng)
    platform = {"web": "web", "mobile": "android", "desktop": "desktop"}.get(fam.basis, "web")
    url = None
    if platform == "web" and rng.random() < 0.75:
        if duplicate_of is not None and duplicate_of.fields["url"] and rng.random() < 0.25:
            url = duplicate_of.fields["url"]  # one system, registered by a second unit
        else:
            host = _host(pf, slug(acronym or name)[:24] or "app", unit.short or unit.name)
            url = f"https://{host}.{place.domain}"
    status = weighted(rng, STATUS_WEIGHTS)
    fields = {
        "name": name[:300],
        "acronym": acronym[:64] if acronym else None,
        "description": description,
        "function": fam.function if rng.random() < 0.7 else None,
        "output": fam.output if rng.random() < 0.5 else None,
        "app_type": "umum" if fam.reference_code.startswith("RAA.01") else "khusus",
        "national_role": "none",
        "reference_code": fam.reference_code if rng.random() < 0.85 else None,
        "status": status,
        "platform": platform,
        "licence_type": weighted(rng, LICENCES),
        "programming_language": rng.choice(fam.languages) if fam.languages else None,
        "framework": rng.choice(fam.frameworks) if fam.frameworks and rng.random() < 0.8 else None,
        "database": rng.choice(fam.databases) if fam.databases else None,
        "url": url,
        "year_built": rng.randint(2011, 2025),
        "funding_source": weighted(rng, FUNDING),
        "contract_value": rng.randrange(25, 900) * 1_000_000 if rng.random() < 0.45 else None,
    }
    app = plan.new("application", fields, owner_id=unit_key)
    app.meta.update(
        family=fam.id, duplicate_of=duplicate_of.key if duplicate_of else None, channel=channel
    )
    pf.apps_by_family.setdefault(fam.id, []).append(app.key)
    pf.family_of[app.key] = fam.id
    if duplicate_of is None and channel is None:
        pf.original.setdefault(fam.id, app.key)
    return app


def _describe(fam: Family, place: str, unit: str, rng: random.Random) -> str | None:
    """A description, or none (a third of real rows have none). A shared capability (an
    SMS gateway, a queue) is often described by what the unit uses it for ("Informasi
    pajak hotel dan restoran"), not by what it is."""
    if fam.unit_descriptions and rng.random() < 0.5:
        return _fill(rng.choice(fam.unit_descriptions), place, unit)
    return rng.choice(fam.descriptions) if fam.descriptions and rng.random() < 0.65 else None


def _host(pf: Portfolio, base: str, unit: str) -> str:
    """A web host of its own: two systems never share one (another unit's copy of a
    system carries the unit in its host, as "antrian-dukcapil")."""
    host = base
    if host in pf.hosts:
        host = f"{base}-{slug(unit)[:16] or 'opd'}"
    n = 2
    while host in pf.hosts:
        host, n = f"{base}{n}", n + 1
    pf.hosts.add(host)
    return host


def _in_own_words(
    plan: InstansiPlan,
    fam: Family,
    copy: Planned,
    first: Planned,
    rng: random.Random,
    *,
    same_name: bool,
) -> None:
    """Another unit registering the same job writes the row in its own words, as real
    inventories show ("SMS Gateway" three times, each described by what its unit sends;
    "Antrian Online (Akuwaras)" next to "Sistem Antrian"): the name often carries the
    unit; under the same name, the description is another wording or none and the
    function and output fields are mostly left empty. Then only the name says it is the
    same job: the matcher must not learn that duplicates always share their texts."""
    fields = copy.fields
    unit = plan.units.get(copy.refs["owner_id"])
    qualifier = unit.short or unit.name
    if rng.random() < 0.35 and qualifier not in fields["name"]:
        form = "{} ({})" if rng.random() < 0.5 else "{} {}"
        fields["name"] = form.format(fields["name"], qualifier)[:300]
    if not same_name:
        return
    own = [_fill(d, plan.place.place, unit.name) for d in fam.unit_descriptions]
    others = [d for d in (*fam.descriptions, *own) if d != first.fields["description"]]
    roll = rng.random()
    if roll < 0.3:
        fields["description"] = None
    elif others and roll < 0.85:
        fields["description"] = rng.choice(others)
    if rng.random() < 0.6:
        fields["function"] = None
    if rng.random() < 0.7:
        fields["output"] = None


def _per_unit(
    plan: InstansiPlan, pf: Portfolio, fam: Family, rng: random.Random, scale: float
) -> None:
    members = []
    variant = rng.randrange(len(fam.names))
    for unit_key in plan.units.by_role.get(fam.owner, []):
        if rng.random() < min(0.8, 0.35 * scale):
            # Units copy each other's system and description, under their own name.
            members.append(
                _new_app(
                    plan,
                    pf,
                    fam,
                    unit_key,
                    variant,
                    rng,
                    duplicate_of=None if not members else members[0],
                )
            )
    if len(members) > 1:
        _city_wide(plan, pf, fam, members, variant, rng)
        pf.clusters[fam.id] = ("per_unit", members)


def _city_wide(
    plan: InstansiPlan,
    pf: Portfolio,
    fam: Family,
    members: list[Planned],
    variant: int,
    rng: random.Random,
) -> None:
    """Often a central unit builds the city-wide system for the same job (Denpasar's
    e-Sewaka Dharma next to each kelurahan's own system): another name, a duplicate of
    every local copy."""
    central = next((u for r in fam.dup_owners if (u := plan.units.first(r))), None)
    if central is None or len(fam.names) < 2 or rng.random() > 0.4:
        return
    other = rng.choice([i for i in range(len(fam.names)) if i != variant])
    members.append(_new_app(plan, pf, fam, central, other, rng, duplicate_of=members[0]))


def _channel(
    plan: InstansiPlan, pf: Portfolio, fam: Family, main: Planned, channel: str, rng: random.Random
) -> None:
    base = main.fields["acronym"] or main.fields["name"]
    label = {"android": "Android", "ios": "iOS"}.get(channel, channel.title())
    name = rng.choice(
        [f"{base} Mobile", f"{base} ({label})", f"Aplikasi {base} {label}", f"{base} {label}"]
    )
    app = plan.new(
        "application",
        {
            **{k: v for k, v in main.fields.items() if k != "code"},
            "name": name[:300],
            "url": None,
            "platform": channel if channel in ("android", "ios") else "mobile",
            "description": main.fields["description"] if rng.random() < 0.5 else None,
            "programming_language": rng.choice(["Kotlin", "Java", "Dart"]),
            "framework": rng.choice(["Flutter", "Android SDK", "React Native"]),
        },
        owner_id=main.refs["owner_id"],
    )
    app.meta.update(family=fam.id, channel=channel, channel_of=main.key)
    pf.apps_by_family.setdefault(fam.id, []).append(app.key)
    pf.family_of[app.key] = fam.id
    linked = rng.random() < 0.5
    if linked:
        plan.relate("channel_of", app.key, main.key)
    plan.note(
        "channel_groups",
        {"family": fam.id, "linked": linked, "members": [member(plan, main), member(plan, app)]},
    )
