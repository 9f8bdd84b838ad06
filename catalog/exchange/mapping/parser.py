"""A mapping file's YAML, checked key by key into a :class:`~.spec.MappingSpec`.

Every mistake becomes a problem located at its key (``sheets.applications.columns.name``)
and the parser goes on, so that a person fixing a mapping sees all of them at once.
"""

from __future__ import annotations

import re
from typing import Any

from catalog.enums import InstansiKind
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, SHEET_BY_KEY
from catalog.exchange.mapping.names import squash
from catalog.exchange.mapping.spec import (
    FORMAT_KEY,
    FieldSpec,
    FileSpec,
    JoinSpec,
    LookupSpec,
    MappingSpec,
    NotesSpec,
    SheetSpec,
)
from catalog.exchange.mapping.templates import template_columns
from catalog.exchange.readers import FileProblem, ReadResult, Where

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

    def as_dict(self, where: str, value: Any) -> dict[Any, Any]:
        """``value`` when it is a YAML mapping ({} when absent); anything else is a problem."""
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        key = where.rsplit(".", 1)[-1]
        self.problem(
            where,
            f"{key} harus pemetaan (kunci: nilai), bukan '{value}'.",
            f"{key} must be a mapping (key: value), not '{value}'.",
            value,
        )
        return {}

    def as_list(self, where: str, value: Any) -> list[Any]:
        """``value`` when it is a YAML list ([] when absent; one text or number stands for a
        list of one); anything else is a problem."""
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [value]
        key = where.rsplit(".", 1)[-1]
        self.problem(
            where,
            f"{key} harus daftar, mis. [a, b], bukan '{value}'.",
            f"{key} must be a list, e.g. [a, b], not '{value}'.",
            value,
        )
        return []

    def whole(self, where: str, value: Any, default: int, what: tuple[str, str]) -> int:
        """A whole number of at least 1 (``default`` when the key is absent); anything else
        (``dua``, ``0``, ``-1``, ``2.5``) is a problem and gives ``default``."""
        if value is None:
            return default
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            number = int(value)
        if number is None or number < 1:
            self.problem(
                where,
                f"{where.rsplit('.', 1)[-1]} harus bilangan bulat mulai 1 ({what[0]}), "
                f"bukan '{value}'.",
                f"{where.rsplit('.', 1)[-1]} must be a whole number from 1 ({what[1]}), "
                f"not '{value}'.",
                value,
            )
            return default
        return number

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
        empty = {squash(str(v)).lower() for v in self.as_list("empty", data.get("empty"))}
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
            header_row = self.whole(
                f"{where}.header_row",
                spec.get("header_row"),
                1,
                ("nomor baris judul kolom, dihitung dari 1", "the header row's number"),
            )
            delimiter = spec.get("delimiter")
            if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
                self.problem(
                    f"{where}.delimiter",
                    f"delimiter harus satu karakter, mis. ';' atau \"\\t\" (tab), bukan "
                    f"'{delimiter}'.",
                    f"delimiter must be one character, e.g. ';' or \"\\t\" (tab), not "
                    f"'{delimiter}'.",
                    delimiter,
                )
                delimiter = None
            out[str(alias)] = FileSpec(
                str(alias),
                str(spec["name"]),
                str(spec["sheet"]) if spec.get("sheet") else None,
                header_row,
                delimiter,
                bool(spec.get("optional")),
            )
        return out

    def lookups(self, data: Any, files: dict[str, FileSpec]) -> dict[str, LookupSpec]:
        out: dict[str, LookupSpec] = {}
        for name, spec in self.as_dict("lookups", data).items():
            where = f"lookups.{name}"
            if not isinstance(spec, dict) or not all(spec.get(k) for k in ("file", "key", "value")):
                self.problem(
                    where,
                    "setiap lookup perlu file, key dan value.",
                    "every lookup needs file, key and value.",
                )
                continue
            self.extra_keys(where, spec, {"file", "key", "value"})
            if str(spec["file"]) not in files:
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
            if not isinstance(spec, dict) or str(spec.get("file")) not in files:
                self.problem(
                    f"{where}.file",
                    "sebutkan 'file' (alias dari 'files').",
                    "give 'file' (an alias from 'files').",
                )
                continue
            self.extra_keys(where, spec, _SHEET_KEYS)
            joins = []
            for n, join in enumerate(self.as_list(f"{where}.join", spec.get("join")), start=1):
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
                if str(join["file"]) not in files:
                    self.problem(
                        f"{jwhere}.file",
                        f"berkas '{join['file']}' tidak ada di 'files'.",
                        f"file '{join['file']}' is not in 'files'.",
                        join["file"],
                    )
                    continue
                if any(j.file == str(join["file"]) for j in joins):
                    self.problem(
                        f"{jwhere}.file",
                        f"berkas '{join['file']}' sudah digabungkan (join) ke lembar ini; "
                        "setiap berkas hanya sekali.",
                        f"file '{join['file']}' is already joined to this sheet; join each "
                        "file once.",
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
            for col, fspec in self.as_dict(f"{where}.columns", spec.get("columns")).items():
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
            step, minimum = self.parent_from_code(f"{where}.parent_from_code", spec)
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

    def parent_from_code(self, where: str, sheet: dict[str, Any]) -> tuple[int | None, int]:
        """(step, min_length) of a sheet's ``parent_from_code``; (None, 1) when absent."""
        if "parent_from_code" not in sheet:
            return None, 1
        parent = sheet["parent_from_code"]
        if not isinstance(parent, dict):
            self.problem(
                where,
                "parent_from_code harus pemetaan: {step: 2, min_length: 6}.",
                "parent_from_code must be a mapping: {step: 2, min_length: 6}.",
                parent,
            )
            return None, 1
        self.extra_keys(where, parent, {"step", "min_length"})
        step = self.whole(
            f"{where}.step",
            parent.get("step"),
            2,
            ("banyak karakter kode per tingkat", "code characters per level"),
        )
        minimum = self.whole(
            f"{where}.min_length",
            parent.get("min_length"),
            1,
            ("panjang kode induk terpendek", "the shortest parent code's length"),
        )
        return step, minimum

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
        templates = self.as_list(f"{where}.template", spec.get("template"))
        out = FieldSpec(
            key,
            column=str(spec["column"]) if "column" in spec else None,
            value=spec.get("value"),
            templates=[str(t) for t in templates],
            empty={
                squash(str(v)).lower() for v in self.as_list(f"{where}.empty", spec.get("empty"))
            },
            split=spec.get("split"),
            lookup=str(spec["lookup"]) if spec.get("lookup") is not None else None,
            unknown=str(spec.get("unknown") or "problem"),
            code_from_name=bool(spec.get("code_from_name")),
            default=spec.get("default"),
        )
        for t in out.templates:
            try:
                template_columns(t)
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
                    squash(str(k)).lower(): v for k, v in (spec.get("values") or {}).items()
                }
        for pattern, value in self.as_dict(f"{where}.match", spec.get("match")).items():
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
            [str(c) for c in self.as_list("integration_notes.columns", data["columns"])],
            [
                str(s)
                for s in self.as_list(
                    "integration_notes.strip_from_names", data.get("strip_from_names")
                )
            ],
        )


def parse_mapping(data: Any, display: str, result: ReadResult) -> MappingSpec | None:
    """The spec a mapping file's YAML ``data`` describes, or None when it cannot be used;
    its problems go into ``result``, located at ``display`` (the mapping's file name)."""
    return _Parser(display, result).mapping(data)
