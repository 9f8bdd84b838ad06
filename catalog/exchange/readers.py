"""Reading exchange files into rows, with the location of every value.

Accepts XLSX workbooks, CSV files (alone, in a folder or in a .zip), YAML, JSON and
ArchiMate exchange files (``.xml``, read by :mod:`catalog.exchange.archimate`). What
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
from pathlib import Path
from typing import Any

import yaml

from catalog.exchange.columns import EXAMPLE_PREFIX, SHEET_BY_KEY, SHEETS, Column, Sheet
from catalog.exchange.located import FileProblem, ReadResult, Row, Where
from catalog.exchange.workbooks import WORKBOOK_SUFFIXES, damaged, open_workbook, read_errors

MAX_BYTES = 200 * 1024 * 1024
_SKIPPED_SHEETS = {"petunjuk", "daftar", "instructions"}


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
    formulas: list[tuple[str, int, int, str]] = (),  # type: ignore[assignment]
) -> None:
    """Rows of one table whose first line is the header row. ``formulas`` are the
    sheet's formula cells (reference, row, column index, formula): in a data row each is a
    problem, as its value is only what the formula last computed, if anything."""
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
    formula_at: dict[int, dict[int, str]] = {}
    for _ref, row_number, column_index, text in formulas:
        formula_at.setdefault(row_number, {})[column_index] = text
    for number, values in lines:
        cells = {columns[i].key: v for i, v in enumerate(values) if i in columns}
        filled = {k: v for k, v in cells.items() if v is not None and str(v).strip() != ""}
        if not filled:
            continue
        if sum(1 for k, v in filled.items() if _norm(v) == notes[k]) * 2 >= len(filled):
            continue  # the template's note row
        if _is_example(filled):
            continue  # the template's example row
        for i, text in formula_at.get(number, {}).items():
            if i in columns:
                result.problems.append(
                    FileProblem(
                        Where(source, title, number, used[columns[i].key]),
                        f"Sel berisi rumus '={text[:40]}'; salin lalu tempel sebagai nilai "
                        "(Paste Values).",
                        f"The cell holds a formula '={text[:40]}'; copy and paste it as a value.",
                        f"={text}",
                    )
                )
        result.rows.append(Row(sheet, cells, Where(source, title, number), used))


def _is_example(values: dict[str, Any]) -> bool:
    """Template example rows carry codes starting with CONTOH (relations: their source)."""
    key = "code" if "code" in values else "source"
    return str(values.get(key, "")).strip().upper().startswith(EXAMPLE_PREFIX)


def read_xlsx(path: Path, display: str) -> ReadResult:
    """A workbook (XLSX, XLSM, XLS or ODS) of exchange sheets, one per kind."""
    result = ReadResult(files=[display])
    wb = open_workbook(path, display, result)
    if wb is None:
        return result
    try:
        formulas = wb.formulas()
        for name in wb.sheet_names:
            if _norm(name) in _SKIPPED_SHEETS:
                continue
            sheet = sheet_for(name)
            if sheet is None:
                result.problems.append(
                    FileProblem(
                        Where(display, name, 0),
                        f"Lembar '{name}' tidak dikenal. Nama lembar yang dikenal: "
                        + ", ".join(s.title for s in SHEETS)
                        + ".",
                        f"Unknown sheet '{name}'. Known sheets: "
                        + ", ".join(s.title for s in SHEETS)
                        + ".",
                    )
                )
                continue
            ws = wb.sheet(name)
            for ref in ws.merged():
                result.problems.append(
                    FileProblem(
                        Where(display, name, 0, ref),
                        f"Sel {ref} digabung (merge). Pisahkan sel gabungan dan isi setiap baris.",
                        f"Cells {ref} are merged. Unmerge them and fill every row.",
                    )
                )
            _table(result, display, sheet, name, ws.lines(), formulas.get(name, []))
    except (*read_errors(), zipfile.BadZipFile) as exc:  # a damaged sheet shows once read
        result.problems.append(damaged(display, exc))
    finally:
        wb.close()
    return result


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
            if child.suffix.lower() in (".csv", ".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES):
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
    if suffix in WORKBOOK_SUFFIXES:
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
    if suffix == ".xml":
        from catalog.exchange.archimate import read_archimate

        result.files.pop()
        return read_archimate(path, display)
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
            f"Format berkas '{suffix or path.name}' tidak didukung. Gunakan XLSX (juga XLS, ODS), "
            "CSV, YAML, JSON atau XML ArchiMate.",
            f"File format '{suffix or path.name}' is not supported. Use XLSX (or XLS, ODS), CSV, "
            "YAML, JSON or ArchiMate XML.",
        )
    )
    return result
