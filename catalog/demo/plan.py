"""What the generator plans for one instansi before anything is written.

Items refer to each other by *local keys* (``app:12``, ``ds:3``, ``u:diskominfo``); national
items already in the catalogue by ``nat-app:CODE`` / ``nat-ds:CODE``. The writer turns keys
into database ids. Codes are assigned here, so the planted truth can name items by code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalog.demo.units import UnitPlan

PREFIX = {
    "application": "APL",
    "dataset": "DS",
    "service": "LY",
    "process": "PB",
    "infrastructure": "INF",
    "security": "KAM",
    "integration": "INT",
}


@dataclass
class Place:
    """The instansi being generated and the words used to name its things."""

    code: str
    name: str  # "Kota Denpasar"
    kind: str  # kota | kabupaten | provinsi
    place: str  # "Denpasar"
    domain: str  # "denpasarkota.go.id"
    pemda: str  # "Pemkot Denpasar"
    parent_code: str | None = None


def slug(text: str) -> str:
    """
    >>> slug("SP4N-LAPOR! Kota")
    'sp4nlaporkota'
    """
    return re.sub(r"[^a-z0-9]", "", text.lower())


def place_of(code: str, name: str, parent_code: str | None = None) -> Place:
    """
    >>> p = place_of("51.71", "Kota Denpasar")
    >>> (p.kind, p.place, p.domain, p.pemda)
    ('kota', 'Denpasar', 'denpasarkota.go.id', 'Pemkot Denpasar')
    >>> place_of("51", "Bali").domain
    'baliprov.go.id'
    """
    if name.startswith("Kota "):
        kind, place = "kota", name.removeprefix("Kota ").removeprefix("Administrasi ")
        domain, pemda = f"{slug(place)}kota.go.id", f"Pemkot {place}"
    elif name.startswith("Kabupaten "):
        kind, place = "kabupaten", name.removeprefix("Kabupaten ")
        domain, pemda = f"{slug(place)}kab.go.id", f"Pemkab {place}"
    else:
        kind, place = "provinsi", name.removeprefix("Provinsi ")
        domain, pemda = f"{slug(place)}prov.go.id", f"Pemprov {place}"
    return Place(code, name, kind, place, domain, pemda, parent_code)


@dataclass
class Planned:
    key: str
    kind: str
    fields: dict[str, Any]
    # field name → local key of a unit or item, resolved by the writer
    refs: dict[str, str] = field(default_factory=dict)
    # for integrations: local keys of the data sets carried
    carries: list[str] = field(default_factory=list)
    # bookkeeping for the truth and for later planning steps (never written)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.fields["code"]


@dataclass
class InstansiPlan:
    place: Place
    units: UnitPlan
    items: dict[str, list[Planned]] = field(default_factory=dict)
    by_key: dict[str, Planned] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (type, source key, target key)
    truth: dict[str, list[Any]] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)

    def new(self, kind: str, fields: dict[str, Any], **refs: str) -> Planned:
        n = self._counters.get(kind, 0) + 1
        self._counters[kind] = n
        short = {
            "application": "app",
            "dataset": "ds",
            "service": "svc",
            "process": "proc",
            "infrastructure": "inf",
            "security": "sec",
            "integration": "int",
        }[kind]
        item = Planned(
            f"{short}:{n}", kind, {"code": f"{PREFIX[kind]}-{n:04d}", **fields}, dict(refs)
        )
        self.items.setdefault(kind, []).append(item)
        self.by_key[item.key] = item
        return item

    def relate(self, type_name: str, source: str, target: str) -> None:
        self.relations.append((type_name, source, target))

    def note(self, section: str, entry: Any) -> None:
        self.truth.setdefault(section, []).append(entry)

    def count(self, kind: str) -> int:
        return len(self.items.get(kind, []))
