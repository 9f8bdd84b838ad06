"""Reading legacy files through a mapping: files found by name, detail tables joined,
each exchange sheet's rows made field by field, units given parents from their codes,
and integration notes turned into proposals.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from catalog.exchange.columns import INSTANSI, ORGANISATIONS, SHEET_BY_KEY
from catalog.exchange.mapping.fields import FieldReader
from catalog.exchange.mapping.integrations import integration_rows
from catalog.exchange.mapping.load import load_mapping
from catalog.exchange.mapping.spec import FROM_MAPPING, JoinSpec, MappingSpec, SheetSpec
from catalog.exchange.mapping.tables import (
    Context,
    Record,
    Table,
    candidates,
    read_table,
    readable,
    spreadsheet_like,
)
from catalog.exchange.readers import FileProblem, ReadResult, Row, Where
from catalog.kinds import KINDS


@dataclass
class _Reader:
    session: Session
    mapping: MappingSpec
    result: ReadResult
    tables: dict[str, Table | None] = field(default_factory=dict)
    lookup_tables: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Shares the dicts open_files fills, so it sees the tables once they are read.
        self.fields = FieldReader(self.mapping, self.result, self.tables, self.lookup_tables)

    def problem(self, where: Where, message: str, message_en: str, value: Any = None) -> None:
        self.result.problems.append(FileProblem(where, message, message_en, value))

    # -- files -----------------------------------------------------------------------------
    def open_files(self, paths: list[Path]) -> bool:
        available = candidates(paths, self.result)
        given = set(paths)
        shown = [p for p in available if p in given or spreadsheet_like(p)]
        used: set[Path] = set()
        for alias, spec in self.mapping.files.items():
            pattern = spec.name.lower()
            matches = [p for p in available if fnmatch.fnmatchcase(p.name.lower(), pattern)]
            # An old .xls beside its .xlsx does not make the name ambiguous; alone, it is
            # matched so that read_table can say why it cannot be read.
            matches = [p for p in matches if readable(p)] or matches
            if len({p.resolve() for p in matches}) > 1:
                self.problem(
                    Where(self.mapping.display, "", 0, f"files.{alias}"),
                    f"Lebih dari satu berkas cocok dengan '{spec.name}': "
                    + ", ".join(str(p) for p in matches)
                    + ". Berikan satu saja.",
                    f"More than one file matches '{spec.name}'. Give only one.",
                    spec.name,
                )
                self.tables[alias] = None
                continue
            if not matches:
                names = ", ".join(p.name for p in shown) or "-"
                if spec.optional:
                    self.result.notices.append(
                        f"Berkas pilihan '{spec.name}' tidak diberikan; kolomnya dibiarkan "
                        f"kosong. / Optional file '{spec.name}' not given."
                    )
                else:
                    self.problem(
                        Where(self.mapping.display, "", 0, f"files.{alias}"),
                        f"Berkas '{spec.name}' yang disebut pemetaan tidak ada di antara berkas "
                        f"yang diberikan ({names}).",
                        f"File '{spec.name}' named by the mapping is not among the given files.",
                        spec.name,
                    )
                self.tables[alias] = None
                continue
            used.add(matches[0])
            self.tables[alias] = read_table(matches[0], spec, self.result)
        for path in shown:
            if path not in used:
                self.result.notices.append(
                    f"{path.name}: tidak dipakai pemetaan, diabaikan. / not used by the "
                    "mapping, ignored."
                )
        for lookup in self.mapping.lookups.values():
            table = self.tables.get(lookup.file)
            if table is None:
                continue
            if self.missing_columns(table, [lookup.key, lookup.value], f"lookups.{lookup.name}"):
                continue
            self.lookup_tables[lookup.name] = {
                r.cells[lookup.key].strip(): r.cells[lookup.value].strip() for r in table.records
            }
        return not self.result.problems

    def missing_columns(
        self,
        table: Table,
        columns: list[str],
        where: str,
        reported: set[tuple[int, str]] | None = None,
    ) -> bool:
        """Whether any of ``columns`` is not in ``table``; each missing one is a problem at
        the header row, unless it is in ``reported`` (already said for this sheet)."""
        missing = [c for c in dict.fromkeys(columns) if c not in table.headers]
        for column in missing:
            if reported is not None:
                if (id(table), column) in reported:
                    continue
                reported.add((id(table), column))
            self.problem(
                table.where(table.header_row, column),
                f"Kolom '{column}' yang disebut pemetaan ({where}) tidak ada di {table.display}. "
                "Kolom yang ada: " + ", ".join(h for h in table.headers if h) + ".",
                f"Column '{column}' named by the mapping ({where}) is not in {table.display}.",
                column,
            )
        return bool(missing)

    # -- sheets ----------------------------------------------------------------------------
    def sheet_rows(self, spec: SheetSpec) -> list[tuple[Row, Context]]:
        table = self.tables.get(spec.file)
        if table is None:
            return []
        # Every join is checked in full (its key in the detail table and in this one) and
        # stays known by its alias even when broken, so that its ALIAS.COLUMN fields are
        # checked against the detail table rather than reported missing from this one.
        joins: dict[str, tuple[JoinSpec, dict[str, list[Record]]]] = {}
        reported: set[tuple[int, str]] = set()  # (id of the table, column)
        missing = False
        for n, join in enumerate(spec.joins, start=1):
            jwhere = f"sheets.{spec.sheet.key}.join[{n}]"
            joins[join.file] = (join, {})
            missing |= self.missing_columns(table, [join.equals], jwhere, reported)
            other = self.tables.get(join.file)
            if other is None:
                continue
            wanted = [join.column] + ([join.order_by] if join.order_by else [])
            if self.missing_columns(other, wanted, jwhere, reported):
                missing = True
                continue
            index: dict[str, list[Record]] = defaultdict(list)
            for record in other.records:
                index[record.cells[join.column].strip()].append(record)
            if join.order_by:
                for rows in index.values():
                    rows.sort(key=lambda r: r.cells.get(join.order_by or "", ""))
            joins[join.file] = (join, index)
        where = f"sheets.{spec.sheet.key}.columns"
        for alias in joins:
            other = self.tables.get(alias)
            if other is None:
                continue
            own = [
                c.partition(".")[2]
                for f in spec.fields
                for c in f.columns()
                if c.partition(".")[0] == alias and c not in table.headers
            ]
            missing |= self.missing_columns(other, own, where, reported)
        main = [c for f in spec.fields for c in f.columns() if c.partition(".")[0] not in joins] + [
            c for c in self.note_columns(spec) if c.partition(".")[0] not in joins
        ]
        missing |= self.missing_columns(table, main, where, reported)
        if missing:
            return []
        out: list[tuple[Row, Context]] = []
        joined_keys: dict[str, set[str]] = defaultdict(set)
        for record in table.records:
            ctx = Context(record, {}, {})
            for alias, (join, index) in joins.items():
                key = record.cells.get(join.equals, "").strip()
                rows = index.get(key, [])
                if rows:
                    joined_keys[alias].add(key)
                ctx.joined[alias] = rows
                ctx.picked[alias] = (rows[-1] if join.pick == "last" else rows[0]) if rows else None
            values: dict[str, Any] = {"instansi": self.mapping.instansi["code"]}
            headers: dict[str, str] = {"instansi": FROM_MAPPING}
            for fspec in spec.fields:
                value, label, ok = self.fields.evaluate(fspec, ctx)
                headers[fspec.key] = label
                if not ok:
                    continue
                if value is None and fspec.key in _NOT_NULLABLE.get(spec.sheet.key, ()):
                    continue  # an empty cell leaves the default (or the stored value) alone
                values[fspec.key] = value
            out.append((Row(spec.sheet, values, table.where(record.number), headers), ctx))
        for alias, (_, index) in joins.items():
            stray = sum(len(rows) for k, rows in index.items() if k not in joined_keys[alias])
            if stray:
                other = self.tables[alias]
                self.result.notices.append(
                    f"{other.display if other else alias}: {stray} baris tidak cocok dengan baris "
                    f"mana pun di {table.display}, diabaikan. / {stray} rows match no row of "
                    f"{table.display}; ignored."
                )
        return out

    def note_columns(self, spec: SheetSpec) -> list[str]:
        notes = self.mapping.notes
        if notes is None or spec.sheet.kind != "application":
            return []
        return notes.columns

    def organisations(self, spec: SheetSpec, rows: list[tuple[Row, Context]]) -> list[Row]:
        out: list[Row] = []
        seen: set[str] = set()
        for row, _ctx in rows:
            code = str(row.values.get("code") or "")
            if spec.distinct and code:
                if code in seen:
                    continue
                seen.add(code)
            out.append(row)
        if spec.parent_step:
            codes = {str(r.values.get("code") or "") for r in out}
            for row in out:
                if row.values.get("parent"):
                    continue
                code = str(row.values.get("code") or "")
                parent = code[: -spec.parent_step]
                while len(parent) >= spec.parent_min:
                    if parent in codes:
                        row.values["parent"] = parent
                        row.headers["parent"] = (
                            f"{row.headers.get('code', 'code')} (induk dari kode)"
                        )
                        break
                    parent = parent[: -spec.parent_step]
        return out

    # -- the whole run ---------------------------------------------------------------------
    def run(self, paths: list[Path]) -> None:
        inst = self.mapping.instansi
        self.result.rows.append(
            Row(
                INSTANSI,
                {k: inst[k] for k in ("code", "name", "kind", "short_name") if k in inst},
                Where(self.mapping.display, "instansi", 0),
                {k: f"instansi.{k}" for k in inst},
            )
        )
        if not self.open_files(paths):
            return
        for spec in self.mapping.sheets:
            produced = self.sheet_rows(spec)
            if spec.sheet is ORGANISATIONS:
                self.result.rows.extend(self.organisations(spec, produced))
                continue
            self.result.rows.extend(row for row, _ in produced)
            # Notes are matched only against rows that read cleanly.
            wanted = self.mapping.notes is not None and spec.sheet.kind == "application"
            if wanted and produced and not self.result.problems:
                self.result.rows.extend(
                    integration_rows(self.session, self.mapping, produced, self.result)
                )


def _not_nullable() -> dict[str, frozenset[str]]:
    """Per sheet: fields that cannot be empty (status, kinds, flags); an empty legacy cell
    leaves their default alone instead of failing."""
    out: dict[str, frozenset[str]] = {}
    for key, spec in KINDS.items():
        sheet = next(s for s in SHEET_BY_KEY.values() if s.kind == key)
        fields = {
            name
            for name, info in spec.base.model_fields.items()
            if info.annotation is not None
            and "None" not in str(info.annotation)
            and not info.is_required()
        }
        out[sheet.key] = frozenset(c.key for c in sheet.columns if c.field in fields)
    return out


_NOT_NULLABLE = _not_nullable()


def read_with_mapping(session: Session, mapping_path: Path | str, paths: list[Path]) -> ReadResult:
    """Read legacy spreadsheets through a mapping file into exchange rows.

    ``paths`` are files or folders; each file the mapping names is found among them by its
    file name. Problems in the mapping, in the files or in their values come back located
    (file, sheet, row, column of the user's own spreadsheet); the rows are for
    :func:`catalog.services.imports.import_rows`.
    """
    result = ReadResult()
    mapping = load_mapping(mapping_path, result)
    if mapping is None or result.problems:
        return result
    _Reader(session, mapping, result).run([Path(p) for p in paths])
    return result
