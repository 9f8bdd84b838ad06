"""Reading an ArchiMate exchange file back into import rows.

A file this exporter wrote carries every column as a property, so it reads back exactly.
A hand-edited one works too, within reason: an element added in a modelling tool becomes
an item of the kind its type suggests (code from its identifier, owner from the unit
assigned or associated to it), a relationship drawn between two items becomes the
catalogue relation it unambiguously stands for, a flow between two applications an
integration. Anything else is reported as skipped. The rows then go through the normal
importer, which checks everything and writes all or nothing.

Uploads are parsed without entities, DTDs or network access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from catalog.exchange.archimate.vocabulary import (
    EXTERNAL_PROPERTY,
    KIND_OF_TYPE,
    KIND_PROPERTY,
    NS,
    OUTSIDE_PROPERTY,
    PREFIX,
    REFERENCE_PREFIX,
    RELATION_PROPERTY,
    XML_LANG,
    XSI,
    guess_relation,
    relationship_for,
)
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, RELATIONS, SHEET_OF_KIND, Sheet
from catalog.exchange.located import FileProblem, ReadResult, Row, Where
from catalog.kinds import KINDS
from catalog.relation_types import RELATION_TYPES

_TYPE = f"{{{XSI}}}type"
_ACTOR_KINDS = ("instansi", "organisation")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(node: etree._Element, tag: str) -> str | None:
    """The Indonesian text of a name/documentation, else the first one."""
    found = node.findall(_q(tag))
    for child in found:
        if child.get(XML_LANG) == "id":
            return child.text or ""
    return (found[0].text or "") if found else None


@dataclass
class _Concept:
    id: str
    type: str
    name: str
    doc: str | None
    props: dict[str, str]
    line: int
    source: str | None = None  # relationships only
    target: str | None = None
    access: str | None = None
    kind: str | None = None  # catalogue kind (items), instansi, organisation, external
    ref: str | None = None  # "INSTANSI/CODE" or "CODE" of an item
    owner: str | None = None
    used: set[str] = field(default_factory=set)


def looks_like_archimate(path: Path) -> bool:
    """Whether an ``.xml`` file's root element is an ArchiMate exchange ``model``."""
    try:
        for _event, node in etree.iterparse(
            str(path), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            return bool(node.tag == _q("model"))
    except (etree.XMLSyntaxError, OSError):
        return False
    return False


def _parse(path: Path, display: str, result: ReadResult) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        result.problems.append(
            FileProblem(
                Where(display, "", line),
                f"Berkas {display} bukan XML yang sah (baris {line}): {exc.msg}.",
                f"{display} is not well-formed XML (line {line}): {exc.msg}.",
            )
        )
        return None
    if root.tag != _q("model"):
        result.problems.append(
            FileProblem(
                Where(display, "", root.sourceline or 0),
                f"Berkas {display} bukan berkas ArchiMate Model Exchange (elemen akar harus "
                f"'model' dengan namespace {NS}); ditemukan '{root.tag}'.",
                f"{display} is not an ArchiMate Model Exchange file (the root element must be "
                f"'model' in namespace {NS}); found '{root.tag}'.",
                str(root.tag),
            )
        )
        return None
    return root


class _Reader:
    def __init__(self, root: etree._Element, display: str, result: ReadResult) -> None:
        self.display = display
        self.result = result
        names = {
            pd.get("identifier"): _text(pd, "name") or ""
            for pd in root.iter(_q("propertyDefinition"))
        }
        self.elements: dict[str, _Concept] = {}
        self.relationships: dict[str, _Concept] = {}
        for node in root.iterfind(f"{_q('elements')}/{_q('element')}"):
            c = self._concept(node, names)
            self.elements[c.id] = c
        for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
            c = self._concept(node, names)
            c.source, c.target, c.access = (
                node.get("source"),
                node.get("target"),
                node.get("accessType"),
            )
            if c.type == "Access" and c.access is None:
                c.access = "Write"  # the exchange format's default access type
            self.relationships[c.id] = c

    def _concept(self, node: etree._Element, names: dict[Any, str]) -> _Concept:
        props: dict[str, str] = {}
        for prop in node.iterfind(f"{_q('properties')}/{_q('property')}"):
            name = names.get(prop.get("propertyDefinitionRef"))
            if name:
                props[name] = _text(prop, "value") or ""
        return _Concept(
            id=node.get("identifier") or "",
            type=node.get(_TYPE) or "",
            name=_text(node, "name") or "",
            doc=_text(node, "documentation"),
            props=props,
            line=node.sourceline or 0,
        )

    # -- locations and problems ------------------------------------------------------------
    def where(self, c: _Concept) -> Where:
        label = f"{c.type} {c.id}" + (f" ({c.name})" if c.name else "")
        return Where(self.display, label, c.line)

    def row(self, sheet: Sheet, c: _Concept, values: dict[str, Any]) -> None:
        headers = {k: f"properti {PREFIX}{k}" for k in values}
        if "name" in values:
            headers["name"] = "name"
        self.result.rows.append(Row(sheet, values, self.where(c), headers))

    def problem(self, c: _Concept, message: str, message_en: str, value: Any = None) -> None:
        self.result.problems.append(FileProblem(self.where(c), message, message_en, value))

    def notice(self, c: _Concept, message: str, message_en: str) -> None:
        self.result.notices.append(f"{self.where(c).describe()}: {message} / {message_en}")

    # -- elements -----------------------------------------------------------------------------
    def classify(self) -> None:
        # Elements added by hand carry no instansi: they belong to the file's only one.
        homes = {
            c.props[PREFIX + "instansi"]
            for c in self.elements.values()
            if c.props.get(PREFIX + "instansi") and OUTSIDE_PROPERTY not in c.props
        }
        self.home = homes.pop() if len(homes) == 1 else None
        for c in self.elements.values():
            kind = c.props.get(KIND_PROPERTY)
            if c.props.get(EXTERNAL_PROPERTY, "").lower() in ("true", "ya"):
                c.kind = "external"
                continue
            if kind is None and c.type in KIND_OF_TYPE:
                kind = KIND_OF_TYPE[c.type][0]
            elif kind is None and c.type == "BusinessActor":
                kind = "organisation"  # a unit drawn by hand
            if kind not in (*KINDS, *_ACTOR_KINDS) or kind == "integration":
                self.notice(
                    c,
                    f"elemen {c.type} tidak dipetakan ke jenis katalog; dilewati.",
                    f"{c.type} element maps to no catalogue kind; skipped.",
                )
                continue
            c.kind = kind
            code = c.props.get(PREFIX + "code") or _code_from_id(c.id)
            if kind in _ACTOR_KINDS:
                continue
            inst = c.props.get(PREFIX + "instansi") or self.home
            if inst and PREFIX + "instansi" not in c.props:
                c.props[PREFIX + "instansi"] = inst
            c.ref = f"{inst}/{code}" if inst else code
            c.owner = c.props.get(PREFIX + "owner")

    def unit_code(self, c: _Concept) -> str:
        return c.props.get(PREFIX + "code") or _code_from_id(c.id)

    def owners_from_relationships(self) -> None:
        """Hand-added units and items: the parent unit composing or aggregating a unit, the
        unit assigned or associated to an item."""
        for r in self.relationships.values():
            src, dst = self.elements.get(r.source or ""), self.elements.get(r.target or "")
            if (
                r.type in ("Composition", "Aggregation")
                and src
                and dst
                and src.kind == dst.kind == "organisation"
                and PREFIX + "code" not in dst.props
            ):
                dst.owner = self.unit_code(src)  # the parent, for a unit
        for r in self.relationships.values():
            if r.type not in ("Assignment", "Association"):
                continue
            src, dst = self.elements.get(r.source or ""), self.elements.get(r.target or "")
            if src and dst and src.kind == "organisation" and dst.ref and not dst.owner:
                dst.owner = self.unit_code(src)

    def element_rows(self) -> None:
        for c in self.elements.values():
            if c.kind is None or c.kind == "external":
                continue
            if c.kind == "instansi":
                values = _props_for(INSTANSI, c)
                values["name"] = c.name
                self.row(INSTANSI, c, values)
                continue
            if c.kind == "organisation":
                values = _props_for(ORGANISATIONS, c)
                values["name"] = c.name
                values.setdefault("code", _code_from_id(c.id))
                if c.owner:
                    values.setdefault("parent", c.owner)
                if self.home:
                    values.setdefault("instansi", self.home)
                self.row(ORGANISATIONS, c, values)
                continue
            if c.props.get(OUTSIDE_PROPERTY, "").lower() == "true":
                continue  # an item of another export, named by the relations only
            sheet = SHEET_OF_KIND[c.kind]
            values = _props_for(sheet, c)
            values["name"] = c.name
            if c.doc:
                values["description"] = c.doc
            values.setdefault("code", _code_from_id(c.id))
            if c.owner:
                values["owner"] = c.owner
            if c.kind == "infrastructure" and "infra_type" not in values:
                values["infra_type"] = KIND_OF_TYPE.get(c.type, ("", "server"))[1]
            self.row(sheet, c, values)

    # -- relationships --------------------------------------------------------------------------
    def ends(self, r: _Concept) -> tuple[_Concept, _Concept] | None:
        src = self.elements.get(r.source or "") or self.relationships.get(r.source or "")
        dst = self.elements.get(r.target or "") or self.relationships.get(r.target or "")
        if src is None or dst is None:
            missing = r.source if src is None else r.target
            self.problem(
                r,
                f"relasi merujuk ke '{missing}' yang tidak ada di berkas.",
                f"the relationship refers to '{missing}', which is not in the file.",
                missing,
            )
            return None
        return src, dst

    def relationship_rows(self) -> None:
        carried: dict[str, list[_Concept]] = {}
        for r in self.relationships.values():
            src = self.elements.get(r.source or "")
            if src is not None and r.target in self.relationships and r.type == "Association":
                carried.setdefault(r.target or "", []).append(src)
        for r in self.relationships.values():
            ends = self.ends(r)
            if ends is None:
                continue
            src, dst = ends
            if src.id in self.relationships or dst.id in self.relationships:
                continue  # an association to a flow: read with the flow
            if r.props.get(KIND_PROPERTY) == "integration" or (
                r.type == "Flow"
                and RELATION_PROPERTY not in r.props
                and src.kind == "application"
                and dst.kind in ("application", "external")
            ):
                self.integration(r, src, dst, carried.get(r.id, []))
            elif RELATION_PROPERTY in r.props:
                self.relation(r, src, dst)
            elif src.ref and dst.ref:
                guessed = guess_relation(r.type, r.access, src.kind or "", dst.kind or "")
                if guessed is None:
                    self.notice(
                        r,
                        f"relasi {r.type} antara {src.kind} dan {dst.kind} tidak dipetakan ke "
                        "relasi katalog; dilewati.",
                        f"{r.type} between {src.kind} and {dst.kind} maps to no catalogue "
                        "relation; skipped.",
                    )
                    continue
                rel_type, flipped = guessed
                first, second = (dst, src) if flipped else (src, dst)
                self.relation_row(r, rel_type, first, second)

    def relation(self, r: _Concept, src: _Concept, dst: _Concept) -> None:
        rel_type = r.props[RELATION_PROPERTY]
        if rel_type not in RELATION_TYPES:
            self.problem(
                r,
                f"jenis relasi '{rel_type}' tidak dikenal. Pilihan: {', '.join(RELATION_TYPES)}.",
                f"unknown relation type '{rel_type}'.",
                rel_type,
            )
            return
        drawn, _access, flipped = relationship_for(rel_type, dst.type, src.type)
        if flipped and drawn == r.type:
            src, dst = dst, src
        self.relation_row(r, rel_type, src, dst)

    def relation_row(self, r: _Concept, rel_type: str, src: _Concept, dst: _Concept) -> None:
        if not src.ref or not dst.ref:
            self.problem(
                r,
                "relasi katalog harus menghubungkan dua item katalog.",
                "a catalogue relation must join two catalogue items.",
            )
            return
        values: dict[str, Any] = {
            "type": rel_type,
            "source_kind": src.kind,
            "source": src.ref,
            "target_kind": dst.kind,
            "target": dst.ref,
        }
        inst = r.props.get(PREFIX + "instansi") or src.props.get(PREFIX + "instansi")
        if inst:
            values["instansi"] = inst
        if r.doc:
            values["note"] = r.doc
        self.row(RELATIONS, r, values)

    def integration(
        self, r: _Concept, src: _Concept, dst: _Concept, carried: list[_Concept]
    ) -> None:
        sheet = SHEET_OF_KIND["integration"]
        values = _props_for(sheet, r)
        values["name"] = r.name or f"{src.name} → {dst.name}"
        if r.doc:
            values["description"] = r.doc
        values.setdefault("code", _code_from_id(r.id))
        values.setdefault("provider", src.ref)
        if dst.kind == "external":
            values.setdefault("consumer_external", dst.name)
        else:
            values.setdefault("consumer", dst.ref)
        values.setdefault("owner", src.owner)
        if "intermediary" not in values:
            spl = [c.ref for c in carried if c.kind == "infrastructure"]
            if spl:
                values["intermediary"] = spl[0]
        if "data_sets" not in values:
            data = [c.ref for c in carried if c.kind == "dataset"]
            if data:
                values["data_sets"] = "; ".join(str(d) for d in data)
        if "instansi" not in values and src.props.get(PREFIX + "instansi"):
            values["instansi"] = src.props[PREFIX + "instansi"]
        self.row(sheet, r, {k: v for k, v in values.items() if v not in (None, "")})


def _code_from_id(identifier: str) -> str:
    """A code for an element added by hand: its identifier without the ``id-`` prefix.

    >>> _code_from_id("id-4c1f2a")
    '4c1f2a'
    """
    code = identifier[3:] if identifier.startswith("id-") else identifier
    return code[:64]


def _props_for(sheet: Sheet, c: _Concept) -> dict[str, Any]:
    """The row values a concept's properties hold for a sheet's columns."""
    values: dict[str, Any] = {}
    scheme = KINDS[sheet.kind].scheme if sheet.kind else None
    for col in sheet.columns:
        if col.key in ("name", "description"):
            continue
        name = (
            REFERENCE_PREFIX + scheme
            if col.key == "reference_code" and scheme
            else PREFIX + col.key
        )
        value = c.props.get(name, c.props.get(PREFIX + col.key))
        if value not in (None, ""):
            values[col.key] = value
    return values


def read_archimate(path: Path, display: str | None = None) -> ReadResult:
    """The import rows an ArchiMate exchange file holds, with each problem located at its
    element or relationship (identifier, name and line)."""
    display = display or path.name
    result = ReadResult(files=[display])
    root = _parse(path, display, result)
    if root is None:
        return result
    reader = _Reader(root, display, result)
    reader.classify()
    reader.owners_from_relationships()
    reader.element_rows()
    reader.relationship_rows()
    if not result.rows and not result.problems:
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas ArchiMate {display} tidak berisi elemen yang dapat diimpor ke katalog.",
                f"The ArchiMate file {display} holds no element the catalogue can import.",
            )
        )
    return result


__all__ = ["looks_like_archimate", "read_archimate"]
