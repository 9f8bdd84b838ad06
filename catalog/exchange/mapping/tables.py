"""The legacy files themselves: a CSV file or an XLSX worksheet as a table of records
keyed by the headers as written, each record remembering its spreadsheet row.

Mapping files name columns as the office wrote them, so headers are kept as written (only
spacing folded); a problem can then point at the user's own file, sheet, row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from catalog.exchange.mapping.names import squash
from catalog.exchange.mapping.spec import FileSpec
from catalog.exchange.readers import FileProblem, ReadResult, Where, decode_text
from catalog.exchange.values import as_text
from catalog.exchange.workbooks import WORKBOOK_SUFFIXES, damaged, open_workbook, read_errors


@dataclass
class Table:
    display: str
    sheet: str  # worksheet title; "" for CSV
    header_row: int
    headers: list[str]
    records: list[Record]

    def where(self, number: int, column: str | None = None) -> Where:
        return Where(self.display, self.sheet, number, column)


@dataclass
class Record:
    table: Table
    number: int  # spreadsheet row, 1-based, header included
    cells: dict[str, str]


XLSX_SUFFIXES = WORKBOOK_SUFFIXES  # what calamine reads (XLSX, XLSM, XLSB, XLS, ODS)
CSV_SUFFIX = ".csv"
# Spreadsheet formats the installed libraries cannot read: a mapped file in one of them
# gets a message saying so (and how to save it), not a reading as CSV text.
_UNREADABLE = {
    ".numbers": "Apple Numbers (.numbers)",
}
# The files a mapping can read, and the ones it can only explain.
SPREADSHEET_SUFFIXES = (CSV_SUFFIX, *XLSX_SUFFIXES, *_UNREADABLE)


def readable(path: Path) -> bool:
    return path.suffix.lower() in (CSV_SUFFIX, *XLSX_SUFFIXES)


def _format_problem(display: str, suffix: str) -> FileProblem:
    where = Where(display, "", 0)
    kind = _UNREADABLE.get(suffix)
    if kind is not None:
        return FileProblem(
            where,
            f"Berkas {display} berformat {kind}, yang tidak dapat dibaca (hanya XLSX, XLS, ODS "
            "dan CSV). Buka di program lembar kerja, simpan sebagai .xlsx atau .csv, dan "
            "sesuaikan 'name' berkas itu di pemetaan bila perlu.",
            f"{display} is in {kind} format, which cannot be read (only XLSX, XLS, ODS and CSV). "
            "Open it in the spreadsheet program, save it as .xlsx or .csv, and adjust the "
            "file's 'name' in the mapping if needed.",
            suffix,
        )
    return FileProblem(
        where,
        f"Berkas {display} bukan lembar kerja atau CSV (akhiran '{suffix or '-'}'). Simpan sebagai "
        ".xlsx atau .csv, dan sesuaikan 'name' berkas itu di pemetaan bila perlu.",
        f"{display} is not a workbook or CSV file (suffix '{suffix or '-'}'). Save it as .xlsx or "
        ".csv, and adjust the file's 'name' in the mapping if needed.",
        suffix,
    )


def _delimiter(text: str, header_row: int) -> str:
    r"""The delimiter (, ; or tab) that splits the header row into the most columns.

    Only the header row counts: a title line above it ("Daftar aplikasi, 2024") says
    nothing about the table, and the row is read as CSV reads it (quotes respected).

    >>> _delimiter("Daftar aplikasi, 2024\nid;nama;opd\n1;A;B\n", 2)
    ';'
    >>> _delimiter('"no, urut"\tnama\n', 1)
    '\t'
    """
    best, most = ",", 1
    for candidate in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text), delimiter=candidate)
        try:
            line = next(islice(reader, header_row - 1, None), [])
        except csv.Error:
            continue
        if len(line) > most:
            best, most = candidate, len(line)
    return best


def _csv_lines(text: str, spec: FileSpec, display: str, result: ReadResult) -> list[Any] | None:
    reader = csv.reader(
        io.StringIO(text), delimiter=spec.delimiter or _delimiter(text, spec.header_row)
    )
    lines: list[Any] = []
    start = 1
    try:
        for line in reader:
            lines.append(line)
            start = reader.line_num + 1
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        result.problems.append(
            FileProblem(
                Where(display, "", start),
                f"{display} tidak dapat dibaca sebagai CSV mulai baris {start} ({exc}). "
                'Biasanya ada tanda kutip (") yang tidak ditutup.',
                f"{display} cannot be read as CSV from line {start} ({exc}). Usually a quote "
                '(") is not closed.',
            )
        )
        return None
    return lines


def _xlsx_lines(path: Path, spec: FileSpec, display: str, result: ReadResult) -> tuple[str, Any]:
    # A legacy file's formulas are taken at the value they last computed: these files
    # are read as they are, and the mapping says which columns matter.
    wb = open_workbook(path, display, result)
    if wb is None:
        return "", None
    try:
        sheets = wb.sheet_names
        if spec.sheet is not None and spec.sheet not in sheets:
            result.problems.append(
                FileProblem(
                    Where(display, spec.sheet, 0),
                    f"Lembar '{spec.sheet}' tidak ada di {display}. Lembar yang ada: "
                    + ", ".join(sheets)
                    + ".",
                    f"Sheet '{spec.sheet}' is not in {display}. Its worksheets: "
                    + ", ".join(sheets)
                    + ".",
                    spec.sheet,
                )
            )
            return "", None
        ws = wb.sheet(spec.sheet if spec.sheet is not None else sheets[0])
        # Row n of the sheet at index n - 1, even when the used range starts lower down.
        lines: list[list[Any]] = []
        for number, values in ws.lines():
            lines.extend([] for _ in range(number - 1 - len(lines)))
            lines.append(values)
        return ws.name, lines
    except read_errors() as exc:  # a damaged worksheet shows only once it is read
        result.problems.append(damaged(display, exc))
        return "", None
    finally:
        wb.close()


def read_table(path: Path, spec: FileSpec, result: ReadResult) -> Table | None:
    """One legacy table (CSV, or a worksheet of an XLSX) with its header row; None after a
    problem when the file cannot be read."""
    display = path.name
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        title, lines = _xlsx_lines(path, spec, display, result)
    elif suffix == CSV_SUFFIX:
        title = ""
        lines = _csv_lines(decode_text(path.read_bytes(), display, result), spec, display, result)
    else:
        result.problems.append(_format_problem(display, suffix))
        return None
    if lines is None:
        return None
    result.files.append(display)
    if len(lines) < spec.header_row:
        result.problems.append(
            FileProblem(
                Where(display, title, spec.header_row),
                f"{display} tidak memiliki baris judul kolom (baris {spec.header_row}).",
                f"{display} has no header row (row {spec.header_row}).",
            )
        )
        return None
    headers = [squash(as_text(h)) if h is not None else "" for h in lines[spec.header_row - 1]]
    table = Table(display, title, spec.header_row, headers, [])
    for dup in sorted({h for h in headers if h and headers.count(h) > 1}):
        result.notices.append(
            f"{display}: kolom '{dup}' muncul lebih dari sekali; yang pertama dipakai. / "
            f"column '{dup}' appears more than once; the first is used."
        )
    for number, line in enumerate(lines[spec.header_row :], start=spec.header_row + 1):
        cells: dict[str, str] = {}
        for header, value in zip(headers, line, strict=False):
            if header and header not in cells:
                cells[header] = "" if value is None else as_text(value)
        if any(v.strip() for v in cells.values()):
            table.records.append(Record(table, number, cells))
    return table


def candidates(paths: list[Path], result: ReadResult) -> list[Path]:
    """The files among ``paths`` that the mapping's file names are matched against: files
    given, and every file in folders given (except hidden ones and the ``~$…`` lock files
    Office leaves beside an open workbook), so that a mapped file in a format that cannot
    be read is named as such rather than reported missing. A path that does not exist is a
    problem."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not p.name.startswith("~$")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            result.problems.append(
                FileProblem(
                    Where(path.name, "", 0),
                    f"Berkas {path} tidak ada.",
                    f"File {path} does not exist.",
                )
            )
    return found


def spreadsheet_like(path: Path) -> bool:
    """A file worth naming in notices: one a mapping reads or can explain."""
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


@dataclass
class Context:
    """One source row and the detail rows joined to it."""

    record: Record
    picked: dict[str, Record | None]  # join alias → the row ``pick`` chose
    joined: dict[str, list[Record]]  # join alias → every matching row (``order_by`` sorted)
