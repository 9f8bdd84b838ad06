"""Writing exchange files: XLSX workbooks, CSV files (a folder or a .zip), YAML and JSON.

Workbooks are written with XlsxWriter in constant-memory mode, a row at a time, so that
exporting the national inventory is quick and needs little memory (openpyxl, used for
reading, is about twice as slow at writing). The first row holds Indonesian headers, the second
a note on what each column takes; data starts on the third row.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml
from xlsxwriter.utility import xl_col_to_name

from catalog.exchange.columns import Sheet

DATA_ROWS = 5000  # how far down the template's drop-down lists reach


class _Sheet:
    """Writes rows into one xlsxwriter worksheet, typing each cell explicitly: text is
    always stored as text, so a value starting with '=' is never taken for a formula
    and an address never turns into a hyperlink."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0

    def append(self, values: Iterable[Any], fmt: Any = None) -> None:
        ws, r = self.ws, self.row
        for c, value in enumerate(values):
            if value is None or value == "":
                if fmt is not None:
                    ws.write_blank(r, c, None, fmt)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, fmt)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_string(r, c, str(value), fmt)
        self.row += 1


def write_xlsx(
    path: Path,
    sheets: Iterable[tuple[Sheet, Iterable[dict[str, Any]]]],
    *,
    lists: dict[str, list[str]] | None = None,
    examples: dict[str, dict[str, Any]] | None = None,
    instructions: list[str] | None = None,
) -> None:
    """A workbook with one sheet per kind, streamed row by row (constant memory).
    ``lists`` (``sheet.column`` → allowed values) adds drop-down lists backed by a hidden
    sheet; ``examples`` adds an example row per sheet."""
    wb = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    )
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B5CAB"})
    note = wb.add_format(
        {
            "italic": True,
            "font_color": "#5C6675",
            "font_size": 9,
            "text_wrap": True,
            "valign": "top",
        }
    )
    example = wb.add_format({"italic": True, "font_color": "#8A8A8A"})
    bold = wb.add_format({"bold": True})
    try:
        if instructions:
            ws = wb.add_worksheet("Petunjuk")
            ws.set_column(0, 0, 120)
            out = _Sheet(ws)
            for line in instructions:
                out.append([line], bold if line.isupper() else None)
        list_refs: dict[str, str] = {}
        if lists:
            keys = sorted(lists)
            ws = wb.add_worksheet("Daftar")
            ws.hide()
            out = _Sheet(ws)
            out.append(keys)
            longest = max((len(v) for v in lists.values()), default=0)
            for i in range(longest):
                out.append([lists[k][i] if i < len(lists[k]) else None for k in keys])
            for index, key in enumerate(keys):
                letter = xl_col_to_name(index)
                list_refs[key] = f"=Daftar!${letter}$2:${letter}${len(lists[key]) + 1}"
        for sheet, rows in sheets:
            ws = wb.add_worksheet(sheet.title)
            for index, col in enumerate(sheet.columns):
                width = 42 if col.type == "long" else 24 if col.type in ("list", "items") else 16
                ws.set_column(index, index, width)
                ref = list_refs.get(f"{sheet.key}.{col.key}")
                if ref:
                    ws.data_validation(
                        2,
                        index,
                        DATA_ROWS,
                        index,
                        {"validate": "list", "source": ref, "show_error": False},
                    )
            ws.freeze_panes(2, 0)
            out = _Sheet(ws)
            out.append([c.header for c in sheet.columns], header)
            out.append([c.note for c in sheet.columns], note)
            if examples and sheet.key in examples:
                out.append([examples[sheet.key].get(c.key) for c in sheet.columns], example)
            keys = [c.key for c in sheet.columns]
            for row in rows:
                out.append([row.get(k) for k in keys])
    finally:
        wb.close()


def csv_text(
    sheet: Sheet, rows: Iterable[dict[str, Any]], example: dict[str, Any] | None = None
) -> Iterator[str]:
    """A sheet as CSV: a header row of Indonesian headers, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    keys = [c.key for c in sheet.columns]
    writer.writerow([c.header for c in sheet.columns])
    if example:
        writer.writerow([example.get(k) for k in keys])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
        yield buffer.getvalue()


def write_csv(
    target: Path,
    sheets: Iterable[tuple[Sheet, Iterable[dict[str, Any]]]],
    *,
    examples: dict[str, dict[str, Any]] | None = None,
    extra: dict[str, str] | None = None,
) -> list[str]:
    """One UTF-8 CSV per sheet (with a byte-order mark, so that spreadsheet programs read
    it right) into a folder, or into a .zip when ``target`` ends with .zip."""
    written = []
    if target.suffix.lower() == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for sheet, rows in sheets:
                with zf.open(sheet.file, "w") as fh:
                    fh.write("\ufeff".encode())
                    for chunk in csv_text(sheet, rows, (examples or {}).get(sheet.key)):
                        fh.write(chunk.encode("utf-8"))
                written.append(sheet.file)
            for name, text in (extra or {}).items():
                zf.writestr(name, text)
        return written
    target.mkdir(parents=True, exist_ok=True)
    for sheet, rows in sheets:
        with (target / sheet.file).open("w", encoding="utf-8-sig", newline="") as fh:
            for chunk in csv_text(sheet, rows, (examples or {}).get(sheet.key)):
                fh.write(chunk)
        written.append(sheet.file)
    for name, text in (extra or {}).items():
        (target / name).write_text(text, encoding="utf-8")
    return written


def write_document(
    path: Path, document: Mapping[str, Any] | Iterable[tuple[str, Any]], fmt: str
) -> None:
    """Catalogue-as-code: YAML for people, JSON for programs. ``document`` is a mapping or
    (key, value) pairs whose list values may be lazy: rows are written as they come, a
    thousand at a time, so that the national inventory never sits in memory whole."""
    pairs = document.items() if isinstance(document, Mapping) else document
    with path.open("w", encoding="utf-8") as fh:
        if fmt == "json":
            _write_json(fh, pairs)
        else:
            _write_yaml(fh, pairs)


def _chunks(rows: Iterable[Any], size: int = 1000) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _is_rows(value: Any) -> bool:
    return not isinstance(value, str | bytes | Mapping) and isinstance(value, Iterable)


def _write_json(fh: Any, pairs: Iterable[tuple[str, Any]]) -> None:
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=str)

    fh.write("{")
    for n, (key, value) in enumerate(pairs):
        fh.write(("\n" if n == 0 else ",\n") + f" {dump(key)}: ")
        if not _is_rows(value):
            fh.write(dump(value))
            continue
        fh.write("[")
        first = True
        for row in value:  # one row per line: readable, and diffs line up
            fh.write(("\n  " if first else ",\n  ") + dump(row))
            first = False
        fh.write("]" if first else "\n ]")
    fh.write("\n}\n")


# LibYAML's dumper when PyYAML was built with it: ten times faster than the Python one.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _write_yaml(fh: Any, pairs: Iterable[tuple[str, Any]]) -> None:
    def dump(value: Any) -> str:
        return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)

    for key, value in pairs:
        if not _is_rows(value):
            fh.write(dump({key: value}))
            continue
        # A block sequence may start at its key's indentation, so "key:" followed by
        # chunks of "- row" items is one list, however many chunks there are.
        empty = True
        for chunk in _chunks(value):
            if empty:
                fh.write(f"{key}:\n")  # sheet keys are plain words
                empty = False
            fh.write(dump(chunk))
        if empty:
            fh.write(dump({key: []}))
