"""The catalogue (or a part of it) as rows of exchange sheets, ready for any writer.

Ids never leave the database: units are named by their code, items by their code
(``INSTANSI/CODE`` when they belong to another instansi). Rows are produced lazily, one
sheet at a time, so that the national inventory is exported in bounded memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session

from catalog.access import SYSTEM, Principal, visible_clause
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, RELATIONS, SHEET_OF_KIND, Sheet
from catalog.exchange.values import write_cell
from catalog.kinds import KINDS
from catalog.models import Instansi, IntegrationDataSet, Organisation, Relation
from catalog.queries.items import ItemFilter, matching_ids

FORMAT_VERSION = 1
KIND_OF_TABLE = {spec.model.__tablename__: key for key, spec in KINDS.items()}


@dataclass
class Scope:
    """What to export: some instansi (all when empty), optionally one unit subtree."""

    instansi_ids: list[int] = field(default_factory=list)
    owner_path: str | None = None
    kinds: tuple[str, ...] = tuple(KINDS)
    principal: Principal = SYSTEM
    # Leave out retired items (a working list) or keep them (a full snapshot).
    include_retired: bool = True
    # A filtered list (reference code, status, words…) of the kinds in ``kinds``: only the
    # items that list shows, and the relations that start from them.
    filter: ItemFilter | None = None


class Refs:
    """id → code of units and items, and id → instansi code, for naming references."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.instansi = {i.id: i.code for i in session.execute(select(Instansi)).scalars()}
        self.units: dict[int, str] = {}
        self.unit_instansi: dict[int, int] = {}
        for oid, inst, code in session.execute(
            select(Organisation.id, Organisation.instansi_id, Organisation.code)
        ):
            self.units[oid] = code
            self.unit_instansi[oid] = inst
        self._items: dict[str, dict[int, tuple[int, str]]] = {}

    def items(self, kind: str) -> dict[int, tuple[int, str]]:
        if kind not in self._items:
            model: Any = KINDS[kind].model
            self._items[kind] = {
                i: (inst, code)
                for i, inst, code in self.session.execute(
                    select(model.id, model.instansi_id, model.code)
                )
            }
        return self._items[kind]

    def item(self, kind: str, item_id: int | None, home: int) -> str | None:
        """``CODE`` within the row's instansi, ``INSTANSI/CODE`` outside it."""
        if item_id is None:
            return None
        found = self.items(kind).get(item_id)
        if found is None:
            return None
        inst, code = found
        return code if inst == home else f"{self.instansi[inst]}/{code}"


def scoped(stmt: Select[Any], model: Any, scope: Scope, session: Session) -> Select[Any]:
    """``stmt`` on one kind's ``model``, narrowed to the scope's instansi, unit subtree and
    list filter."""
    if scope.instansi_ids:
        stmt = stmt.where(model.instansi_id.in_(scope.instansi_ids))
    if scope.owner_path is not None:
        subtree = select(Organisation.id).where(Organisation.path.startswith(scope.owner_path))
        stmt = stmt.where(model.owner_id.in_(subtree))
    kind = KIND_OF_TABLE.get(model.__tablename__)
    if scope.filter is not None and kind in scope.kinds:
        flt = replace(
            scope.filter, principal=scope.principal, include_retired=scope.include_retired
        )
        stmt = stmt.where(model.id.in_(matching_ids(session, kind, flt)))
    return stmt


def instansi_rows(session: Session, scope: Scope) -> Iterator[dict[str, Any]]:
    stmt = select(Instansi).order_by(Instansi.code)
    if scope.instansi_ids:
        stmt = stmt.where(Instansi.id.in_(scope.instansi_ids))
    for inst in session.execute(stmt).scalars():
        yield {
            "code": inst.code,
            "name": inst.name,
            "kind": str(inst.kind),
            "short_name": inst.short_name,
        }


def organisation_rows(session: Session, scope: Scope, refs: Refs) -> Iterator[dict[str, Any]]:
    stmt = select(Organisation).order_by(Organisation.instansi_id, Organisation.path)
    if scope.instansi_ids:
        stmt = stmt.where(Organisation.instansi_id.in_(scope.instansi_ids))
    if scope.owner_path is not None:
        stmt = stmt.where(Organisation.path.startswith(scope.owner_path))
    # Parents before children, whatever the ids: sort by depth, then code.
    rows = sorted(
        session.execute(stmt).scalars(), key=lambda o: (o.instansi_id, o.path.count("/"), o.code)
    )
    for org in rows:
        yield {
            "instansi": refs.instansi[org.instansi_id],
            "code": org.code,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "parent": refs.units.get(org.parent_id) if org.parent_id else None,
        }


def item_rows(
    session: Session, kind: str, scope: Scope, refs: Refs, *, flat: bool
) -> Iterator[dict[str, Any]]:
    sheet = SHEET_OF_KIND[kind]
    model: Any = KINDS[kind].model
    # Plain rows of the needed columns, not ORM objects: building ~470,000 objects was a
    # third of the national export's time.
    fields = {"id", "instansi_id"} | {
        c.field for c in sheet.columns if c.field and c.key != "instansi" and c.type != "items"
    }
    stmt = scoped(
        select(*(getattr(model, f) for f in sorted(fields))), model, scope, session
    ).where(visible_clause(scope.principal, kind, model))
    if not scope.include_retired:
        stmt = stmt.where(model.retired_at.is_(None))
    carried: dict[int, list[int]] = defaultdict(list)
    if kind == "integration":
        for integ, ds in session.execute(
            select(IntegrationDataSet.integration_id, IntegrationDataSet.data_set_id).order_by(
                IntegrationDataSet.integration_id, IntegrationDataSet.data_set_id
            )
        ):
            carried[integ].append(ds)
    result = session.execute(
        stmt.order_by(model.instansi_id, model.code).execution_options(yield_per=2000)
    ).mappings()
    for obj in result:
        home = obj["instansi_id"]
        row: dict[str, Any] = {}
        for col in sheet.columns:
            if col.key == "instansi":
                value: Any = refs.instansi[home]
            elif col.type == "unit":
                value = refs.units.get(obj[col.field])
            elif col.type == "item":
                value = refs.item(col.target_kind, obj[col.field], home)  # type: ignore[arg-type]
            elif col.type == "items":
                value = [refs.item(col.target_kind, d, home) for d in carried.get(obj["id"], [])]  # type: ignore[arg-type]
            else:
                value = obj[col.field]
            row[col.key] = write_cell(col, value, flat=flat)
        yield row


def relation_rows(session: Session, scope: Scope, refs: Refs) -> Iterator[dict[str, Any]]:
    stmt = select(
        Relation.instansi_id,
        Relation.type,
        Relation.source_kind,
        Relation.source_id,
        Relation.target_kind,
        Relation.target_id,
        Relation.note,
    ).order_by(Relation.instansi_id, Relation.type, Relation.id)
    if scope.instansi_ids:
        stmt = stmt.where(Relation.instansi_id.in_(scope.instansi_ids))
    wanted = set(scope.kinds)
    owned: dict[str, set[int]] | None = None
    if scope.owner_path is not None or scope.filter is not None:
        # Relations belong to their source: keep those whose source is in the subtree.
        owned = {}
        for kind in scope.kinds:
            model: Any = KINDS[kind].model
            owned[kind] = set(
                session.execute(scoped(select(model.id), model, scope, session)).scalars()
            )
    for rel in session.execute(stmt.execution_options(yield_per=5000)):
        if rel.source_kind not in wanted or rel.target_kind not in wanted:
            continue
        if owned is not None and rel.source_id not in owned[rel.source_kind]:
            continue
        yield {
            "instansi": refs.instansi[rel.instansi_id],
            "type": rel.type,
            "source_kind": rel.source_kind,
            "source": refs.item(rel.source_kind, rel.source_id, rel.instansi_id),
            "target_kind": rel.target_kind,
            "target": refs.item(rel.target_kind, rel.target_id, rel.instansi_id),
            "note": rel.note,
        }


def sheets(
    session: Session, scope: Scope, *, flat: bool
) -> Iterator[tuple[Sheet, Iterator[dict[str, Any]]]]:
    """Every sheet of the export with its rows, in the order an importer needs them."""
    refs = Refs(session)
    yield INSTANSI, instansi_rows(session, scope)
    yield ORGANISATIONS, organisation_rows(session, scope, refs)
    for kind in KINDS:
        if kind in scope.kinds:
            yield SHEET_OF_KIND[kind], item_rows(session, kind, scope, refs, flat=flat)
    yield RELATIONS, relation_rows(session, scope, refs)


def document(session: Session, scope: Scope) -> dict[str, Any]:
    """The whole export as one catalogue-as-code document (YAML/JSON)."""
    doc: dict[str, Any] = {"katalog_spbe": FORMAT_VERSION}
    for sheet, rows in sheets(session, scope, flat=False):
        doc[sheet.key] = [{k: v for k, v in row.items() if v not in (None, [], "")} for row in rows]
    return doc
