"""Writing many items in one go (demo inventories, imports).

Same validation and the same change records as the one-at-a-time services, but with a
bulk :class:`Checker` and multi-row INSERTs, so that the national demo inventory
(hundreds of thousands of rows) is written in minutes, not hours. The caller owns the
transaction: wrap a whole run in :func:`catalog.services.tx.transaction` to make it
all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from catalog.access import SYSTEM, is_restricted
from catalog.errors import Forbidden, InvalidInput, Problem, ProblemList
from catalog.kinds import get_kind
from catalog.models import ChangeRecord, IntegrationDataSet, Organisation, Relation, SearchEntry
from catalog.models.base import utcnow
from catalog.services import rules
from catalog.services.changes import jsonable, relation_refs
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.items import authorize, prepare
from catalog.services.organisations import require_unit_write
from catalog.services.relations import check_relation, require_source_write
from catalog.services.search_index import search_body

_NOISE = ("created_at", "updated_at")


def _table(model: Any) -> Any:
    """The model's Core table: inserting many rows through the ORM's bulk path costs
    several times more (it inspects every row and groups them by the keys they set)."""
    return model.__table__


def inserted_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids in the same order."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    if session.get_bind().dialect.name != "sqlite":
        # PostgreSQL ties a whole batch's RETURNING rows to the parameters itself.
        return list(session.execute(stmt, rows).scalars().all())
    # SQLite cannot, so SQLAlchemy would insert one row per statement and splice each
    # result onto the ones before (quadratic: a national import never finished). Instead
    # the first row is inserted alone: SQLite gives it the largest rowid + 1
    # (https://sqlite.org/autoinc.html) and this transaction now holds the write lock, so
    # nobody else inserts before we commit and the next ids are free. The rest go in with
    # those ids in one executemany. Were an id taken after all, the insert fails loudly.
    first = session.execute(stmt, rows[:1]).scalar_one()
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        session.execute(
            insert(_table(model)),
            [{**row, "id": i} for row, i in zip(rows[1:], ids[1:], strict=True)],
        )
    return ids


def insert_plain(session: Session, table: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows of plain values (numbers, strings, booleans, all with the keys of the
    first row) into a Core table in one DB-API ``executemany``, past SQLAlchemy's per-row
    parameter processing: several times faster for the ~130,000 rows of an analysis cache.
    Values needing a type's bind processing (JSON, enums, dates) must not come this way."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    # itemgetter picks the values in C; one column gives a bare value, not a 1-tuple.
    pick = itemgetter(*columns)
    values = [pick(row) for row in rows] if len(columns) > 1 else [(pick(row),) for row in rows]
    conn.exec_driver_sql(sql, values)


@dataclass(frozen=True)
class RowProblem:
    """A problem of one input row, located for the person who wrote the row."""

    kind: str
    row: int
    problem: Problem


class BulkWriter:
    def __init__(self, session: Session, actor: Actor, *, collect: bool = False) -> None:
        """With ``collect``, invalid rows are skipped and their problems gathered in
        ``self.problems`` (so an importer can report them all); otherwise the first
        invalid row raises :class:`InvalidInput`."""
        self.session = session
        self.actor = actor
        self.collect = collect
        self.checker = Checker(session, bulk=True)
        self.problems: list[RowProblem] = []
        self.counts: dict[str, int] = {}

    # -- helpers ----------------------------------------------------------------------
    def _fail(self, kind: str, row: int, found: ProblemList) -> None:
        located = [RowProblem(kind, row, p) for p in found.problems]
        if not self.collect:
            raise InvalidInput.from_problems(
                [
                    Problem(
                        p.code,
                        f"{kind} baris {row + 1}: {p.message}",
                        f"{kind} row {row + 1}: {p.message_en}",
                        p.field,
                        p.value,
                    )
                    for p in found.problems
                ]
            )
        self.problems.extend(located)

    def _changes(self, kind: str, action: str, rows: list[dict[str, Any]]) -> None:
        now = utcnow()
        self.session.execute(
            insert(_table(ChangeRecord)),
            [
                {
                    "at": now,
                    "actor_id": self.actor.user_id,
                    "actor_name": self.actor.name,
                    "source": self.actor.source,
                    "request_id": self.actor.request_id,
                    "action": action,
                    "object_kind": kind,
                    "object_id": r["id"],
                    "object_code": r.get("code"),
                    "instansi_id": r.get("instansi_id"),
                    "owner_id": r.get("owner_id"),
                    "before": None,
                    "after": jsonable(r),
                    **(relation_refs(r) if kind == "relation" else {}),
                }
                for r in rows
            ],
        )

    def _bump(self, kind: str, n: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    # -- organisations ---------------------------------------------------------------
    def organisations(self, rows: Sequence[Mapping[str, Any]]) -> list[int | None]:
        """Add units whose parents (if any) already exist. Rows: instansi_id, code, name,
        short_name, kind, parent_id."""
        good: list[dict[str, Any]] = []
        positions: list[int] = []
        seen: dict[int, set[str]] = {}
        for i, row in enumerate(rows):
            found = ProblemList()
            inst = row.get("instansi_id")
            if self.checker.instansi(inst) is None:
                found.add(
                    "organisation.instansi",
                    f"Instansi {inst} tidak ada.",
                    f"Instansi {inst} does not exist.",
                    "instansi_id",
                    inst,
                )
            codes = seen.setdefault(inst, self._org_codes(inst)) if inst else set()
            if row.get("code") in codes:
                found.add(
                    "organisation.duplicate",
                    f"Kode unit '{row.get('code')}' sudah dipakai.",
                    f"Unit code '{row.get('code')}' is already used.",
                    "code",
                    row.get("code"),
                )
            kind = row.get("kind")
            if kind is not None and kind not in self.checker.lookup_values("organisation_kind"):
                found.add(
                    "lookup.unknown",
                    f"Jenis unit '{kind}' tidak dikenal.",
                    f"Unknown unit kind '{kind}'.",
                    "kind",
                    kind,
                )
            parent = (
                self.checker.organisation(row.get("parent_id")) if row.get("parent_id") else None
            )
            if row.get("parent_id") and (parent is None or parent.instansi_id != inst):
                found.add(
                    "organisation.parent_unknown",
                    "Unit induk tidak ada di instansi ini.",
                    "Parent unit does not exist in this instansi.",
                    "parent_id",
                    row.get("parent_id"),
                )
            if not found and self.actor.principal is not SYSTEM:
                try:
                    require_unit_write(self.actor, inst, parent, "create_organisation")
                except Forbidden as exc:
                    found.add(
                        "permission", exc.message, exc.message_en, "parent_id", row.get("parent_id")
                    )
            if found:
                self._fail("organisation", i, found)
                continue
            codes.add(row["code"])
            good.append(
                {
                    "instansi_id": inst,
                    "parent_id": row.get("parent_id"),
                    "code": row["code"],
                    "name": row["name"],
                    "short_name": row.get("short_name"),
                    "kind": kind,
                    "path": "/",
                    "version": 1,
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                }
            )
            positions.append(i)
        result: list[int | None] = [None] * len(rows)
        if not good:
            return result
        ids = inserted_ids(self.session, Organisation, good)
        updates = []
        for pos, oid, row in zip(positions, ids, good, strict=True):
            parent = self.checker.organisation(row["parent_id"]) if row["parent_id"] else None
            row["id"] = oid
            row["path"] = f"{parent.path if parent else '/'}{oid}/"
            updates.append({"oid": oid, "path": row["path"]})
            result[pos] = oid
        table = Organisation.__table__  # type: ignore[attr-defined]
        self.session.connection().execute(
            update(table).where(table.c.id == bindparam("oid")).values(path=bindparam("path")),
            updates,
        )
        for row in good:
            self.checker.remember_organisation(
                Organisation(**{k: v for k, v in row.items() if k not in _NOISE})
            )
        self._changes(
            "organisation",
            "create",
            [{k: v for k, v in r.items() if k not in _NOISE} for r in good],
        )
        self._bump("organisation", len(good))
        return result

    def _org_codes(self, instansi_id: int) -> set[str]:
        return set(
            self.session.execute(
                select(Organisation.code).where(Organisation.instansi_id == instansi_id)
            ).scalars()
        )

    # -- items ------------------------------------------------------------------------
    def items(self, kind: str, rows: Sequence[Mapping[str, Any]]) -> list[int | None]:
        """Add items of one kind; returns their ids in input order (None where invalid)."""
        spec = get_kind(kind)
        columns = [c.key for c in spec.model.__table__.columns]  # type: ignore[attr-defined]
        good: list[dict[str, Any]] = []
        extras: list[dict[str, Any]] = []
        positions: list[int] = []
        trusted = self.actor.principal is SYSTEM
        for i, row in enumerate(rows):
            found = ProblemList()
            clean = prepare(spec, row, self.checker, found, trusted=trusted)
            if not trusted:
                self._authorize(spec, clean, found)
                if not found:
                    rules.set_confirmations(kind, clean, None, self.checker, self.actor)
            if found:
                self._fail(kind, i, found)
                continue
            if str(clean.get("status")) == "retired":
                clean["retired_at"] = utcnow()
            extra = rules.pop_extras(kind, clean, row)
            self.checker.note_code(spec, clean["instansi_id"], clean["code"])
            good.append(clean)
            extras.append(extra)
            positions.append(i)
        result: list[int | None] = [None] * len(rows)
        if not good:
            return result
        now = utcnow()
        payload = [
            {
                **{c: r.get(c) for c in columns if c != "id"},
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for r in good
        ]
        model = spec.model
        ids = inserted_ids(self.session, model, payload)
        links: list[dict[str, int]] = []
        after: list[dict[str, Any]] = []
        for pos, item_id, row, extra in zip(positions, ids, payload, extras, strict=True):
            result[pos] = item_id
            row["id"] = item_id
            self.checker.remember_item(kind, item_id, row["instansi_id"], row.get("owner_id"))
            if kind == "infrastructure":
                self.checker.remember_infra_type(item_id, row["infra_type"])
            snap = {k: v for k, v in row.items() if k not in _NOISE}
            if kind == "integration":
                ds_ids = sorted(set(extra.get("data_set_ids", [])))
                links.extend({"integration_id": item_id, "data_set_id": d} for d in ds_ids)
                snap["data_set_ids"] = ds_ids
            after.append(snap)
        self.session.execute(
            insert(_table(SearchEntry)),
            [
                {
                    "kind": kind,
                    "item_id": r["id"],
                    "instansi_id": r["instansi_id"],
                    "body": search_body(spec, r),
                    "restricted": is_restricted(kind, r),
                }
                for r in payload
            ],
        )
        if links:
            self.session.execute(insert(_table(IntegrationDataSet)), links)
        self._changes(kind, "create", after)
        self._bump(kind, len(good))
        return result

    def _authorize(self, spec: Any, clean: dict[str, Any], found: ProblemList) -> None:
        """The same permission rule as single writes, reported as a row problem."""
        try:
            authorize(self.actor, self.checker, spec, clean, None, "create")
        except Forbidden as exc:
            found.add("permission", exc.message, exc.message_en, "owner_id", clean.get("owner_id"))

    # -- relations --------------------------------------------------------------------
    def relations(self, rows: Sequence[tuple[str, str, int, str, int]]) -> int:
        """Add relations ``(type, source_kind, source_id, target_kind, target_id)``;
        repeated rows are written once."""
        good: list[dict[str, Any]] = []
        seen: set[tuple[str, str, int, str, int]] = set()
        for i, row in enumerate(rows):
            if row in seen:
                continue
            found = ProblemList()
            inst = check_relation(*row, self.checker, found)
            if not found and self.actor.principal is not SYSTEM:
                try:
                    require_source_write(self.actor, self.checker, row[1], row[2], "link")
                except Forbidden as exc:
                    found.add("permission", exc.message, exc.message_en, "source_id", row[2])
            if found:
                self._fail("relation", i, found)
                continue
            seen.add(row)
            good.append(
                {
                    "type": row[0],
                    "source_kind": row[1],
                    "source_id": row[2],
                    "target_kind": row[3],
                    "target_id": row[4],
                    "instansi_id": inst,
                    "note": None,
                    "created_at": utcnow(),
                }
            )
        if not good:
            return 0
        ids = inserted_ids(self.session, Relation, good)
        snaps = []
        for rid, row in zip(ids, good, strict=True):
            snaps.append({"id": rid, **{k: v for k, v in row.items() if k != "created_at"}})
        self._changes("relation", "link", snaps)
        self._bump("relation", len(good))
        return len(good)
