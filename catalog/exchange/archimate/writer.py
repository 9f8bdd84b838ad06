"""The catalogue (or part of it) as an ArchiMate Model Exchange File.

:func:`build_model` is pure: export rows in, an lxml tree out. :func:`write_archimate`
feeds it the rows the other exports write (same scope, same visibility: nothing the
reader may not see, not even as a reference), and names the items outside the export that
relations point at, so that every relationship has both ends in the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.exchange.archimate.collect import (
    ITEM_ORDER,
    Key,
    Lookup,
    Model,
    Relationship,
    collect_integrations,
    collect_items,
    collect_relations,
)
from catalog.exchange.archimate.layout import Layout, grid_layout
from catalog.exchange.archimate.vocabulary import (
    NS,
    SCHEMA_LOCATION,
    XML_LANG,
    XSI,
    make_id,
)
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, RELATIONS, SHEET_OF_KIND
from catalog.exchange.document import Scope
from catalog.kinds import KINDS


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    """Text XML 1.0 can hold: control characters pasted from elsewhere are dropped.

    >>> _clean("baris\x0bsatu")
    'barissatu'
    """
    return _CONTROL.sub("", str(text))


def _names(parent: etree.Element, tag: str, text: str, en: str | None = None) -> None:
    node = etree.SubElement(parent, _q(tag))
    node.text = _clean(text)
    node.set(XML_LANG, "id")
    if en:
        node = etree.SubElement(parent, _q(tag))
        node.text = _clean(en)
        node.set(XML_LANG, "en")


def _properties(
    parent: etree.Element, props: list[tuple[str, str, str]], pd: dict[str, str]
) -> None:
    if not props:
        return
    holder = etree.SubElement(parent, _q("properties"))
    for name, value, _dtype in props:
        prop = etree.SubElement(holder, _q("property"), propertyDefinitionRef=pd[name])
        val = etree.SubElement(prop, _q("value"))
        val.text = _clean(value)
        val.set(XML_LANG, "id")


def _views(
    model: Model, sections: dict[str, list[dict[str, Any]]]
) -> list[tuple[str, str, str, list[str], list[Relationship]]]:
    """(id, name, English name, element ids, relationships) of each view: one per OPD
    (the top unit of the export's tree) with the units and items under it and the
    relationships among them, and one of every integration."""
    units = sections.get(ORGANISATIONS.key, [])
    exported = {(r["instansi"], r["code"]) for r in units}
    top: dict[tuple[str, str], tuple[str, str]] = {}  # unit → its top unit in the export
    parent_of = {
        (r["instansi"], r["code"]): (r["instansi"], str(r.get("parent") or "")) for r in units
    }
    for unit in parent_of:
        here = unit
        while parent_of.get(here, ("", ""))[1] and parent_of[here] in exported:
            here = parent_of[here]
        top[unit] = here
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for unit in parent_of:
        members[top[unit]].append(model.by_key[("organisation", *unit)])
    has_items: set[tuple[str, str]] = set()
    for element in model.elements.values():
        if element.owner and element.owner in top and element.id not in model.outside:
            members[top[element.owner]].append(element.id)
            has_items.add(top[element.owner])
    # Relationships within one OPD's view, in one pass (a national export has thousands).
    view_of = {e: unit for unit, ids in members.items() for e in ids}
    inside: dict[tuple[str, str], list[Relationship]] = defaultdict(list)
    for r in model.relationships:
        unit = view_of.get(r.source)
        if unit is not None and view_of.get(r.target) == unit:
            inside[unit].append(r)
    views = []
    names = {(r["instansi"], r["code"]): r["name"] for r in units}
    for unit in sorted(has_items):
        ids = members[unit]
        rels = inside[unit]
        views.append(
            (
                make_id("id-view-unit", *unit),
                f"OPD {unit[1]} {names[unit]}",
                f"Unit {unit[1]} {names[unit]}",
                ids,
                rels,
            )
        )
    flows = [r for r in model.relationships if r.group == "integrations"]
    if flows:
        ids = list(dict.fromkeys(e for r in flows for e in (r.source, r.target)))
        views.append(
            ("id-view-integrations", "Integrasi aplikasi", "Application integrations", ids, flows)
        )
    return views


def _diagram(
    parent: etree.Element,
    model: Model,
    view: tuple[str, str, str, list[str], list[Relationship]],
    layout: Layout,
) -> None:
    view_id, name, name_en, ids, rels = view
    node_of = {e: f"{view_id}-n{i}" for i, e in enumerate(ids)}
    nodes = [(e, model.elements[e].name, model.elements[e].kind) for e in ids]
    edges = [(r.source, r.target) for r in rels]
    boxes = layout(nodes, edges)
    if any(e not in boxes for e in ids):
        boxes = grid_layout(nodes, edges)
    view = etree.SubElement(parent, _q("view"), identifier=view_id)
    view.set(f"{{{XSI}}}type", "Diagram")
    _names(view, "name", name, name_en)
    for e in ids:
        x, y, w, h = boxes[e]
        etree.SubElement(
            view,
            _q("node"),
            {
                "identifier": node_of[e],
                "elementRef": e,
                f"{{{XSI}}}type": "Element",
                "x": str(max(0, round(x))),
                "y": str(max(0, round(y))),
                "w": str(max(1, round(w))),
                "h": str(max(1, round(h))),
            },
        )
    for i, r in enumerate(rels):
        etree.SubElement(
            view,
            _q("connection"),
            {
                "identifier": f"{view_id}-c{i}",
                "relationshipRef": r.id,
                f"{{{XSI}}}type": "Relationship",
                "source": node_of[r.source],
                "target": node_of[r.target],
            },
        )


def _folder(
    parent: etree.Element, label: str, label_en: str | None, refs: list[str]
) -> etree.Element | None:
    if not refs:
        return None
    item = etree.SubElement(parent, _q("item"))
    _names(item, "label", label, label_en)
    for ref in refs:
        etree.SubElement(item, _q("item"), identifierRef=ref)
    return item


def build_model(
    sections: dict[str, list[dict[str, Any]]],
    *,
    lookup: Lookup | None = None,
    layout: Layout | None = None,
    references: dict[str, str] | None = None,
    title: str = "Katalog SPBE",
) -> etree.Element:
    """The exchange file's root element for export rows (``sheet key → rows`` as the flat
    exports write them). ``lookup`` names items outside the rows that relations point at;
    ``references`` names reference codes (code → name).

    >>> root = build_model({"instansi": [{"code": "X", "name": "Kota X"}],
    ...     "organisations": [{"instansi": "X", "code": "01", "name": "Dinas A"}],
    ...     "applications": [{"instansi": "X", "code": "APL-1", "name": "SIMPEG",
    ...                       "owner": "01", "reference_code": "RAA.02"}]})
    >>> [e.get(f"{{{XSI}}}type") for e in root.iter(f"{{{NS}}}element")]
    ['BusinessActor', 'BusinessActor', 'ApplicationComponent']
    """
    layout = layout or grid_layout
    model = Model(lookup, references)
    collect_items(model, sections)
    collect_integrations(model, sections.get(SHEET_OF_KIND["integration"].key, []))
    collect_relations(model, sections.get(RELATIONS.key, []))
    views = _views(model, sections)

    root = etree.Element(_q("model"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("identifier", "id-katalog-spbe")
    _names(root, "name", title, title.replace("Katalog SPBE", "SPBE catalogue"))
    doc = etree.SubElement(root, _q("documentation"))
    doc.text = "Ekspor Katalog SPBE (ArchiMate 3.1 Model Exchange File Format)."
    doc.set(XML_LANG, "id")
    pd = {name: make_id("pd", name.replace(":", "-")) for name in sorted(model.prop_types)}
    if model.elements:
        holder = etree.SubElement(root, _q("elements"))
        for element in model.elements.values():
            node = etree.SubElement(holder, _q("element"), identifier=element.id)
            node.set(f"{{{XSI}}}type", element.type)
            _names(node, "name", element.name)
            if element.doc:
                _names(node, "documentation", element.doc)
            _properties(node, element.props, pd)
    if model.relationships:
        holder = etree.SubElement(root, _q("relationships"))
        for rel in model.relationships:
            attrs = {"identifier": rel.id, "source": rel.source, "target": rel.target}
            node = etree.SubElement(holder, _q("relationship"), attrs)
            node.set(f"{{{XSI}}}type", rel.type)
            if rel.access:
                node.set("accessType", rel.access)
            if rel.directed:
                node.set("isDirected", "true")
            if rel.name:
                _names(node, "name", rel.name)
            if rel.doc:
                _names(node, "documentation", rel.doc)
            _properties(node, rel.props, pd)
    orgs = etree.Element(_q("organizations"))
    actors = [e.id for e in model.elements.values() if e.kind in ("instansi", "organisation")]
    _folder(orgs, "Organisasi", "Organisation", actors)
    unit_names = {
        (r["instansi"], r["code"]): r["name"] for r in sections.get(ORGANISATIONS.key, [])
    }
    for kind in ITEM_ORDER:
        spec = KINDS[kind]
        by_owner: dict[tuple[str, str] | None, list[str]] = defaultdict(list)
        for e in model.elements.values():
            if e.kind == kind and e.id not in model.outside:
                by_owner[e.owner if e.owner in unit_names else None].append(e.id)
        folder = _folder(orgs, spec.label, spec.label_en_plural, by_owner.pop(None, []))
        if by_owner:
            if folder is None:
                folder = etree.SubElement(orgs, _q("item"))
                _names(folder, "label", spec.label, spec.label_en_plural)
            for owner in sorted(by_owner):  # type: ignore[type-var]
                _folder(folder, f"{owner[1]} {unit_names[owner]}", None, by_owner[owner])
    _folder(
        orgs,
        "Integrasi",
        "Integrations",
        [r.id for r in model.relationships if r.group == "integrations"],
    )
    _folder(
        orgs,
        "Relasi",
        "Relations",
        [r.id for r in model.relationships if r.group != "integrations"],
    )
    _folder(orgs, "Di luar ekspor", "Outside this export", model.outside)
    _folder(orgs, "Tampilan", "Views", [v[0] for v in views])
    if len(orgs):
        root.append(orgs)
    if pd:
        holder = etree.SubElement(root, _q("propertyDefinitions"))
        for name, ident in pd.items():
            node = etree.SubElement(
                holder, _q("propertyDefinition"), identifier=ident, type=model.prop_types[name]
            )
            etree.SubElement(node, _q("name")).text = name
    if views:
        diagrams = etree.SubElement(etree.SubElement(root, _q("views")), _q("diagrams"))
        for view in views:
            _diagram(diagrams, model, view, layout)
    return root


def _db_lookup(session: Session, principal: Principal) -> Lookup:
    """Names of items outside the export, among those ``principal`` may see."""
    from catalog.models import Instansi

    instansi = {code: iid for iid, code in session.execute(select(Instansi.id, Instansi.code))}
    cache: dict[Key, tuple[str, str | None] | None] = {}

    def lookup(kind: str, inst: str, code: str) -> tuple[str, str | None] | None:
        key = (kind, inst, code)
        if key not in cache:
            model: Any = KINDS[kind].model
            cols = [model.name, model.infra_type if kind == "infrastructure" else model.name]
            found = session.execute(
                select(*cols).where(
                    model.instansi_id == instansi.get(inst),
                    model.code == code,
                    visible_clause(principal, kind, model),
                )
            ).first()
            cache[key] = (
                None
                if found is None
                else (
                    found[0],
                    str(found[1].value if hasattr(found[1], "value") else found[1])
                    if kind == "infrastructure"
                    else None,
                )
            )
        return cache[key]

    return lookup


def write_archimate(
    session: Session, scope: Scope, output: Path, *, layout: Layout | None = None
) -> int:
    """Write the scoped catalogue, as the scope's principal may see it, to ``output`` as an
    ArchiMate exchange file; returns the number of elements written."""
    from catalog.exchange.hidden import visible_sheets

    sections = {sheet.key: list(rows) for sheet, rows in visible_sheets(session, scope, flat=True)}
    names = [r["name"] for r in sections.get(INSTANSI.key, [])]
    title = "Katalog SPBE" + (f": {', '.join(names)}" if 0 < len(names) <= 3 else "")
    from catalog.models import ReferenceNode, ReferenceSet

    active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
    references = dict(
        session.execute(
            select(ReferenceNode.code, ReferenceNode.name).where(
                (ReferenceNode.set_id == active) | ReferenceNode.set_id.is_(None)
            )
        ).all()
    )
    root = build_model(
        sections,
        lookup=_db_lookup(session, scope.principal),
        layout=layout,
        references=references,
        title=title,
    )
    Path(output).write_bytes(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    )
    return sum(1 for _ in root.iter(_q("element")))


__all__ = ["Lookup", "build_model", "write_archimate"]
