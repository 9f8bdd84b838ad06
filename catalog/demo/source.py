"""The demo generator's source material (YAML under ``catalog/demo/data``), loaded once.

Every file refers to organisation units only through *roles* (``roles.yaml``): what a
unit does, independent of the name a given Pemda gives it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
# Held-out application families (same schema as applications.yaml), kept apart so that the
# matcher can be measured on families it was never tuned on.
BLIND = "applications-blind.yaml"
NATIONAL = Path(__file__).resolve().parent.parent / "data" / "national.yaml"


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Role:
    key: str
    scope: str
    label: str
    multiple: bool = False
    parent: str | None = None

    def applies_to(self, kind: str) -> bool:
        """Whether a Pemda of this kind ('kota', 'kabupaten', 'provinsi') has the role."""
        if self.scope == "all":
            return True
        if self.scope == "daerah":
            return kind in ("kota", "kabupaten")
        return self.scope == kind


@dataclass(frozen=True)
class NameVariant:
    name: str
    acronym: str | None = None
    expansion: str | None = None


@dataclass(frozen=True)
class Family:
    """One job an application does; variants are the names Pemda give it."""

    id: str
    function: str
    output: str | None
    owner: str
    dup_owners: tuple[str, ...]
    scope: str
    presence: float
    per_unit: bool
    reference_code: str
    basis: str
    channels: tuple[str, ...]
    names: tuple[NameVariant, ...]
    descriptions: tuple[str, ...]
    languages: tuple[str, ...]
    frameworks: tuple[str, ...]
    databases: tuple[str, ...]
    delivers: tuple[str, ...]
    reads: tuple[str, ...]
    produces: tuple[str, ...]
    national_overlap: str | None = None
    national_feed: str | None = None
    # Descriptions a unit writes of its own use of a shared capability ("Informasi pajak
    # hotel lewat SMS" for an SMS gateway), with {opd}; see portfolio._describe.
    unit_descriptions: tuple[str, ...] = ()
    # Another family doing the same job by other units (kecamatan websites and the
    # city's portal): their truth clusters are one.
    same_job_as: str | None = None


@dataclass(frozen=True)
class DataTemplate:
    id: str
    name: str
    description: str | None
    purpose: str | None
    rad: str
    producer: str
    sifat: str
    jenis: str
    jadwal: str
    format: str
    master: bool
    reference: bool


@dataclass(frozen=True)
class ServiceTemplate:
    id: str
    name: str
    purpose: str | None
    function: str | None
    owner: str
    target: str
    method: str
    ral: str
    processes: tuple[str, ...]


@dataclass(frozen=True)
class ProcessTemplate:
    id: str
    name: str
    description: str | None
    owner: str
    rab: str
    goal: str | None
    indicator: str | None


@dataclass
class DemoSource:
    roles: dict[str, Role]
    provinces: list[tuple[str, str]]
    regencies: list[tuple[str, str]]
    units: dict[str, list[dict[str, Any]]]
    merged: list[dict[str, Any]]
    places: list[str]
    families: dict[str, Family]
    lookalikes: list[dict[str, Any]]
    datasets: dict[str, DataTemplate]
    services: dict[str, ServiceTemplate]
    processes: dict[str, ProcessTemplate]
    national: dict[str, Any]
    # national app code → local family it duplicates / must integrate with
    overlaps: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, list[str]] = field(default_factory=dict)
    # Ids of the families read from applications-blind.yaml: the duplicate matcher's blind
    # held-out set, never to be used for tuning it.
    blind: frozenset[str] = frozenset()


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _family(f: dict[str, Any]) -> Family:
    """One application family from its YAML mapping (applications.yaml or the blind file)."""
    return Family(
        id=f["id"],
        function=f["function"],
        output=f.get("output"),
        owner=f["owner"],
        dup_owners=_tuple(f.get("dup_owners")),
        scope=f.get("scope", "all"),
        presence=float(f.get("presence", 0.5)),
        per_unit=bool(f.get("per_unit")),
        reference_code=f.get("reference_code") or "RAA.02.02",
        basis=f.get("basis") or "web",
        channels=_tuple(f.get("channels")),
        names=tuple(
            NameVariant(n["name"], n.get("acronym"), n.get("expansion")) for n in f["names"]
        ),
        descriptions=_tuple(f.get("descriptions")),
        languages=_tuple(f.get("languages")) or ("PHP",),
        frameworks=_tuple(f.get("frameworks")),
        databases=_tuple(f.get("databases")) or ("MySQL",),
        delivers=_tuple(f.get("delivers")),
        reads=_tuple(f.get("reads")),
        produces=_tuple(f.get("produces")),
        national_overlap=f.get("national_overlap"),
        national_feed=f.get("national_feed"),
        unit_descriptions=_tuple(f.get("unit_descriptions")),
        same_job_as=f.get("same_job_as"),
    )


@cache
def load() -> DemoSource:
    roles = {
        k: Role(k, v["scope"], v["label"], bool(v.get("multiple")), v.get("parent"))
        for k, v in _load("roles.yaml")["roles"].items()
    }
    regions = _load("regions.yaml")
    orgs = _load("organisations.yaml")
    apps = _load("applications.yaml")
    blind_apps = _load(BLIND)
    families = {f["id"]: _family(f) for f in apps["families"]}
    blind: set[str] = set()
    for f in blind_apps["families"]:
        if f["id"] in families:
            where = f"twice in {BLIND}" if f["id"] in blind else f"in applications.yaml and {BLIND}"
            raise ValueError(f"Application family id {f['id']!r} is defined {where}")
        families[f["id"]] = _family(f)
        blind.add(f["id"])
    datasets = {
        d["id"]: DataTemplate(
            d["id"],
            d["name"],
            d.get("description"),
            d.get("purpose"),
            d["rad"],
            d["producer"],
            d.get("sifat", "terbuka"),
            d.get("jenis", "lainnya"),
            d.get("jadwal", "tahunan"),
            str(d.get("format", "xlsx")).lower(),
            bool(d.get("master")),
            bool(d.get("reference")),
        )
        for d in _load("datasets.yaml")["datasets"]
    }
    services = {
        s["id"]: ServiceTemplate(
            s["id"],
            s["name"],
            s.get("purpose"),
            s.get("function"),
            s["owner"],
            s.get("target", "masyarakat"),
            s.get("method", "elektronik"),
            s["ral"],
            _tuple(s.get("processes")),
        )
        for s in _load("services.yaml")["services"]
    }
    processes = {
        p["id"]: ProcessTemplate(
            p["id"],
            p["name"],
            p.get("description"),
            p["owner"],
            p["rab"],
            p.get("goal"),
            p.get("indicator"),
        )
        for p in _load("processes.yaml")["processes"]
    }
    national = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    overlaps: dict[str, str] = {}
    feeds: dict[str, list[str]] = {}
    for app in national["applications"]:
        if app.get("overlaps_family"):
            overlaps[app["code"]] = app["overlaps_family"]
        if app.get("feeds_family"):
            feeds.setdefault(app["feeds_family"], []).append(app["code"])
    return DemoSource(
        roles=roles,
        provinces=[tuple(p) for p in regions["provinces"]],  # type: ignore[misc]
        regencies=[tuple(r) for r in regions["regencies"]],  # type: ignore[misc]
        units={k: orgs[k] for k in ("kota", "kabupaten", "provinsi")},
        merged=orgs.get("merged_variants", []),
        places=list(orgs["place_names"]),
        families=families,
        lookalikes=[*apps.get("lookalikes", []), *blind_apps.get("lookalikes", [])],
        datasets=datasets,
        services=services,
        processes=processes,
        national=national,
        overlaps=overlaps,
        feeds=feeds,
        blind=frozenset(blind),
    )
