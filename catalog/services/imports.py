"""Importing rows read from exchange files: all or nothing, every problem reported.

Every row is checked first: its cells, the units and items it names, the services' own
rules and the importer's permissions. If anything is wrong, nothing is written and the
report lists every problem with file, sheet, row and column. Otherwise the whole file is
applied in one transaction: new items are created, rows whose values differ from the
stored item update it (matched by code, or by ``source_key``), everything else is left
alone — so importing the same file twice changes nothing. Items missing from a
full-snapshot file are retired only when asked.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.access import SYSTEM
from catalog.errors import CatalogError, InvalidInput
from catalog.exchange.columns import (
    INSTANSI,
    ORGANISATIONS,
    RELATIONS,
    SHEET_OF_KIND,
    WRITE_ORDER,
    Column,
    Sheet,
)
from catalog.exchange.readers import Row, Where
from catalog.exchange.values import CellError, Choices, enum_choices, lookup_choices, read_cell
from catalog.kinds import KINDS
from catalog.models import (
    ImportRun,
    Instansi,
    IntegrationDataSet,
    LookupValue,
    Organisation,
    Relation,
)
from catalog.models.base import utcnow
from catalog.services.bulk import BulkWriter
from catalog.services.context import Actor
from catalog.services.items import retire_item, update_item
from catalog.services.organisations import create_instansi, update_organisation
from catalog.services.relations import unlink
from catalog.services.tx import transaction

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportProblem:
    where: Where
    message: str
    message_en: str
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.where.file,
            "sheet": self.where.sheet,
            "row": self.where.row,
            "column": self.where.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class ImportOptions:
    instansi: str | None = None  # code of the instansi rows without one belong to
    dry_run: bool = False
    retire_missing: bool = False
    key: str = "code"  # or "source_key": how a row finds its stored item
    mapping: str | None = None


@dataclass
class ImportReport:
    run_id: str
    files: list[dict[str, Any]]
    dry_run: bool
    created: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[tuple[str, list[str]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    retired: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def outcome(self) -> str:
        if self.problems:
            return "rejected"
        return "dry_run" if self.dry_run else "applied"

    def counts(self) -> dict[str, dict[str, int]]:
        kinds = set(self.created) | set(self.updated) | set(self.retired) | set(self.unchanged)
        return {
            k: {
                "created": len(self.created.get(k, [])),
                "updated": len(self.updated.get(k, [])),
                "retired": len(self.retired.get(k, [])),
                "unchanged": self.unchanged.get(k, 0),
            }
            for k in sorted(kinds)
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "outcome": self.outcome,
            "files": self.files,
            "counts": self.counts(),
            "created": {k: v for k, v in self.created.items() if v},
            "updated": {
                k: [{"code": c, "fields": f} for c, f in v] for k, v in self.updated.items() if v
            },
            "retired": {k: v for k, v in self.retired.items() if v},
            "problems": [p.to_dict() for p in self.problems],
            "notices": self.notices,
        }


class _Rollback(Exception):
    """Leave the transaction without keeping anything (dry run, or problems found)."""


def _canon(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return sorted(value) if all(isinstance(v, int) for v in value) else list(value)
    return value


class Importer:
    def __init__(
        self,
        session: Session,
        actor: Actor,
        options: ImportOptions,
        report: ImportReport,
        progress: Progress | None = None,
    ) -> None:
        self.session = session
        self.options = options
        self.report = report
        self.progress = progress
        # Every change of this run carries its id and says it came from an import.
        self.actor = Actor(
            name=actor.name,
            source="import",
            user_id=actor.user_id,
            request_id=report.run_id,
            principal=actor.principal,
            address=actor.address,
        )
        self.bulk = BulkWriter(session, self.actor, collect=True)
        self.instansi: dict[str, int] = {
            code: iid for iid, code in session.execute(select(Instansi.id, Instansi.code))
        }
        self.default_instansi: int | None = None
        self.units: dict[int, dict[str, int]] = defaultdict(dict)  # instansi → code → id
        self.items: dict[str, dict[int, dict[str, int]]] = {k: defaultdict(dict) for k in KINDS}
        self._choices: dict[str, Choices] = {}
        self._codes: dict[tuple[str, int], dict[str, int]] = {}
        self.seen: dict[str, set[int]] = defaultdict(set)  # kind → ids named by the file
        self.touched: set[int] = set()  # instansi the file's rows belong to
        self.relation_keys: set[tuple[str, str, int, str, int]] = set()

    # -- problems -----------------------------------------------------------------------
    def problem(self, where: Where, message: str, message_en: str, value: Any = None) -> None:
        self.report.problems.append(ImportProblem(where, message, message_en, value))

    # -- lookups of names to ids -----------------------------------------------------------
    def choices(self, column: Column) -> Choices:
        # Keyed by the code list itself, not the column name: "status" means application
        # statuses on one sheet and integration statuses on another.
        key = f"lookup:{column.lookup}" if column.lookup else f"enum:{column.enum.__name__}"
        if key not in self._choices:
            if column.type == "enum":
                self._choices[key] = enum_choices(column)
            else:
                rows = self.session.execute(
                    select(LookupValue.value, LookupValue.label, LookupValue.label_en).where(
                        LookupValue.category == column.lookup, LookupValue.is_active.is_(True)
                    )
                ).all()
                self._choices[key] = lookup_choices([tuple(r) for r in rows])  # type: ignore[misc]
        return self._choices[key]

    def load_units(self, instansi_id: int) -> dict[str, int]:
        if instansi_id not in self.units:
            self.units[instansi_id] = {
                code: oid
                for oid, code in self.session.execute(
                    select(Organisation.id, Organisation.code).where(
                        Organisation.instansi_id == instansi_id
                    )
                )
            }
        return self.units[instansi_id]

    def load_items(self, kind: str, instansi_id: int) -> dict[str, int]:
        table = self.items[kind]
        if instansi_id not in table:
            model: Any = KINDS[kind].model
            column = model.source_key if self.options.key == "source_key" else model.code
            table[instansi_id] = {
                key: iid
                for iid, key in self.session.execute(
                    select(model.id, column).where(
                        model.instansi_id == instansi_id, column.is_not(None)
                    )
                )
            }
        return table[instansi_id]

    def codes_of(self, kind: str, instansi_id: int) -> dict[str, int]:
        """Item codes (never source keys) of an instansi: what references use."""
        model: Any = KINDS[kind].model
        key = (kind, instansi_id)
        if key not in self._codes:
            self._codes[key] = {
                code: iid
                for iid, code in self.session.execute(
                    select(model.id, model.code).where(model.instansi_id == instansi_id)
                )
            }
        return self._codes[key]

    def row_instansi(self, row: Row) -> int | None:
        code = str(row.values.get("instansi") or "").strip()
        if not code:
            if self.default_instansi is None:
                self.problem(
                    row.at("instansi"),
                    "Kode instansi kosong dan tidak ada instansi bawaan; "
                    "isi kolom instansi atau pilih --instansi.",
                    "The instansi is empty and there is no default; fill the column or "
                    "give --instansi.",
                )
            else:
                self.touched.add(self.default_instansi)
            return self.default_instansi
        found = self.instansi.get(code)
        if found is not None:
            self.touched.add(found)
        if found is None:
            self.problem(
                row.at("instansi"),
                f"Instansi '{code}' tidak ada di katalog. Tambahkan "
                "lembar Instansi atau periksa kodenya.",
                f"Instansi '{code}' is not in the catalogue. Add an Instansi sheet or check "
                "the code.",
                code,
            )
        return found

    def unit_id(self, row: Row, column: Column, instansi_id: int, code: str) -> int | None:
        units = self.load_units(instansi_id)
        found = units.get(code)
        if found is None:
            hint = ""
            if code.isdigit() and ("0" + code) in units:
                hint = (
                    f" Mungkin maksudnya 0{code}: angka nol di depan hilang saat sel "
                    "diformat sebagai angka; format kolom sebagai Teks."
                )
            self.problem(
                row.at(column.key),
                f"OPD '{code}' tidak ada di instansi ini.{hint}",
                f"Unit '{code}' does not exist in this instansi.",
                code,
            )
        return found

    def item_id(self, row: Row, column: Column, instansi_id: int, ref: str) -> int | None:
        kind = column.target_kind or ""
        inst_code, _, code = ref.rpartition("/")
        target_inst = instansi_id
        if inst_code:
            target_inst = self.instansi.get(inst_code)  # type: ignore[assignment]
            if target_inst is None:
                self.problem(
                    row.at(column.key),
                    f"Instansi '{inst_code}' pada '{ref}' tidak ada.",
                    f"Instansi '{inst_code}' in '{ref}' does not exist.",
                    ref,
                )
                return None
        found = self.codes_of(kind, target_inst).get(code)
        if found is None:
            label = KINDS[kind].label
            self.problem(
                row.at(column.key),
                f"{label} dengan kode '{ref}' tidak ada (di berkas ini maupun di katalog).",
                f"No {KINDS[kind].label_en} with code '{ref}' (in this file or the catalogue).",
                ref,
            )
        return found

    # -- one row into service input ----------------------------------------------------------
    def service_data(self, row: Row, sheet: Sheet, instansi_id: int) -> dict[str, Any] | None:
        data: dict[str, Any] = {"instansi_id": instansi_id}
        keep_default = _not_nullable(sheet.kind)
        ok = True
        for column in sheet.columns:
            if column.key == "instansi" or column.key not in row.values:
                continue
            raw = row.values[column.key]
            try:
                value = read_cell(
                    column, raw, self.choices(column) if column.type in ("enum", "lookup") else None
                )
            except CellError as exc:
                self.problem(
                    row.at(column.key),
                    f"{column.header}: {exc.message}",
                    f"{column.key}: {exc.message_en}",
                    raw,
                )
                ok = False
                continue
            if column.type == "unit":
                if value:
                    value = self.unit_id(row, column, instansi_id, value)
                    ok = ok and value is not None
            elif column.type == "item":
                if value:
                    value = self.item_id(row, column, instansi_id, value)
                    ok = ok and value is not None
            elif column.type == "items":
                ids = [self.item_id(row, column, instansi_id, v) for v in value]
                ok = ok and None not in ids
                value = [i for i in ids if i is not None]
            if value is None and column.field in keep_default:
                continue  # an empty cell leaves the default (or the stored value) alone
            data[column.field] = value
        if self.actor.principal is not SYSTEM:
            data.pop("confirmed_by_provider", None)
            data.pop("confirmed_by_consumer", None)
        return data if ok else None

    def problems_from(self, row: Row, sheet: Sheet, problems: list[Any]) -> None:
        by_field = {c.field: c.key for c in sheet.columns}
        for p in problems:
            key = by_field.get(p.field or "", p.field)
            self.problem(row.at(key) if key else row.where, p.message, p.message_en, p.value)

    # -- the run ----------------------------------------------------------------------------
    def run(self, rows: list[Row]) -> None:
        by_sheet: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_sheet[row.sheet.key].append(row)
        self.instansi_rows(by_sheet.get(INSTANSI.key, []))
        self.organisation_rows(by_sheet.get(ORGANISATIONS.key, []))
        present = []
        for kind in WRITE_ORDER:
            sheet = SHEET_OF_KIND[kind]
            if sheet.key in by_sheet:
                present.append(kind)
                self.item_rows(kind, sheet, by_sheet[sheet.key])
        if RELATIONS.key in by_sheet:
            self.relation_rows(by_sheet[RELATIONS.key])
        if self.options.retire_missing and not self.report.problems:
            self.retire_missing(present, RELATIONS.key in by_sheet)

    def instansi_rows(self, rows: list[Row]) -> None:
        for row in rows:
            code = str(row.values.get("code") or "").strip()
            if not code:
                self.problem(
                    row.at("code"), "Kode instansi wajib diisi.", "The instansi code is required."
                )
                continue
            if code not in self.instansi:
                try:
                    inst = create_instansi(
                        self.session,
                        self.actor,
                        {
                            k: row.values.get(k)
                            for k in ("code", "name", "kind", "short_name")
                            if row.values.get(k) not in (None, "")
                        },
                    )
                    self.instansi[code] = inst.id  # type: ignore[assignment]
                    self.report.created["instansi"].append(code)
                except CatalogError as exc:
                    self.problems_from(row, INSTANSI, exc.problems)
            else:
                self.report.unchanged["instansi"] += 1
        if self.options.instansi:
            self.default_instansi = self.instansi.get(self.options.instansi)
            named = {str(row.values.get("code") or "").strip() for row in rows}
            # Not when the file itself names it (its row has a problem of its own), nor
            # when reading already failed (e.g. a broken mapping that yields no rows).
            if self.default_instansi is None and not (
                self.options.instansi in named or self.report.problems
            ):
                self.problem(
                    Where("", "", 0, "--instansi"),
                    f"Instansi '{self.options.instansi}' tidak ada.",
                    f"Instansi '{self.options.instansi}' does not exist.",
                )
        elif len(rows) == 1:
            self.default_instansi = self.instansi.get(str(rows[0].values.get("code") or "").strip())
        else:
            from catalog.queries.scope import default_instansi

            found = default_instansi(self.session)
            self.default_instansi = found.id if found else None

    def organisation_rows(self, rows: list[Row]) -> None:
        pending: list[tuple[Row, int, str]] = []
        seen: set[tuple[int, str]] = set()
        for row in rows:
            inst = self.row_instansi(row)
            code = str(row.values.get("code") or "").strip()
            if inst is None or not code:
                if inst is not None:
                    self.problem(
                        row.at("code"), "Kode unit wajib diisi.", "The unit code is required."
                    )
                continue
            if (inst, code) in seen:
                self.problem(
                    row.at("code"),
                    f"Kode unit '{code}' muncul lebih dari sekali di berkas.",
                    f"Unit code '{code}' appears more than once in the file.",
                    code,
                )
                continue
            seen.add((inst, code))
            pending.append((row, inst, code))
        # Parents first: a unit is ready when its parent is stored or has no parent.
        while pending:
            ready = []
            for row, inst, code in pending:
                parent = str(row.values.get("parent") or "").strip()
                if not parent or parent in self.load_units(inst):
                    ready.append((row, inst, code))
            if not ready:
                for row, _inst, _code in pending:
                    self.problem(
                        row.at("parent"),
                        f"Unit induk '{row.values.get('parent')}' tidak ada.",
                        f"Parent unit '{row.values.get('parent')}' does not exist.",
                        row.values.get("parent"),
                    )
                break
            creates = []
            for row, inst, code in ready:
                data = self.service_data(row, ORGANISATIONS, inst)
                if data is None:
                    continue
                data["code"] = code
                existing = self.load_units(inst).get(code)
                if existing is None:
                    creates.append((row, inst, data))
                    continue
                self.update_unit(row, existing, data)
            if creates:
                before = len(self.bulk.problems)
                ids = self.bulk.organisations([d for _, _, d in creates])
                self.located(creates, before, ORGANISATIONS)
                for (_row, inst, data), new_id in zip(creates, ids, strict=True):
                    if new_id is not None:
                        self.units[inst][data["code"]] = new_id
                        self.report.created["organisation"].append(data["code"])
            done = {(id(r)) for r, _, _ in ready}
            pending = [p for p in pending if id(p[0]) not in done]

    def update_unit(self, row: Row, unit_id: int, data: dict[str, Any]) -> None:
        org = self.session.get(Organisation, unit_id)
        assert org is not None
        changes = {
            k: v
            for k, v in data.items()
            if k in ("name", "short_name", "kind", "parent_id")
            and k in {c.field for c in ORGANISATIONS.columns if c.key in row.values}
            and getattr(org, k) != v
        }
        if not changes:
            self.report.unchanged["organisation"] += 1
            return
        try:
            update_organisation(self.session, self.actor, unit_id, changes)
            self.report.updated["organisation"].append((org.code, sorted(changes)))
        except CatalogError as exc:
            self.problems_from(row, ORGANISATIONS, exc.problems)

    def located(
        self, batch: list[tuple[Row, int, dict[str, Any]]], start: int, sheet: Sheet
    ) -> None:
        """Turn the bulk writer's row problems into located import problems."""
        for problem in self.bulk.problems[start:]:
            row = batch[problem.row][0]
            self.problems_from(row, sheet, [problem.problem])

    def item_rows(self, kind: str, sheet: Sheet, rows: list[Row]) -> None:
        model: Any = KINDS[kind].model
        creates: list[tuple[Row, int, dict[str, Any]]] = []
        updates: list[tuple[Row, int, dict[str, Any]]] = []
        keys_seen: set[tuple[int, str]] = set()
        match = self.options.key
        for n, row in enumerate(rows):
            if self.progress and n % 500 == 0:
                self.progress(sheet.title, n, len(rows))
            inst = self.row_instansi(row)
            if inst is None:
                continue
            data = self.service_data(row, sheet, inst)
            if data is None:
                continue
            key = str(data.get(match) or "").strip()
            if key:
                if (inst, key) in keys_seen:
                    self.problem(
                        row.at(match),
                        f"{'Kode' if match == 'code' else 'Kunci sumber'} '{key}' "
                        "muncul lebih dari sekali di berkas.",
                        f"{match} '{key}' appears more than once in the file.",
                        key,
                    )
                    continue
                keys_seen.add((inst, key))
            existing = self.load_items(kind, inst).get(key) if key else None
            if existing is None:
                creates.append((row, inst, data))
            else:
                self.seen[kind].add(existing)
                updates.append((row, existing, data))
        for start in range(0, len(updates), 500):
            chunk = updates[start : start + 500]
            current = self.current_values(kind, [item_id for _, item_id, _ in chunk])
            for row, item_id, data in chunk:
                self.update_row(kind, sheet, row, item_id, data, current[item_id])
        if creates:
            before = len(self.bulk.problems)
            ids = self.bulk.items(kind, [d for _, _, d in creates])
            self.located(creates, before, sheet)
            # Codes the services assigned (rows that left the code empty).
            assigned = dict(
                self.session.execute(
                    select(model.id, model.code).where(
                        model.id.in_(
                            [
                                i
                                for (_, _, d), i in zip(creates, ids, strict=True)
                                if i and not d.get("code")
                            ]
                        )
                    )
                ).all()
            )
            for (_row, inst, data), new_id in zip(creates, ids, strict=True):
                if new_id is None:
                    continue
                code = data.get("code") or assigned[new_id]
                self.codes_of(kind, inst)[code] = new_id
                if match == "source_key" and data.get("source_key"):
                    self.load_items(kind, inst)[data["source_key"]] = new_id
                else:
                    self.load_items(kind, inst)[code] = new_id
                self.seen[kind].add(new_id)
                self.report.created[kind].append(code)

    def current_values(self, kind: str, item_ids: list[int]) -> dict[int, dict[str, Any]]:
        """The stored columns of some items (and an integration's data sets), read in one
        query as plain rows: a re-import compares every row, and loading each as an ORM
        object took most of its time."""
        table = KINDS[kind].model.__table__  # type: ignore[attr-defined]
        current = {
            r["id"]: dict(r)
            for r in self.session.execute(select(table).where(table.c.id.in_(item_ids))).mappings()
        }
        if kind == "integration":
            for values in current.values():
                values["data_set_ids"] = []
            for integration_id, data_set_id in self.session.execute(
                select(IntegrationDataSet.integration_id, IntegrationDataSet.data_set_id)
                .where(IntegrationDataSet.integration_id.in_(item_ids))
                .order_by(IntegrationDataSet.data_set_id)
            ):
                current[integration_id]["data_set_ids"].append(data_set_id)
        return current

    def update_row(
        self,
        kind: str,
        sheet: Sheet,
        row: Row,
        item_id: int,
        data: dict[str, Any],
        current: dict[str, Any],
    ) -> None:
        changes: dict[str, Any] = {}
        for name, value in data.items():
            if name in ("instansi_id",) or (name == "code" and self.options.key == "code"):
                continue
            if _canon(current.get(name)) != _canon(value):
                changes[name] = value
        if "status" in changes and changes["status"] == "retired":
            changes.pop("status")
            if current["retired_at"] is None:
                self.guarded(
                    row, sheet, lambda: retire_item(self.session, self.actor, kind, item_id)
                )
                self.report.retired[kind].append(current["code"])
        if not changes:
            self.report.unchanged[kind] += 1
            return
        if self.guarded(
            row, sheet, lambda: update_item(self.session, self.actor, kind, item_id, changes)
        ):
            self.report.updated[kind].append((current["code"], sorted(changes)))

    def guarded(self, row: Row, sheet: Sheet, call: Callable[[], Any]) -> bool:
        try:
            call()
            return True
        except CatalogError as exc:
            self.problems_from(row, sheet, exc.problems)
            return False

    def relation_rows(self, rows: list[Row]) -> None:
        wanted: list[tuple[str, str, int, str, int]] = []
        origin: list[Row] = []
        for row in rows:
            inst = self.row_instansi(row)
            if inst is None:
                continue
            values = {k: str(v).strip() if v is not None else "" for k, v in row.values.items()}
            ends = []
            for end in ("source", "target"):
                kind = values.get(f"{end}_kind", "")
                if kind not in KINDS:
                    self.problem(
                        row.at(f"{end}_kind"),
                        f"Jenis item '{kind}' tidak dikenal. Pilihan: " + ", ".join(KINDS) + ".",
                        f"Unknown item kind '{kind}'.",
                        kind,
                    )
                    break
                col = Column(end, end, "", "", "item", f"{end}_id", target_kind=kind)
                found = (
                    self.item_id(row, col, inst, values.get(end, "")) if values.get(end) else None
                )
                if found is None:
                    if not values.get(end):
                        self.problem(
                            row.at(end), "Kode item wajib diisi.", "The item code is required."
                        )
                    break
                ends.append((kind, found))
            if len(ends) == 2:
                wanted.append(
                    (values.get("type", ""), ends[0][0], ends[0][1], ends[1][0], ends[1][1])
                )
                origin.append(row)
        existing = (
            {
                (r.type, r.source_kind, r.source_id, r.target_kind, r.target_id): r.id
                for r in self.session.execute(select(Relation)).scalars()
            }
            if wanted
            else {}
        )
        self.relation_keys = set(wanted)
        new = [(w, r) for w, r in zip(wanted, origin, strict=True) if w not in existing]
        self.report.unchanged["relation"] += len(wanted) - len(new)
        if new:
            before = len(self.bulk.problems)
            self.bulk.relations([w for w, _ in new])
            for problem in self.bulk.problems[before:]:
                row = new[problem.row][1]
                self.problem(
                    row.at(problem.problem.field or "type"),
                    problem.problem.message,
                    problem.problem.message_en,
                    problem.problem.value,
                )
            self.report.created["relation"].extend(
                f"{w[1]}:{w[2]} {w[0]} {w[3]}:{w[4]}" for w, _ in new
            )

    def retire_missing(self, kinds: list[str], relations: bool) -> None:
        """A full snapshot: what the file no longer lists is retired (within the importer's
        rights and the instansi the file is for)."""
        scope = self.touched
        for kind in kinds:
            model: Any = KINDS[kind].model
            stale = self.session.execute(
                select(model.id, model.code, model.instansi_id, model.owner_id).where(
                    model.instansi_id.in_(scope), model.retired_at.is_(None)
                )
            ).all()
            for item_id, code, inst, owner in stale:
                if item_id in self.seen[kind]:
                    continue
                org = self.session.get(Organisation, owner)
                if not self.actor.principal.can_write(inst, org.path if org else None):
                    continue
                retire_item(
                    self.session, self.actor, kind, item_id, note="tidak ada di berkas impor"
                )
                self.report.retired[kind].append(code)
        if relations:
            for rel in (
                self.session.execute(select(Relation).where(Relation.instansi_id.in_(scope)))
                .scalars()
                .all()
            ):
                key = (rel.type, rel.source_kind, rel.source_id, rel.target_kind, rel.target_id)
                if key not in self.relation_keys:
                    try:
                        unlink(self.session, self.actor, rel.id)  # type: ignore[arg-type]
                        self.report.retired["relation"].append(
                            f"{rel.source_kind}:{rel.source_id} {rel.type}"
                        )
                    except CatalogError:
                        continue


@functools.cache
def _not_nullable(kind: str | None) -> frozenset[str]:
    """Fields of a kind that cannot be empty (status, flags, kinds…)."""
    if kind is None:
        return frozenset()
    base = KINDS[kind].base
    return frozenset(
        name
        for name, info in base.model_fields.items()
        if not (info.annotation is None or "None" in str(info.annotation))
        and info.default is not None
    )


def import_rows(
    session: Session,
    actor: Actor,
    rows: list[Row],
    options: ImportOptions,
    *,
    files: list[dict[str, Any]] | None = None,
    notices: list[str] | None = None,
    progress: Progress | None = None,
    problems: list[ImportProblem] | None = None,
) -> ImportReport:
    """Check every row, then apply all of them or none. Records the run. ``problems``
    found while reading the files count too: rows are still checked, so that the report
    lists everything at once, but nothing is written."""
    report = ImportReport(
        run_id=uuid.uuid4().hex,
        files=files or [],
        dry_run=options.dry_run,
        notices=list(notices or []),
        problems=list(problems or []),
    )
    started = utcnow()
    importer = Importer(session, actor, options, report, progress)
    try:
        with transaction(session):
            importer.run(rows)
            if report.problems or options.dry_run:
                raise _Rollback()
            report.applied = True
    except _Rollback:
        pass
    # A rolled-back run may have created its own instansi: the record must not point at it.
    instansi_id = importer.default_instansi
    if instansi_id is not None and not report.applied:
        instansi_id = session.scalar(select(Instansi.id).where(Instansi.id == instansi_id))
    with transaction(session):
        session.add(
            ImportRun(
                id=report.run_id,
                started_at=started,
                finished_at=utcnow(),
                actor_id=actor.user_id,
                actor_name=actor.name,
                instansi_id=instansi_id,
                files=report.files,
                mapping=options.mapping,
                dry_run=options.dry_run,
                outcome=report.outcome,
                counts=report.counts(),
                problem_count=len(report.problems),
            )
        )
    return report


__all__ = ["ImportOptions", "ImportProblem", "ImportReport", "InvalidInput", "import_rows"]
