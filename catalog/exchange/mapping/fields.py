"""One field of one row: a field spec applied to a source row and its joined rows.

The steps run in the order the mapping format documents (source, cleaning, ``split``,
``lookup``, ``values``/``match``, ``code_from_name``, ``default``); a value a step cannot
explain is a problem located at the cell it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.exchange.mapping.names import split_name, squash, unit_code
from catalog.exchange.mapping.spec import FROM_MAPPING, FieldSpec, MappingSpec
from catalog.exchange.mapping.tables import Context, Record, Table
from catalog.exchange.mapping.templates import fill, template_columns
from catalog.exchange.readers import FileProblem, ReadResult, Where


@dataclass
class FieldReader:
    mapping: MappingSpec
    result: ReadResult
    tables: dict[str, Table | None]  # file alias → table (None when absent or unreadable)
    lookup_tables: dict[str, dict[str, str]]  # lookup name → code → value

    def problem(self, where: Where, message: str, message_en: str, value: Any = None) -> None:
        self.result.problems.append(FileProblem(where, message, message_en, value))

    def locate(self, ctx: Context, column: str) -> tuple[Record | None, str]:
        """The record a column reference reads from, and the column name in it."""
        if column in ctx.record.table.headers:
            return ctx.record, column
        alias, _, name = column.partition(".")
        if alias in ctx.picked:
            return ctx.picked[alias], name
        return ctx.record, column

    def label(self, ctx: Context, column: str) -> str:
        """How a problem names a column: as written, with file and row when joined."""
        record, name = self.locate(ctx, column)
        if record is None or record is ctx.record:
            return name
        return f"{name} ({record.table.display} baris {record.number})"

    def clean(self, spec: FieldSpec, raw: str | None) -> str | None:
        if raw is None:
            return None
        text = raw.strip()
        low = squash(text).lower()
        if not text or low in self.mapping.empty or low in spec.empty:
            return None
        return text

    def cell(self, ctx: Context, spec: FieldSpec, column: str) -> str | None:
        record, name = self.locate(ctx, column)
        return self.clean(spec, record.cells.get(name) if record is not None else None)

    # -- one field -----------------------------------------------------------------------
    def evaluate(self, spec: FieldSpec, ctx: Context) -> tuple[Any, str, bool]:
        """(value, column label, ok) of a field for one row."""
        if spec.column is not None:
            label = self.label(ctx, spec.column)
            value: Any = self.cell(ctx, spec, spec.column)
            record, name = self.locate(ctx, spec.column)
            where = (record or ctx.record).table.where((record or ctx.record).number, name)
        elif spec.templates:
            label = " + ".join(dict.fromkeys(spec.columns())) or FROM_MAPPING
            where = ctx.record.table.where(ctx.record.number, label)
            value = None
            for template in spec.templates:
                names = template_columns(template)
                cells = {n: self.cell(ctx, spec, n) for n in names}
                if all(cells.values()):
                    value = self.clean(spec, fill(template, cells))
                    if value:
                        break
        else:
            label = FROM_MAPPING
            where = ctx.record.table.where(ctx.record.number, label)
            value = spec.value
            if isinstance(value, str):
                value = self.clean(spec, value)
        if value is not None and spec.split:
            name_part, acronym = split_name(str(value))
            if spec.split == "name":
                value = name_part
            elif spec.split == "acronym":
                value = acronym
            else:
                value = squash(str(value)) if acronym else None
        ok = True
        if value is not None and spec.lookup:
            value, ok = self.looked_up(spec, str(value), where)
        if value is not None and ok and (spec.values is not None or spec.match):
            value, ok = self.translated(spec, str(value), where)
        if value is not None and spec.code_from_name:
            value = unit_code(str(value))
        if value is None and spec.default is not None:
            value = spec.default
        return value, label, ok

    def looked_up(self, spec: FieldSpec, code: str, where: Where) -> tuple[str | None, bool]:
        lookup = self.mapping.lookups[spec.lookup]  # type: ignore[index]
        values = self.lookup_tables.get(lookup.name, {})
        if code in values:
            return values[code] or None, True
        table = self.tables.get(lookup.file)
        shown = ", ".join(f"{k} ({v})" for k, v in list(values.items())[:20])
        self.problem(
            where,
            f"Kode '{code}' tidak ada di {table.display if table else lookup.file} "
            f"(kolom {lookup.key}). Kode yang ada: {shown}.",
            f"Code '{code}' is not in {table.display if table else lookup.file} "
            f"(column {lookup.key}).",
            code,
        )
        return None, False

    def translated(self, spec: FieldSpec, text: str, where: Where) -> tuple[Any, bool]:
        key = squash(text).lower()
        if spec.values is not None and key in spec.values:
            found = spec.values[key]
            return (None if found in (None, "") else str(found)), True
        for pattern, found in spec.match:
            if pattern.search(text):
                return (None if found in (None, "") else str(found)), True
        if spec.unknown == "keep":
            return text, True
        if spec.unknown == "empty":
            return None, True
        known = list(spec.values or {}) + [p.pattern for p, _ in spec.match]
        self.problem(
            where,
            f"Nilai '{text}' tidak dikenal pemetaan untuk {spec.key}. Nilai yang dikenal: "
            + ", ".join(known)
            + ". Tambahkan terjemahannya di berkas pemetaan.",
            f"Value '{text}' is not known to the mapping for {spec.key}. Known: "
            + ", ".join(known)
            + ". Add a translation to the mapping file.",
            text,
        )
        return None, False
