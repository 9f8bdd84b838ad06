"""Reading exchange files into rows, with the location of every value.

Accepts XLSX workbooks, CSV files (alone, in a folder or in a .zip), YAML and JSON. What
cannot be read at all (an encrypted or damaged workbook, an unknown format) raises a
problem for the whole file; what is wrong in a row is left to the importer, which reports
every problem at once with file, sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.exchange.columns import EXAMPLE_PREFIX, SHEET_BY_KEY, SHEETS, Column, Sheet

MAX_BYTES = 200 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls share it
_SKIPPED_SHEETS = {"petunjuk", "daftar", "instructions"}


@dataclass(frozen=True)
class Where:
    file: str
    sheet: str
    row: int  # spreadsheet row (1-based), or the position in a YAML/JSON list (1-based)
    column: str | None = None  # header as written, or the document key

    def describe(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"lembar {self.sheet}")
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class FileProblem:
    where: Where
    message: str
    message_en: str
    value: Any = None


@dataclass
class Row:
    sheet: Sheet
    values: dict[str, Any]
    where: Where
    # column key → the header the file used for it (for problem locations)
    headers: dict[str, str] = field(default_factory=dict)

    def at(self, key: str) -> Where:
        return Where(self.where.file, self.where.sheet, self.where.row, self.headers.get(key, key))


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.rows.extend(other.rows)
        self.problems.extend(other.problems)
        self.notices.extend(other.notices)
        self.files.extend(other.files)


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _header_map(sheet: Sheet) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in sheet.columns:
        table[_norm(col.header)] = col
        table[_norm(col.key)] = col
    return table


def sheet_for(name: str) -> Sheet | None:
    """The sheet a worksheet title, CSV file name or document key stands for."""
    wanted = _norm(Path(name).stem if name.lower().endswith(".csv") else name)
    for sheet in SHEETS:
        if wanted in (_norm(sheet.title), _norm(sheet.key), _norm(Path(sheet.file).stem)):
            return sheet
    return None


def _guess_sheet(headers: list[Any]) -> Sheet | None:
    """For a lone CSV with a free name: the sheet most of its headers belong to."""
    best, score = None, 0
    for sheet in SHEETS:
        table = _header_map(sheet)
        hits = sum(1 for h in headers if _norm(h) in table)
        if hits > score:
            best, score = sheet, hits
    return best if score >= 2 else None


def _table(
    result: ReadResult,
    source: str,
    sheet: Sheet,
    title: str,
    lines: Iterator[tuple[int, list[Any]]],
) -> None:
    """Rows of one table whose first line is the header row."""
    first = next(lines, None)
    if first is None:
        return
    header_row, headers = first
    table = _header_map(sheet)
    columns: dict[int, Column] = {}
    used: dict[str, str] = {}
    for index, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        col = table.get(_norm(header))
        where = Where(source, title, header_row, str(header))
        if col is None:
            known = ", ".join(c.header for c in sheet.columns)
            result.problems.append(
                FileProblem(
                    where,
                    f"Kolom '{header}' tidak dikenal di lembar {sheet.title}. Kolom yang dikenal: "
                    f"{known}.",
                    f"Unknown column '{header}' in sheet {sheet.title}. Known columns: "
                    + ", ".join(c.key for c in sheet.columns)
                    + ".",
                    header,
                )
            )
        elif col.key in used:
            result.problems.append(
                FileProblem(
                    where,
                    f"Kolom '{header}' muncul dua kali.",
                    f"Column '{header}' appears twice.",
                    header,
                )
            )
        else:
            columns[index] = col
            used[col.key] = str(header)
    for col in sheet.columns:
        if col.required and col.key not in used:
            result.problems.append(
                FileProblem(
                    Where(source, title, header_row),
                    f"Lembar {sheet.title} tidak memiliki kolom wajib '{col.header}'. Tambahkan "
                    "kolom itu.",
                    f"Sheet {sheet.title} lacks the required column '{col.key}'. Add it.",
                )
            )
    notes = {col.key: _norm(col.note) for col in sheet.columns}
    for number, values in lines:
        cells = {columns[i].key: v for i, v in enumerate(values) if i in columns}
        filled = {k: v for k, v in cells.items() if v is not None and str(v).strip() != ""}
        if not filled:
            continue
        if sum(1 for k, v in filled.items() if _norm(v) == notes[k]) * 2 >= len(filled):
            continue  # the template's note row
        if _is_example(filled):
            continue  # the template's example row
        result.rows.append(Row(sheet, cells, Where(source, title, number), used))


def _is_example(values: dict[str, Any]) -> bool:
    """Template example rows carry codes starting with CONTOH (relations: their source)."""
    key = "code" if "code" in values else "source"
    return str(values.get(key, "")).strip().upper().startswith(EXAMPLE_PREFIX)


def read_xlsx(path: Path, display: str) -> ReadResult:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    result = ReadResult(files=[display])
    head = path.read_bytes()[:8]
    if head == _OLE_MAGIC:
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                "Berkas ini terkunci kata sandi (atau format .xls lama). Buka di "
                "Excel/LibreOffice, "
                "hapus kata sandinya, lalu simpan sebagai .xlsx.",
                "This workbook is password-protected (or an old .xls). Open it, remove the "
                "password "
                "and save it as .xlsx.",
            )
        )
        return result
    try:
        merged = _merged_sheets(path)
        wb = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas XLSX rusak atau bukan XLSX ({type(exc).__name__}). Simpan ulang dari "
                "program lembar kerja, atau ekspor sebagai CSV.",
                f"The XLSX file is damaged or not an XLSX ({type(exc).__name__}). Save it again "
                "from "
                "the spreadsheet program, or export it as CSV.",
            )
        )
        return result
    try:
        for ws in wb.worksheets:
            if _norm(ws.title) in _SKIPPED_SHEETS:
                continue
            sheet = sheet_for(ws.title)
            if sheet is None:
                result.problems.append(
                    FileProblem(
                        Where(display, ws.title, 0),
                        f"Lembar '{ws.title}' tidak dikenal. Nama lembar yang dikenal: "
                        + ", ".join(s.title for s in SHEETS)
                        + ".",
                        f"Unknown sheet '{ws.title}'. Known sheets: "
                        + ", ".join(s.title for s in SHEETS)
                        + ".",
                    )
                )
                continue
            for ref in merged.get(ws.title, []):
                result.problems.append(
                    FileProblem(
                        Where(display, ws.title, 0, ref),
                        f"Sel {ref} digabung (merge). Pisahkan sel gabungan dan isi setiap baris.",
                        f"Cells {ref} are merged. Unmerge them and fill every row.",
                    )
                )
            lines = ((i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1))
            _table(result, display, sheet, ws.title, lines)
    finally:
        wb.close()
    return result


def _merged_sheets(path: Path) -> dict[str, list[str]]:
    """Merged ranges per worksheet title, read straight from the workbook's XML (the
    streaming reader does not expose them)."""
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        for name, rid in re.findall(r'<sheet[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
            target = targets.get(rid, "")
            member = "xl/" + target.lstrip("/").removeprefix("xl/")
            if member not in zf.namelist():
                continue
            with zf.open(member) as fh:
                refs = _merge_refs(fh)
            if refs:
                found[name] = refs
    return found


_MERGE = re.compile(rb'<mergeCell ref="([^"]+)"')


def _merge_refs(fh: Any, chunk: int = 1 << 20) -> list[str]:
    """Merged ranges of a worksheet XML, streamed so that a large sheet costs no memory."""
    refs: list[str] = []
    carry = b""
    while block := fh.read(chunk):
        data = carry + block
        last = 0
        for match in _MERGE.finditer(data):
            refs.append(match.group(1).decode())
            last = match.end()
        # Keep a tail in case a tag straddles two blocks (but never re-read a match).
        carry = data[max(last, len(data) - 256) :]
    return refs


def decode_text(data: bytes, display: str, result: ReadResult) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.notices.append(
            f"{display}: bukan UTF-8; dibaca sebagai Windows-1252 (ekspor Excel lama). / "
            "not UTF-8; read as Windows-1252."
        )
        return data.decode("cp1252", errors="replace")


def read_csv_text(text: str, display: str, result: ReadResult, name: str) -> None:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    lines = ((i, row) for i, row in enumerate(reader, start=1))
    first = next(lines, None)
    if first is None:
        return
    sheet = sheet_for(name) or _guess_sheet(first[1])
    if sheet is None:
        result.problems.append(
            FileProblem(
                Where(display, "", 1),
                f"Tidak jelas jenis data berkas {display}. Beri nama berkas seperti aplikasi.csv, "
                "layanan.csv, data.csv, opd.csv, atau gunakan judul kolom dari templat.",
                f"Cannot tell what {display} holds. Name it like aplikasi.csv, layanan.csv, "
                "data.csv, "
                "opd.csv, or use the template's column headers.",
            )
        )
        return

    def chained() -> Iterator[tuple[int, list[Any]]]:
        yield first
        yield from lines

    _table(result, display, sheet, sheet.title, chained())


def read_document(data: Any, display: str, result: ReadResult) -> None:
    if not isinstance(data, dict) or "katalog_spbe" not in data:
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                "Dokumen katalog harus berupa pemetaan dengan kunci 'katalog_spbe: 1' dan daftar "
                "per "
                "jenis (applications, datasets, …). Lihat templat YAML.",
                "A catalogue document must be a mapping with 'katalog_spbe: 1' and lists per kind "
                "(applications, datasets, …). See the YAML template.",
            )
        )
        return
    for key, rows in data.items():
        if key == "katalog_spbe":
            continue
        sheet = SHEET_BY_KEY.get(key)
        if sheet is None:
            result.problems.append(
                FileProblem(
                    Where(display, key, 0),
                    f"Kunci '{key}' tidak dikenal. Kunci yang dikenal: {', '.join(SHEET_BY_KEY)}.",
                    f"Unknown key '{key}'. Known keys: {', '.join(SHEET_BY_KEY)}.",
                )
            )
            continue
        if isinstance(rows, dict) and key == "instansi":
            rows = [rows]
        if not isinstance(rows, list):
            result.problems.append(
                FileProblem(
                    Where(display, key, 0),
                    f"'{key}' harus berupa daftar.",
                    f"'{key}' must be a list.",
                )
            )
            continue
        known = {c.key for c in sheet.columns}
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                result.problems.append(
                    FileProblem(
                        Where(display, key, i),
                        "Setiap entri harus pemetaan.",
                        "Every entry must be a mapping.",
                    )
                )
                continue
            for extra in sorted(set(row) - known):
                result.problems.append(
                    FileProblem(
                        Where(display, key, i, extra),
                        f"Kunci '{extra}' tidak dikenal untuk {key}.",
                        f"Unknown key '{extra}' for {key}.",
                        extra,
                    )
                )
            values = {k: v for k, v in row.items() if k in known}
            if _is_example(values):
                continue
            result.rows.append(Row(sheet, values, Where(display, key, i), {k: k for k in values}))


def read_path(path: Path, max_bytes: int = MAX_BYTES, display: str | None = None) -> ReadResult:
    """Read one file, a .zip of CSV files, or a folder of them."""
    display = display or path.name
    result = ReadResult()
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.suffix.lower() in (".csv", ".xlsx", ".yaml", ".yml", ".json"):
                result.extend(read_path(child, max_bytes, f"{display}/{child.name}"))
        if not result.files:
            result.problems.append(
                FileProblem(
                    Where(display, "", 0),
                    "Folder tidak berisi berkas CSV, XLSX, YAML atau JSON.",
                    "The folder holds no CSV, XLSX, YAML or JSON file.",
                )
            )
        return result
    if not path.exists():
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas {display} tidak ada.",
                f"File {display} does not exist.",
            )
        )
        return result
    size = path.stat().st_size
    if size > max_bytes:
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas {display} terlalu besar ({size // (1024 * 1024)} MB; batas "
                f"{max_bytes // (1024 * 1024)} MB). Bagi per OPD atau per jenis.",
                f"File {display} is too large ({size // (1024 * 1024)} MB; limit "
                f"{max_bytes // (1024 * 1024)} MB). Split it per unit or per kind.",
            )
        )
        return result
    suffix = path.suffix.lower()
    result.files.append(display)
    if suffix == ".xlsx":
        result.files.pop()
        return read_xlsx(path, display)
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                for name in sorted(zf.namelist()):
                    if name.lower().endswith(".csv"):
                        text = decode_text(zf.read(name), f"{display}:{name}", result)
                        read_csv_text(text, f"{display}:{name}", result, Path(name).name)
        except zipfile.BadZipFile:
            result.problems.append(
                FileProblem(
                    Where(display, "", 0), "Berkas .zip rusak.", "The .zip file is damaged."
                )
            )
        return result
    if suffix == ".csv":
        read_csv_text(decode_text(path.read_bytes(), display, result), display, result, path.name)
        return result
    if suffix in (".yaml", ".yml", ".json"):
        text = decode_text(path.read_bytes(), display, result)
        try:
            data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else 0)
            result.problems.append(
                FileProblem(
                    Where(display, "", line),
                    f"Berkas {display} bukan {'JSON' if suffix == '.json' else 'YAML'} yang sah "
                    f"(baris {line}).",
                    f"{display} is not valid {'JSON' if suffix == '.json' else 'YAML'} (line "
                    f"{line}).",
                )
            )
            return result
        read_document(data, display, result)
        return result
    result.problems.append(
        FileProblem(
            Where(display, "", 0),
            f"Format berkas '{suffix or path.name}' tidak didukung. Gunakan XLSX, CSV, YAML atau "
            "JSON "
            "(simpan .xls/.ods sebagai .xlsx).",
            f"File format '{suffix or path.name}' is not supported. Use XLSX, CSV, YAML or JSON "
            "(save "
            ".xls/.ods as .xlsx).",
        )
    )
    return result
