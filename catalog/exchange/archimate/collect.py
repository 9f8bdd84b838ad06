"""What an ArchiMate export holds, collected from the export rows before any XML is
written: elements (items, units, items outside the export that relations point at),
relationships (relations, integrations, the unit tree and ownership) and their
properties. :mod:`~catalog.exchange.archimate.writer` turns a :class:`Model` into XML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.exchange.archimate.vocabulary import (
    EXTERNAL_PROPERTY,
    KIND_PROPERTY,
    OUTSIDE_PROPERTY,
    PREFIX,
    REFERENCE_PREFIX,
    RELATION_PROPERTY,
    element_type,
    make_id,
    relationship_for,
    short_hash,
)
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, SHEET_OF_KIND, Sheet
from catalog.kinds import KINDS

Key = tuple[str, str, str]  # (kind, instansi code, code)
# (kind, instansi code, code) → (name, infra_type) of an item outside the export, or None.
Lookup = Callable[[str, str, str], tuple[str, str | None] | None]

PROPERTY_TYPES = {"bool": "boolean", "int": "number", "date": "date"}
ITEM_ORDER = ("process", "service", "application", "dataset", "infrastructure", "security")


def reference_of(value: Any, home: str) -> tuple[str, str]:
    """(instansi, code) of a reference written ``CODE`` or ``INSTANSI/CODE``."""
    inst, _, code = str(value).rpartition("/")
    return (inst or home, code)


@dataclass
class Element:
    id: str
    type: str
    name: str
    kind: str  # catalogue kind, "external", "instansi" or "organisation"
    doc: str | None = None
    props: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, type)
    owner: tuple[str, str] | None = None  # (instansi, unit code)


@dataclass
class Relationship:
    id: str
    type: str
    source: str
    target: str
    name: str | None = None
    doc: str | None = None
    access: str | None = None
    directed: bool = False
    props: list[tuple[str, str, str]] = field(default_factory=list)
    group: str = "relations"  # relations, integrations or structure


class Model:
    def __init__(self, lookup: Lookup | None, references: dict[str, str] | None = None) -> None:
        self.lookup = lookup
        self.references = references or {}
        self.elements: dict[str, Element] = {}
        self.by_key: dict[Key, str] = {}
        self.outside: list[str] = []
        self.relationships: list[Relationship] = []
        self.rel_ids: set[str] = set()
        self.prop_types: dict[str, str] = {}

    def add(self, key: Key, element: Element) -> None:
        self.elements[element.id] = element
        self.by_key[key] = element.id

    def relate(self, rel: Relationship) -> None:
        base, n = rel.id, 1
        while rel.id in self.rel_ids:  # the same relation twice (e.g. in two instansi)
            n += 1
            rel.id = f"{base}-{n}"
        self.rel_ids.add(rel.id)
        self.relationships.append(rel)

    def prop(self, props: list[tuple[str, str, str]], name: str, value: Any, kind: str) -> None:
        if value is None or value == "" or value == []:
            return
        dtype = PROPERTY_TYPES.get(kind, "string")
        if dtype == "boolean":
            text = "true" if str(value).lower() in ("ya", "true", "1") else "false"
        else:
            text = str(value)
        self.prop_types.setdefault(name, dtype)
        props.append((name, text, dtype))

    def item(self, kind: str, inst: str, code: str) -> str | None:
        """The element of an item; one standing in for it when it is outside the export."""
        key = (kind, inst, code)
        if key in self.by_key:
            return self.by_key[key]
        found = self.lookup(kind, inst, code) if self.lookup else None
        if found is None:
            return None
        name, infra_type = found
        element = Element(
            make_id(f"id-{kind}", inst, code), element_type(kind, infra_type), name, kind
        )
        for pname, value in (
            (KIND_PROPERTY, kind),
            (PREFIX + "instansi", inst),
            (PREFIX + "code", code),
            (OUTSIDE_PROPERTY, "true"),
        ):
            self.prop(element.props, pname, value, "bool" if pname == OUTSIDE_PROPERTY else "text")
        self.add(key, element)
        self.outside.append(element.id)
        return element.id


def item_props(model: Model, sheet: Sheet, row: dict[str, Any]) -> list[tuple[str, str, str]]:
    props: list[tuple[str, str, str]] = []
    model.prop(props, KIND_PROPERTY, sheet.kind, "text")
    scheme = KINDS[sheet.kind].scheme if sheet.kind else None
    for col in sheet.columns:
        if col.key in ("name", "description"):
            continue
        if col.key == "reference_code" and scheme:
            code = row.get(col.key)
            model.prop(props, REFERENCE_PREFIX + scheme, code, "text")
            # The reference's name too, for people reading the model (not read back).
            model.prop(
                props, f"{REFERENCE_PREFIX}{scheme}:nama", model.references.get(code or ""), "text"
            )
        else:
            model.prop(props, PREFIX + col.key, row.get(col.key), col.type)
    return props


def collect_items(model: Model, sections: dict[str, list[dict[str, Any]]]) -> None:
    for row in sections.get(INSTANSI.key, []):
        props: list[tuple[str, str, str]] = []
        model.prop(props, KIND_PROPERTY, "instansi", "text")
        for col in INSTANSI.columns:
            if col.key != "name":
                model.prop(props, PREFIX + col.key, row.get(col.key), col.type)
        model.add(
            ("instansi", row["code"], row["code"]),
            Element(
                make_id("id-instansi", row["code"]),
                "BusinessActor",
                row["name"],
                "instansi",
                props=props,
            ),
        )
    units = sections.get(ORGANISATIONS.key, [])
    for row in units:
        props = []
        model.prop(props, KIND_PROPERTY, "organisation", "text")
        for col in ORGANISATIONS.columns:
            if col.key != "name":
                model.prop(props, PREFIX + col.key, row.get(col.key), col.type)
        model.add(
            ("organisation", row["instansi"], row["code"]),
            Element(
                make_id("id-unit", row["instansi"], row["code"]),
                "BusinessActor",
                row["name"],
                "organisation",
                props=props,
            ),
        )
    for row in units:
        child = model.by_key[("organisation", row["instansi"], row["code"])]
        parent = model.by_key.get(("organisation", row["instansi"], str(row.get("parent") or "")))
        parent = parent or model.by_key.get(("instansi", row["instansi"], row["instansi"]))
        if parent:
            model.relate(
                Relationship(
                    f"id-struct-{short_hash(parent, child)}",
                    "Composition",
                    parent,
                    child,
                    group="structure",
                )
            )
    for kind in ITEM_ORDER:
        sheet = SHEET_OF_KIND[kind]
        for row in sections.get(sheet.key, []):
            inst = row["instansi"]
            element = Element(
                make_id(f"id-{kind}", inst, row["code"]),
                element_type(kind, row.get("infra_type")),
                row.get("name") or row["code"],
                kind,
                doc=row.get("description"),
                props=item_props(model, sheet, row),
                owner=(inst, str(row["owner"])) if row.get("owner") else None,
            )
            model.add((kind, inst, row["code"]), element)
            unit = model.by_key.get(("organisation", *element.owner)) if element.owner else None
            if unit:
                # Who is responsible: assignment where ArchiMate has it, association elsewhere.
                rel_type = (
                    "Assignment"
                    if element.type in ("BusinessProcess", "BusinessService")
                    else "Association"
                )
                model.relate(
                    Relationship(
                        f"id-owner-{short_hash(unit, element.id)}",
                        rel_type,
                        unit,
                        element.id,
                        group="structure",
                    )
                )


def collect_integrations(model: Model, rows: Iterable[dict[str, Any]]) -> None:
    sheet = SHEET_OF_KIND["integration"]
    for row in rows:
        inst = row["instansi"]
        provider = (
            model.item("application", *reference_of(row["provider"], inst))
            if row.get("provider")
            else None
        )
        consumer = (
            model.item("application", *reference_of(row["consumer"], inst))
            if row.get("consumer")
            else None
        )
        if provider is None:
            continue  # hidden from the reader, or gone: the row says nothing drawable
        if consumer is None:
            label = str(row.get("consumer_external") or "(penerima tidak disebut)")
            consumer = make_id("id-external", label)
            if consumer not in model.elements:
                props: list[tuple[str, str, str]] = []
                model.prop(props, EXTERNAL_PROPERTY, "ya", "bool")
                model.elements[consumer] = Element(
                    consumer, "ApplicationComponent", label, "external", props=props
                )
                model.outside.append(consumer)
        flow = Relationship(
            make_id("id-integration", inst, row["code"]),
            "Flow",
            provider,
            consumer,
            name=row.get("name"),
            doc=row.get("description"),
            props=item_props(model, sheet, row),
            group="integrations",
        )
        model.relate(flow)
        carried = [r for r in str(row.get("data_sets") or "").split(";") if r.strip()]
        ends = [("infrastructure", row["intermediary"])] if row.get("intermediary") else []
        ends += [("dataset", r.strip()) for r in carried]
        for kind, ref in ends:
            source = model.item(kind, *reference_of(ref, inst))
            if source:
                model.relate(
                    Relationship(
                        f"id-carries-{short_hash(source, flow.id)}",
                        "Association",
                        source,
                        flow.id,
                        group="structure",
                    )
                )


def collect_relations(model: Model, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        inst = row["instansi"]
        src_key = (row["source_kind"], *reference_of(row["source"], inst))
        dst_key = (row["target_kind"], *reference_of(row["target"], inst))
        source = model.item(*src_key)
        target = model.item(*dst_key)
        if source is None or target is None:
            continue
        rel_type, access, flipped = relationship_for(
            row["type"], model.elements[source].type, model.elements[target].type
        )
        props: list[tuple[str, str, str]] = []
        model.prop(props, RELATION_PROPERTY, row["type"], "text")
        model.prop(props, PREFIX + "instansi", inst, "text")
        rid = f"id-rel-{short_hash(row['type'], *src_key, *dst_key)}"
        model.relate(
            Relationship(
                rid,
                rel_type,
                target if flipped else source,
                source if flipped else target,
                doc=row.get("note"),
                access=access,
                directed=rel_type == "Association",
                props=props,
            )
        )
