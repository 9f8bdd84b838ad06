"""Legacy spreadsheets into exchange rows, described by a mapping file (YAML).

Real inventories arrive as whatever an office kept: a database dump with coded columns and
side tables (Kota Denpasar), a list of websites per OPD (Provinsi Banten). A *mapping file*
says, once per source, which file and column is which exchange column, and how values are
translated. :func:`read_with_mapping` reads the files through it into the same
:class:`~catalog.exchange.readers.Row` objects the template reader produces, so the importer
(:func:`catalog.services.imports.import_rows`) checks and writes them as usual, and every
problem names the user's own file, sheet, row and column. Nothing is guessed: a value the
mapping does not explain is a located problem, and a free-text integration note that names
no known application is a notice for a person to read.

Shipped mappings live in ``catalog/data/mappings/`` (``denpasar.yaml``, ``banten.yaml``);
``katalog import --mapping denpasar FOLDER`` finds them by name.

The format (``katalog_spbe_mapping: 1``)::

    katalog_spbe_mapping: 1
    name: Inventaris aplikasi Kota Contoh          # shown in reports
    key: source_key        # how re-imports find stored items: source_key (default) or code
    instansi:              # the instansi the rows belong to; created when absent
      {code: "51.71", name: Pemerintah Kota Contoh, kind: kota, short_name: Pemkot Contoh}
    empty: ["-", "belum ada"]   # cells read as empty in every column (case ignored)

    files:                 # alias → a file among the paths given on the command line
      apps: {name: aplikasi.csv}                   # matched by file name (case ignored,
      units: {name: "opd*.xlsx", sheet: OPD, header_row: 2}   # wildcards allowed)
      detail: {name: detail.csv, optional: true}   # absent → a notice, not a problem
      # CSV: UTF-8 (with or without BOM), else Windows-1252 with a notice; the delimiter
      # (, ; or tab) is taken from the header line unless `delimiter:` is given.
      # XLSX: the first worksheet unless `sheet:`; header_row counts from 1.

    lookups:               # coded columns explained by side tables
      media: {file: kategori_media, key: id_media, value: nama_kat_media}

    sheets:                # exchange sheet key → where its rows come from
      organisations:
        file: units
        distinct: true               # one unit per distinct code (e.g. codes made from names)
        parent_from_code: {step: 2, min_length: 6}   # 03080101 → parent 030801 if listed
        columns: {code: idopd, name: namaopd}
      applications:
        file: apps
        join:                        # a detail table, matched on a key
          - {file: detail, column: id_aplikasi, equals: id_app, pick: last, order_by: dlu}
        columns:                     # exchange column key → field spec (below)
          source_key: id_app
          name: {column: judul, split: name}
          programming_language: detail.pemrograman     # a joined column: ALIAS.COLUMN

    integration_notes:     # free text about integration → proposed integrations
      columns: [detail.info_integrasi]   # on the applications sheet's rows (all joined rows)
      strip_from_names: ["Kota Contoh"]  # also match "Pusat Data" for "Pusat Data Kota Contoh"

A *field spec* is a column name, or a mapping applied in this order:

1. the source: ``column: NAME`` (``ALIAS.NAME`` for a joined table), ``value: CONSTANT``,
   or ``template: "APL-{id_app}"`` / a list of templates (the first whose columns are all
   filled is used; ``{URL:host}`` takes the host name of a URL);
2. cleaning: surrounding spaces are removed; the global ``empty`` values and the field's own
   ``empty: ["0"]`` become empty;
3. ``split: name | acronym | original``: "SIDAB (Sistem Informasi …)" and "Sistem Informasi
   … (SIDAB)" give the name "Sistem Informasi …" and the acronym "SIDAB"; ``original`` is the
   text as written when it was split (e.g. for aliases), else empty;
4. ``lookup: NAME``: the code is replaced by the side table's value; an unknown code is a
   problem;
5. ``values: {aktif: active, "1": khusus}`` (case ignored; ``null`` means empty) and/or
   ``match: {"^APBD$": apbd}`` (regular expressions, case ignored, first match in written
   order wins); a value neither explains is a problem unless ``unknown: keep`` or
   ``unknown: empty``;
6. ``code_from_name: true``: a stable unit code made from a unit name (initials and a short
   hash of the name, e.g. ``BKD-1A2B``), so units listed only by name get codes that stay
   the same between imports;
7. ``default: VALUE`` when the result is empty (e.g. a default owner unit).

Every row gets the mapping's instansi. Integration notes need the applications sheet to
give ``code`` (a template) and ``source_key``: the proposed integrations refer to the
applications by code and are found again by source key, so importing twice changes nothing.
"""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import re
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlmodel import Session

from catalog.enums import InstansiKind
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, SHEET_BY_KEY, Sheet
from catalog.exchange.notes import Matcher, Target
from catalog.exchange.readers import FileProblem, ReadResult, Row, Where, decode_text
from catalog.exchange.values import as_text
from catalog.kinds import KINDS

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "data" / "mappings"
FORMAT_KEY = "katalog_spbe_mapping"
_TOP_KEYS = {
    FORMAT_KEY,
    "name",
    "description",
    "key",
    "instansi",
    "empty",
    "files",
    "lookups",
    "sheets",
    "integration_notes",
}
_FIELD_KEYS = {
    "column",
    "value",
    "template",
    "empty",
    "split",
    "lookup",
    "values",
    "match",
    "unknown",
    "code_from_name",
    "default",
}
_SHEET_KEYS = {"file", "join", "columns", "distinct", "parent_from_code"}
_FILE_KEYS = {"name", "sheet", "header_row", "delimiter", "optional"}
_JOIN_KEYS = {"file", "column", "equals", "pick", "order_by"}
_FROM_MAPPING = "(pemetaan)"


# -- text helpers --------------------------------------------------------------------------
_ACRONYM = re.compile(r"[\w!&+\-]{2,20}")
_CAPS_ACRONYM = re.compile(r"[A-Z0-9\-]{2,10}(?: [A-Z0-9\-]{1,10}){1,2}")
_PARENTHESIS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.DOTALL)
_HOST = re.compile(r"\w\.\w")
_STOP = {"dan", "di", "ke", "dari", "serta", "untuk", "yang", "&"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _acronym_like(text: str) -> bool:
    return bool(
        (_ACRONYM.fullmatch(text) and re.search(r"[A-Za-z]", text)) or _CAPS_ACRONYM.fullmatch(text)
    )


def split_name(text: str) -> tuple[str, str | None]:
    """Name and acronym of "ACRONYM (Expansion)" or "Name (ACRONYM)"; otherwise the text.

    Only one side may look like an acronym (one word, or up to three upper-case words);
    "Rujukan Online (Dinas Kominfo)" and "Simonev (Narkoba)" stay as written.

    >>> split_name("SIDAB (Sistem Informasi Distribusi Air Bersih)")
    ('Sistem Informasi Distribusi Air Bersih', 'SIDAB')
    >>> split_name("Sistem Informasi Manajemen Gaji (SIMGAJI)")
    ('Sistem Informasi Manajemen Gaji', 'SIMGAJI')
    >>> split_name("SIM HP (Sistem Informasi Manajemen Hasil Pemeriksa)")
    ('Sistem Informasi Manajemen Hasil Pemeriksa', 'SIM HP')
    >>> split_name("Rujukan Online (Dinas Kominfo)")
    ('Rujukan Online (Dinas Kominfo)', None)
    >>> split_name("e-RTLH (ertlh.kota.go.id)")
    ('e-RTLH (ertlh.kota.go.id)', None)
    """
    text = _squash(text)
    match = _PARENTHESIS.match(text)
    if not match:
        return text, None
    outside, inside = _squash(match.group(1)), _squash(match.group(2))
    if not outside or not inside or _HOST.search(inside) or _HOST.search(outside):
        return text, None  # "e-RTLH (ertlh.kota.go.id)": an address is no name
    out_short, in_short = _acronym_like(outside), _acronym_like(inside)
    if out_short and not in_short:
        return inside, outside
    if in_short and not out_short:
        return outside, inside
    return text, None


def unit_code(name: str) -> str:
    """A stable unit code for a unit known only by name: its initials and a short hash of
    the name (case and spacing ignored), so the same name always gives the same code.

    >>> unit_code("Badan Kepegawaian Daerah")
    'BKD-6D40'
    >>> unit_code("  badan  kepegawaian daerah ") == unit_code("Badan Kepegawaian Daerah")
    True
    """
    norm = _squash(name).lower()
    initials = "".join(
        w[0] for w in re.findall(r"[0-9A-Za-zÀ-ÿ]+", norm) if w not in _STOP
    ).upper()[:16]
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()[:4].upper()
    return f"{initials or 'UNIT'}-{digest}"


def url_host(url: str) -> str:
    """
    >>> url_host("https://www.Sipd.kemendagri.go.id/login")
    'sipd.kemendagri.go.id'
    >>> url_host("litbang.bantenprov.go.id/")
    'litbang.bantenprov.go.id'
    """
    text = url.strip()
    if not text:
        return ""
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    return host.removeprefix("www.")


class _Formatter(string.Formatter):
    """Templates name columns as written ("{OPD / Lembaga}", "{detail.id}")."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "host":
            return url_host(str(value))
        return format(value, format_spec)


_FORMATTER = _Formatter()


def _template_columns(template: str) -> list[str]:
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name]


# -- the mapping ---------------------------------------------------------------------------
@dataclass
class FileSpec:
    alias: str
    name: str
    sheet: str | None = None
    header_row: int = 1
    delimiter: str | None = None
    optional: bool = False


@dataclass
class LookupSpec:
    name: str
    file: str
    key: str
    value: str


@dataclass
class JoinSpec:
    file: str
    column: str
    equals: str
    pick: str = "last"
    order_by: str | None = None


@dataclass
class FieldSpec:
    key: str
    column: str | None = None
    value: Any = None
    templates: list[str] = field(default_factory=list)
    empty: set[str] = field(default_factory=set)
    split: str | None = None
    lookup: str | None = None
    values: dict[str, Any] | None = None
    match: list[tuple[re.Pattern[str], Any]] = field(default_factory=list)
    unknown: str = "problem"
    code_from_name: bool = False
    default: Any = None

    def columns(self) -> list[str]:
        if self.column:
            return [self.column]
        return [c for t in self.templates for c in _template_columns(t)]


@dataclass
class SheetSpec:
    sheet: Sheet
    file: str
    fields: list[FieldSpec]
    joins: list[JoinSpec] = field(default_factory=list)
    distinct: bool = False
    parent_step: int | None = None
    parent_min: int = 1


@dataclass
class NotesSpec:
    columns: list[str]
    strip_from_names: list[str] = field(default_factory=list)


@dataclass
class MappingSpec:
    display: str
    name: str
    key: str
    instansi: dict[str, str]
    empty: set[str]
    files: dict[str, FileSpec]
    lookups: dict[str, LookupSpec]
    sheets: list[SheetSpec]
    notes: NotesSpec | None = None


def resolve_mapping(path: Path | str) -> Path:
    """The mapping file itself, or a shipped mapping named like it (``denpasar``)."""
    path = Path(path)
    if path.exists():
        return path
    for candidate in (MAPPINGS_DIR / path.name, MAPPINGS_DIR / f"{path.name}.yaml"):
        if candidate.is_file():
            return candidate
    return path


class _Parser:
    def __init__(self, display: str, result: ReadResult) -> None:
        self.display = display
        self.result = result

    def problem(self, where: str, message: str, message_en: str, value: Any = None) -> None:
        self.result.problems.append(
            FileProblem(
                Where(self.display, "", 0, where),
                f"Berkas pemetaan: {message}",
                f"Mapping file: {message_en}",
                value,
            )
        )

    def extra_keys(self, where: str, data: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.problem(
                f"{where}.{key}" if where else str(key),
                f"kunci '{key}' tidak dikenal di {where or 'tingkat atas'}. Kunci yang dikenal: "
                + ", ".join(sorted(allowed))
                + ".",
                f"unknown key '{key}' in {where or 'the top level'}.",
                key,
            )

    def mapping(self, data: Any) -> MappingSpec | None:
        if not isinstance(data, dict) or FORMAT_KEY not in data:
            self.problem(
                FORMAT_KEY,
                f"harus berupa pemetaan YAML dengan '{FORMAT_KEY}: 1' (lihat "
                "catalog/data/mappings/).",
                f"must be a YAML mapping with '{FORMAT_KEY}: 1' (see catalog/data/mappings/).",
            )
            return None
        self.extra_keys("", data, _TOP_KEYS)
        key = str(data.get("key") or "source_key")
        if key not in ("code", "source_key"):
            self.problem(
                "key", "key harus code atau source_key.", "key must be code or source_key."
            )
        instansi = self.instansi(data.get("instansi"))
        empty = {_squash(str(v)).lower() for v in data.get("empty") or []}
        files = self.files(data.get("files"))
        lookups = self.lookups(data.get("lookups"), files)
        sheets = self.sheets(data.get("sheets"), files, lookups)
        notes = self.notes(data.get("integration_notes"), sheets)
        if instansi is None:
            return None
        return MappingSpec(
            self.display,
            str(data.get("name") or self.display),
            key,
            instansi,
            empty,
            files,
            lookups,
            sheets,
            notes,
        )

    def instansi(self, data: Any) -> dict[str, str] | None:
        if not isinstance(data, dict) or not data.get("code") or not data.get("name"):
            self.problem(
                "instansi",
                "sebutkan instansi tujuan: instansi: {code: …, name: …, kind: …}.",
                "name the target instansi: instansi: {code: …, name: …, kind: …}.",
            )
            return None
        self.extra_keys("instansi", data, {c.key for c in INSTANSI.columns})
        kind = str(data.get("kind") or "")
        if kind and kind not in {k.value for k in InstansiKind}:
            self.problem(
                "instansi.kind",
                f"jenis instansi '{kind}' tidak dikenal: "
                + ", ".join(k.value for k in InstansiKind)
                + ".",
                f"unknown instansi kind '{kind}'.",
                kind,
            )
        return {k: str(v) for k, v in data.items() if v not in (None, "")}

    def files(self, data: Any) -> dict[str, FileSpec]:
        out: dict[str, FileSpec] = {}
        if not isinstance(data, dict) or not data:
            self.problem("files", "daftar 'files' kosong.", "'files' is empty.")
            return out
        for alias, spec in data.items():
            where = f"files.{alias}"
            if isinstance(spec, str):
                spec = {"name": spec}
            if not isinstance(spec, dict) or not spec.get("name"):
                self.problem(where, "setiap berkas perlu 'name'.", "every file needs 'name'.")
                continue
            self.extra_keys(where, spec, _FILE_KEYS)
            out[str(alias)] = FileSpec(
                str(alias),
                str(spec["name"]),
                str(spec["sheet"]) if spec.get("sheet") else None,
                int(spec.get("header_row") or 1),
                str(spec["delimiter"]) if spec.get("delimiter") else None,
                bool(spec.get("optional")),
            )
        return out

    def lookups(self, data: Any, files: dict[str, FileSpec]) -> dict[str, LookupSpec]:
        out: dict[str, LookupSpec] = {}
        for name, spec in (data or {}).items():
            where = f"lookups.{name}"
            if not isinstance(spec, dict) or not all(spec.get(k) for k in ("file", "key", "value")):
                self.problem(
                    where,
                    "setiap lookup perlu file, key dan value.",
                    "every lookup needs file, key and value.",
                )
                continue
            self.extra_keys(where, spec, {"file", "key", "value"})
            if spec["file"] not in files:
                self.problem(
                    f"{where}.file",
                    f"berkas '{spec['file']}' tidak ada di 'files'.",
                    f"file '{spec['file']}' is not in 'files'.",
                    spec["file"],
                )
                continue
            out[str(name)] = LookupSpec(
                str(name), str(spec["file"]), str(spec["key"]), str(spec["value"])
            )
        return out

    def sheets(
        self, data: Any, files: dict[str, FileSpec], lookups: dict[str, LookupSpec]
    ) -> list[SheetSpec]:
        out: list[SheetSpec] = []
        if not isinstance(data, dict) or not data:
            self.problem("sheets", "daftar 'sheets' kosong.", "'sheets' is empty.")
            return out
        for key, spec in data.items():
            where = f"sheets.{key}"
            sheet = SHEET_BY_KEY.get(str(key))
            if sheet is None or sheet is INSTANSI:
                self.problem(
                    where,
                    f"lembar '{key}' tidak dikenal. Pilihan: "
                    + ", ".join(k for k in SHEET_BY_KEY if k != INSTANSI.key)
                    + ".",
                    f"unknown sheet '{key}'.",
                    key,
                )
                continue
            if not isinstance(spec, dict) or spec.get("file") not in files:
                self.problem(
                    f"{where}.file",
                    "sebutkan 'file' (alias dari 'files').",
                    "give 'file' (an alias from 'files').",
                )
                continue
            self.extra_keys(where, spec, _SHEET_KEYS)
            joins = []
            for n, join in enumerate(spec.get("join") or [], start=1):
                jwhere = f"{where}.join[{n}]"
                if not isinstance(join, dict) or not all(
                    join.get(k) for k in ("file", "column", "equals")
                ):
                    self.problem(
                        jwhere,
                        "join perlu file, column dan equals.",
                        "a join needs file, column and equals.",
                    )
                    continue
                self.extra_keys(jwhere, join, _JOIN_KEYS)
                if join["file"] not in files:
                    self.problem(
                        f"{jwhere}.file",
                        f"berkas '{join['file']}' tidak ada di 'files'.",
                        f"file '{join['file']}' is not in 'files'.",
                        join["file"],
                    )
                    continue
                pick = str(join.get("pick") or "last")
                if pick not in ("first", "last"):
                    self.problem(f"{jwhere}.pick", "pick: first atau last.", "pick: first or last.")
                joins.append(
                    JoinSpec(
                        str(join["file"]),
                        str(join["column"]),
                        str(join["equals"]),
                        pick,
                        str(join["order_by"]) if join.get("order_by") else None,
                    )
                )
            known = {c.key for c in sheet.columns} - {"instansi"}
            fields = []
            for col, fspec in (spec.get("columns") or {}).items():
                if col not in known:
                    self.problem(
                        f"{where}.columns.{col}",
                        f"kolom '{col}' tidak ada di lembar {sheet.key}. Kolom yang dikenal: "
                        + ", ".join(sorted(known))
                        + ".",
                        f"column '{col}' is not in sheet {sheet.key}.",
                        col,
                    )
                    continue
                parsed = self.field(f"{where}.columns.{col}", str(col), fspec, lookups)
                if parsed is not None:
                    fields.append(parsed)
            parent = spec.get("parent_from_code")
            step, minimum = None, 1
            if isinstance(parent, dict):
                step = int(parent.get("step") or 2)
                minimum = int(parent.get("min_length") or 1)
            out.append(
                SheetSpec(
                    sheet,
                    str(spec["file"]),
                    fields,
                    joins,
                    bool(spec.get("distinct")),
                    step,
                    minimum,
                )
            )
        out.sort(key=lambda s: 0 if s.sheet is ORGANISATIONS else 1)
        return out

    def field(
        self, where: str, key: str, spec: Any, lookups: dict[str, LookupSpec]
    ) -> FieldSpec | None:
        if isinstance(spec, str):
            return FieldSpec(key, column=spec)
        if not isinstance(spec, dict):
            self.problem(
                where,
                "isi dengan nama kolom atau pemetaan (column, template, value, …).",
                "give a column name or a field spec.",
            )
            return None
        self.extra_keys(where, spec, _FIELD_KEYS)
        sources = [k for k in ("column", "value", "template") if k in spec]
        if len(sources) != 1:
            self.problem(
                where,
                "sebutkan tepat satu dari column, value atau template.",
                "give exactly one of column, value or template.",
            )
            return None
        templates = spec.get("template") or []
        if isinstance(templates, str):
            templates = [templates]
        out = FieldSpec(
            key,
            column=str(spec["column"]) if "column" in spec else None,
            value=spec.get("value"),
            templates=[str(t) for t in templates],
            empty={_squash(str(v)).lower() for v in spec.get("empty") or []},
            split=spec.get("split"),
            lookup=spec.get("lookup"),
            unknown=str(spec.get("unknown") or "problem"),
            code_from_name=bool(spec.get("code_from_name")),
            default=spec.get("default"),
        )
        for t in out.templates:
            try:
                _template_columns(t)
            except ValueError:
                self.problem(f"{where}.template", f"templat '{t}' rusak.", "broken template.", t)
                return None
        if out.split not in (None, "name", "acronym", "original"):
            self.problem(
                f"{where}.split",
                "split: name, acronym atau original.",
                "split: name, acronym or original.",
                out.split,
            )
        if out.unknown not in ("problem", "keep", "empty"):
            self.problem(
                f"{where}.unknown",
                "unknown: problem, keep atau empty.",
                "unknown: problem, keep or empty.",
                out.unknown,
            )
        if out.lookup is not None and out.lookup not in lookups:
            self.problem(
                f"{where}.lookup",
                f"lookup '{out.lookup}' tidak ada di 'lookups'.",
                f"lookup '{out.lookup}' is not in 'lookups'.",
                out.lookup,
            )
        if "values" in spec:
            if not isinstance(spec["values"], dict):
                self.problem(f"{where}.values", "values harus pemetaan.", "values: a mapping.")
            else:
                out.values = {
                    _squash(str(k)).lower(): v for k, v in (spec.get("values") or {}).items()
                }
        for pattern, value in (spec.get("match") or {}).items():
            try:
                out.match.append((re.compile(str(pattern), re.IGNORECASE), value))
            except re.error as exc:
                self.problem(
                    f"{where}.match",
                    f"pola '{pattern}' bukan ekspresi reguler yang sah ({exc}).",
                    f"'{pattern}' is not a valid regular expression ({exc}).",
                    pattern,
                )
        return out

    def notes(self, data: Any, sheets: list[SheetSpec]) -> NotesSpec | None:
        if not data:
            return None
        if not isinstance(data, dict) or not data.get("columns"):
            self.problem(
                "integration_notes",
                "sebutkan columns: [kolom catatan integrasi].",
                "give columns: [integration note columns].",
            )
            return None
        self.extra_keys("integration_notes", data, {"columns", "strip_from_names"})
        apps = next((s for s in sheets if s.sheet.kind == "application"), None)
        given = {f.key for f in apps.fields} if apps else set()
        if not {"code", "source_key"} <= given:
            self.problem(
                "integration_notes",
                "catatan integrasi memerlukan lembar applications dengan kolom code (templat) "
                "dan source_key, agar integrasi dapat menyebut aplikasinya dan ditemukan lagi "
                "saat impor ulang.",
                "integration notes need the applications sheet to give code (a template) and "
                "source_key.",
            )
            return None
        return NotesSpec(
            [str(c) for c in data["columns"]], [str(s) for s in data.get("strip_from_names") or []]
        )


def load_mapping(path: Path | str, result: ReadResult | None = None) -> MappingSpec | None:
    """Parse a mapping file; its problems go into ``result`` (located at the mapping)."""
    result = result if result is not None else ReadResult()
    path = resolve_mapping(path)
    display = path.name
    if not path.is_file():
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas pemetaan {path} tidak ada (pemetaan bawaan: "
                + ", ".join(p.stem for p in sorted(MAPPINGS_DIR.glob("*.yaml")))
                + ").",
                f"Mapping file {path} does not exist.",
            )
        )
        return None
    try:
        data = yaml.safe_load(decode_text(path.read_bytes(), display, result))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        result.problems.append(
            FileProblem(
                Where(display, "", line),
                f"Berkas pemetaan {display} bukan YAML yang sah (baris {line}).",
                f"Mapping file {display} is not valid YAML (line {line}).",
            )
        )
        return None
    return _Parser(display, result).mapping(data)


def mapping_defaults(path: Path | str) -> tuple[str | None, str | None]:
    """(instansi code, key) a mapping declares; (None, None) when it cannot be read."""
    spec = load_mapping(path)
    if spec is None:
        return None, None
    return spec.instansi.get("code"), spec.key


# -- reading the legacy files --------------------------------------------------------------
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


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_lines(text: str, delimiter: str | None) -> Iterator[list[Any]]:
    first = text.split("\n", 1)[0]
    yield from csv.reader(io.StringIO(text), delimiter=delimiter or _delimiter(first))


def _xlsx_lines(path: Path, spec: FileSpec, display: str, result: ReadResult) -> tuple[str, Any]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable workbook is one located problem
        result.problems.append(
            FileProblem(
                Where(display, "", 0),
                f"Berkas XLSX {display} tidak dapat dibaca ({type(exc).__name__}). Simpan ulang "
                "sebagai .xlsx atau CSV.",
                f"The XLSX file {display} cannot be read ({type(exc).__name__}).",
            )
        )
        return "", None
    if spec.sheet is not None and spec.sheet not in wb.sheetnames:
        result.problems.append(
            FileProblem(
                Where(display, spec.sheet, 0),
                f"Lembar '{spec.sheet}' tidak ada di {display}. Lembar yang ada: "
                + ", ".join(wb.sheetnames)
                + ".",
                f"Sheet '{spec.sheet}' is not in {display}.",
                spec.sheet,
            )
        )
        wb.close()
        return "", None
    ws = wb[spec.sheet] if spec.sheet is not None else wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    title = ws.title
    wb.close()
    return title, rows


def read_table(path: Path, spec: FileSpec, result: ReadResult) -> Table | None:
    """One legacy table (CSV, or a worksheet of an XLSX) with its header row."""
    display = path.name
    if path.suffix.lower() == ".xlsx":
        title, lines = _xlsx_lines(path, spec, display, result)
        if lines is None:
            return None
    else:
        title = ""
        lines = list(_csv_lines(decode_text(path.read_bytes(), display, result), spec.delimiter))
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
    headers = [_squash(as_text(h)) if h is not None else "" for h in lines[spec.header_row - 1]]
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


def _candidates(paths: list[Path], result: ReadResult) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in (".csv", ".xlsx")
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


# -- evaluating fields ---------------------------------------------------------------------
@dataclass
class _Context:
    """One source row and the detail rows joined to it."""

    record: Record
    picked: dict[str, Record | None]
    joined: dict[str, list[Record]]


@dataclass
class _Reader:
    session: Session
    mapping: MappingSpec
    result: ReadResult
    tables: dict[str, Table | None] = field(default_factory=dict)
    lookup_tables: dict[str, dict[str, str]] = field(default_factory=dict)

    # -- problems and cells ------------------------------------------------------------
    def problem(self, where: Where, message: str, message_en: str, value: Any = None) -> None:
        self.result.problems.append(FileProblem(where, message, message_en, value))

    def locate(self, ctx: _Context, column: str) -> tuple[Record | None, str]:
        """The record a column reference reads from, and the column name in it."""
        if column in ctx.record.table.headers:
            return ctx.record, column
        alias, _, name = column.partition(".")
        if alias in ctx.picked:
            return ctx.picked[alias], name
        return ctx.record, column

    def label(self, ctx: _Context, column: str) -> str:
        """How a problem names a column: as written, with file and row when joined."""
        record, name = self.locate(ctx, column)
        if record is None or record is ctx.record:
            return name
        return f"{name} ({record.table.display} baris {record.number})"

    def clean(self, spec: FieldSpec, raw: str | None) -> str | None:
        if raw is None:
            return None
        text = raw.strip()
        low = _squash(text).lower()
        if not text or low in self.mapping.empty or low in spec.empty:
            return None
        return text

    def cell(self, ctx: _Context, spec: FieldSpec, column: str) -> str | None:
        record, name = self.locate(ctx, column)
        return self.clean(spec, record.cells.get(name) if record is not None else None)

    # -- one field -----------------------------------------------------------------------
    def evaluate(self, spec: FieldSpec, ctx: _Context) -> tuple[Any, str, bool]:
        """(value, column label, ok) of a field for one row."""
        if spec.column is not None:
            label = self.label(ctx, spec.column)
            value: Any = self.cell(ctx, spec, spec.column)
            record, name = self.locate(ctx, spec.column)
            where = (record or ctx.record).table.where((record or ctx.record).number, name)
        elif spec.templates:
            label = " + ".join(dict.fromkeys(spec.columns())) or _FROM_MAPPING
            where = ctx.record.table.where(ctx.record.number, label)
            value = None
            for template in spec.templates:
                names = _template_columns(template)
                cells = {n: self.cell(ctx, spec, n) for n in names}
                if all(cells.values()):
                    value = self.clean(spec, _FORMATTER.vformat(template, (), cells))
                    if value:
                        break
        else:
            label = _FROM_MAPPING
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
                value = _squash(str(value)) if acronym else None
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
        key = _squash(text).lower()
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

    # -- files -----------------------------------------------------------------------------
    def open_files(self, paths: list[Path]) -> bool:
        available = _candidates(paths, self.result)
        used: set[Path] = set()
        for alias, spec in self.mapping.files.items():
            pattern = spec.name.lower()
            matches = [p for p in available if fnmatch.fnmatchcase(p.name.lower(), pattern)]
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
                names = ", ".join(p.name for p in available) or "-"
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
        for path in available:
            if path not in used:
                self.result.notices.append(
                    f"{path.name}: tidak disebut pemetaan, diabaikan. / not in the mapping, "
                    "ignored."
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

    def missing_columns(self, table: Table, columns: list[str], where: str) -> bool:
        missing = [c for c in dict.fromkeys(columns) if c not in table.headers]
        for column in missing:
            self.problem(
                table.where(table.header_row, column),
                f"Kolom '{column}' yang disebut pemetaan ({where}) tidak ada di {table.display}. "
                "Kolom yang ada: " + ", ".join(h for h in table.headers if h) + ".",
                f"Column '{column}' named by the mapping ({where}) is not in {table.display}.",
                column,
            )
        return bool(missing)

    # -- sheets ----------------------------------------------------------------------------
    def sheet_rows(self, spec: SheetSpec) -> list[tuple[Row, _Context]]:
        table = self.tables.get(spec.file)
        if table is None:
            return []
        joins: dict[str, tuple[JoinSpec, dict[str, list[Record]]]] = {}
        missing = False
        for join in spec.joins:
            other = self.tables.get(join.file)
            if other is None:
                joins[join.file] = (join, {})
                continue
            wanted = [join.column] + ([join.order_by] if join.order_by else [])
            if self.missing_columns(other, wanted, f"sheets.{spec.sheet.key}.join"):
                missing = True
                continue
            index: dict[str, list[Record]] = defaultdict(list)
            for record in other.records:
                index[record.cells[join.column].strip()].append(record)
            if join.order_by:
                for rows in index.values():
                    rows.sort(key=lambda r: r.cells.get(join.order_by or "", ""))
            joins[join.file] = (join, index)
            missing |= self.missing_columns(table, [join.equals], f"sheets.{spec.sheet.key}.join")
        where = f"sheets.{spec.sheet.key}.columns"
        for alias, (_, _index) in joins.items():
            other = self.tables.get(alias)
            if other is None:
                continue
            own = [
                c.partition(".")[2]
                for f in spec.fields
                for c in f.columns()
                if c.partition(".")[0] == alias and c not in table.headers
            ]
            missing |= self.missing_columns(other, own, where)
        main = [c for f in spec.fields for c in f.columns() if c.partition(".")[0] not in joins] + [
            c for c in self.note_columns(spec) if c.partition(".")[0] not in joins
        ]
        missing |= self.missing_columns(table, main, where)
        if missing:
            return []
        out: list[tuple[Row, _Context]] = []
        joined_keys: dict[str, set[str]] = defaultdict(set)
        for record in table.records:
            ctx = _Context(record, {}, {})
            for alias, (join, index) in joins.items():
                key = record.cells.get(join.equals, "").strip()
                rows = index.get(key, [])
                if rows:
                    joined_keys[alias].add(key)
                ctx.joined[alias] = rows
                ctx.picked[alias] = (rows[-1] if join.pick == "last" else rows[0]) if rows else None
            values: dict[str, Any] = {"instansi": self.mapping.instansi["code"]}
            headers: dict[str, str] = {"instansi": _FROM_MAPPING}
            for fspec in spec.fields:
                value, label, ok = self.evaluate(fspec, ctx)
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

    def organisations(self, spec: SheetSpec, rows: list[tuple[Row, _Context]]) -> list[Row]:
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

    # -- integration notes ---------------------------------------------------------------
    def national_targets(self, matcher: Matcher) -> None:
        from catalog.models import Application, Instansi

        rows = self.session.execute(
            select(Application.code, Application.name, Application.acronym, Instansi.code)
            .join(Instansi, Application.instansi_id == Instansi.id)
            .where(Instansi.kind == InstansiKind.PUSAT, Application.retired_at.is_(None))
            .order_by(Instansi.code, Application.code)
        ).all()
        for code, name, acronym, inst in rows:
            matcher.add(Target(f"{inst}/{code}", name, national=True), name, acronym)

    def integration_rows(self, apps: list[tuple[Row, _Context]]) -> list[Row]:
        notes = self.mapping.notes
        assert notes is not None
        matcher = Matcher()
        self.national_targets(matcher)
        own: dict[int, Target] = {}
        for row, _ctx in apps:
            code = str(row.values.get("code") or "")
            if not code:
                continue
            name = str(row.values.get("name") or code)
            target = Target(code, name)
            own[id(row)] = target
            phrases = [name, row.values.get("acronym")]
            for phrase in notes.strip_from_names:
                core = _squash(re.sub(re.escape(phrase), " ", name, flags=re.IGNORECASE))
                if core and core != name:
                    phrases.append(core)
            matcher.add(target, *phrases)
        proposals: dict[tuple[str, str], dict[str, Any]] = {}
        unmatched: list[str] = []
        for row, ctx in apps:
            me = own.get(id(row))
            if me is None:
                continue
            for column in notes.columns:
                alias, _, name = column.partition(".")
                if column not in ctx.record.table.headers and alias in ctx.joined:
                    records = sorted(ctx.joined[alias], key=lambda r: r.number)
                else:
                    records, name = [ctx.record], column
                for record in records:
                    text = record.cells.get(name, "")
                    where = record.table.where(record.number, name)
                    for clause in matcher.read(text, exclude=[me]):
                        for target in clause.targets:
                            entry = proposals.setdefault(
                                (target.ref, me.ref),
                                {
                                    "row": row,
                                    "target": target,
                                    "me": me,
                                    "where": where,
                                    "column": name,
                                    "quotes": [],
                                },
                            )
                            quote = (where.describe(), clause.sentence)
                            if quote not in entry["quotes"]:
                                entry["quotes"].append(quote)
                        if clause.unmatched:
                            why = (
                                "beberapa aplikasi sama cocoknya ("
                                + "; ".join(", ".join(t.label for t in c) for c in clause.ambiguous)
                                + ")"
                                if clause.ambiguous
                                else "tidak ada aplikasi katalog yang disebut"
                            )
                            notice = (
                                f'{where.describe()} (aplikasi "{me.label}"): catatan integrasi '
                                f'tidak diusulkan, {why}: "{_quote(clause.sentence)}" / '
                                "integration note without a clear catalogue match; no "
                                "integration proposed."
                            )
                            if notice not in unmatched:
                                unmatched.append(notice)
        out = [self.proposal(entry) for entry in proposals.values()]
        self.result.notices.extend(unmatched)
        self.result.notices.append(
            f"{len(out)} usulan integrasi (status proposed, belum dikonfirmasi kedua pihak) "
            f"dibuat dari catatan bebas kolom {', '.join(notes.columns)}; {len(unmatched)} "
            f"catatan tanpa padanan jelas dicantumkan di atas. / {len(out)} proposed, "
            f"unconfirmed integrations derived from free-text notes; {len(unmatched)} notes "
            "without a clear match listed above."
        )
        return out

    def proposal(self, entry: dict[str, Any]) -> Row:
        row: Row = entry["row"]
        target: Target = entry["target"]
        me: Target = entry["me"]
        where: Where = entry["where"]
        column: str = entry["column"]
        quotes = "\n".join(f'- {place}: "{_quote(text)}"' for place, text in entry["quotes"])
        description = (
            "Diusulkan otomatis dari catatan integrasi bebas di inventaris lama (bukan fakta "
            "yang sudah diperiksa); belum dikonfirmasi penyedia maupun penerima. / Derived "
            "automatically from a free-text integration note; unconfirmed.\n" + quotes
        )
        source = str(row.values.get("source_key") or me.ref)
        values: dict[str, Any] = {
            "instansi": self.mapping.instansi["code"],
            "name": f"{target.label} → {me.label}"[:300],
            "description": description,
            "owner": row.values.get("owner"),
            # No status cell: the integration default is "proposed", and a later decision
            # (planned, active…) made in the catalogue is not undone by a re-import.
            "mechanism": "other",
            "confirmed_by_provider": False,
            "confirmed_by_consumer": False,
            "provider": target.ref,
            "consumer": me.ref,
            "source_key": f"catatan-integrasi:{source}:{target.ref}"[:128],
        }
        headers = {k: column for k in values}
        headers["owner"] = row.headers.get("owner", "owner")
        headers["instansi"] = _FROM_MAPPING
        return Row(SHEET_BY_KEY["integrations"], values, where, headers)

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
                self.result.rows.extend(self.integration_rows(produced))


def _quote(text: str, limit: int = 300) -> str:
    text = _squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


__all__ = [
    "MAPPINGS_DIR",
    "MappingSpec",
    "load_mapping",
    "mapping_defaults",
    "read_with_mapping",
    "resolve_mapping",
    "split_name",
    "unit_code",
    "url_host",
]
