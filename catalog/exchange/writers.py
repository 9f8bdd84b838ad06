"""Writing exchange files: XLSX workbooks, CSV files (a folder or a .zip), YAML and JSON.

Workbooks are written in openpyxl's streaming mode, a row at a time, so that exporting the
national inventory needs little memory. The first row holds Indonesian headers, the second
a note on what each column takes; data starts on the third row.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.exchange.columns import Sheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5CAB")
NOTE_FONT = Font(italic=True, color="5C6675", size=9)
EXAMPLE_FONT = Font(italic=True, color="8A8A8A")
DATA_ROWS = 5000  # how far down the template's drop-down lists reach


def _cells(
    ws: Any,
    values: Iterable[Any],
    font: Font | None = None,
    fill: PatternFill | None = None,
    wrap: bool = False,
) -> list[WriteOnlyCell]:
    out = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        out.append(cell)
    return out


def write_xlsx(
    path: Path,
    sheets: Iterable[tuple[Sheet, Iterable[dict[str, Any]]]],
    *,
    lists: dict[str, list[str]] | None = None,
    examples: dict[str, dict[str, Any]] | None = None,
    instructions: list[str] | None = None,
) -> None:
    """A workbook with one sheet per kind. ``lists`` (column key → allowed values) adds
    drop-down lists backed by a hidden sheet; ``examples`` adds an example row per sheet."""
    # Streaming (write-only) workbooks cannot hold drop-down lists; templates are small.
    streaming = not lists
    wb = Workbook(write_only=streaming)
    if not streaming:
        wb.remove(wb.active)
    if instructions:
        ws = wb.create_sheet("Petunjuk")
        ws.column_dimensions["A"].width = 120
        for line in instructions:
            ws.append(_cells(ws, [line], font=Font(bold=line.isupper())))
    list_refs: dict[str, str] = {}
    if lists:
        # Written first so that validations can point at it; hidden, not deleted.
        lst = wb.create_sheet("Daftar")
        lst.sheet_state = "hidden"
        keys = sorted(lists)
        longest = max((len(v) for v in lists.values()), default=0)
        lst.append(keys)
        for i in range(longest):
            lst.append([lists[k][i] if i < len(lists[k]) else None for k in keys])
        for col_index, key in enumerate(keys, start=1):
            letter = _letter(col_index)
            list_refs[key] = f"Daftar!${letter}$2:${letter}${len(lists[key]) + 1}"
    for sheet, rows in sheets:
        ws = wb.create_sheet(sheet.title)
        for i, col in enumerate(sheet.columns, start=1):
            width = 42 if col.type == "long" else 24 if col.type in ("list", "items") else 16
            ws.column_dimensions[_letter(i)].width = width
        ws.freeze_panes = "A3"
        for i, col in enumerate(sheet.columns, start=1):
            ref = list_refs.get(f"{sheet.key}.{col.key}") or list_refs.get(col.key)
            if ref:
                dv = DataValidation(
                    type="list", formula1=ref, allow_blank=True, showErrorMessage=False
                )
                dv.add(f"{_letter(i)}3:{_letter(i)}{DATA_ROWS}")
                ws.add_data_validation(dv)
        ws.append(_cells(ws, [c.header for c in sheet.columns], HEADER_FONT, HEADER_FILL))
        ws.append(_cells(ws, [c.note for c in sheet.columns], NOTE_FONT, wrap=True))
        if examples and sheet.key in examples:
            ws.append(
                _cells(ws, [examples[sheet.key].get(c.key) for c in sheet.columns], EXAMPLE_FONT)
            )
        keys = [c.key for c in sheet.columns]
        for row in rows:
            ws.append([row.get(k) for k in keys])
    wb.save(path)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


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


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Catalogue-as-code: YAML for people (.yaml/.yml), JSON for programs (.json)."""
    if path.suffix.lower() == ".json":
        path.write_text(
            json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
        )
    else:
        path.write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
