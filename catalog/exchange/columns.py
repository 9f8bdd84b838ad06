"""The columns of every exchange file, per kind, derived from the models.

One definition serves the spreadsheet template, the XLSX/CSV/YAML/JSON exports and the
importer, so a file written by one is always read by the other. Items refer to units by
unit code and to other items by item code; items of another instansi are written
``INSTANSI/CODE`` (for instance ``ANRI/SRIKANDI``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from catalog.kinds import KINDS, KindSpec
from catalog.labels import FIELD_LABELS


@dataclass(frozen=True)
class Column:
    key: str  # name in YAML/JSON and accepted as a header in CSV/XLSX
    header: str  # Indonesian header of the spreadsheet column
    note: str  # Indonesian guidance shown under the header
    note_en: str
    type: str  # text, long, int, bool, date, enum, lookup, reference, unit, item, items, list
    field: str  # the service field it feeds (owner_id, provider_id, name…)
    required: bool = False
    enum: type[StrEnum] | None = None
    lookup: str | None = None
    target_kind: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Sheet:
    key: str  # document key: applications, organisations, relations…
    kind: str | None  # item kind, or None for organisations/relations/instansi
    title: str  # sheet name (≤ 31 characters)
    file: str  # CSV file name
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_LONG = {
    "description",
    "purpose",
    "function",
    "goal",
    "indicator",
    "output",
    "result",
    "follow_up",
    "specification",
    "legal_basis",
}
_UNIT_COLUMNS = {
    "executing_unit_id": "executing_unit",
    "producer_id": "producer",
    "steward_id": "steward",
    "developer_unit_id": "developer_unit",
    "operator_unit_id": "operator_unit",
}
_ITEM_COLUMNS: dict[str, dict[str, tuple[str, str, str]]] = {
    # kind → field → (column key, target kind, column type)
    "dataset": {
        "authoritative_application_id": ("authoritative_application", "application", "item")
    },
    "integration": {
        "provider_id": ("provider", "application", "item"),
        "consumer_id": ("consumer", "application", "item"),
        "intermediary_id": ("intermediary", "infrastructure", "item"),
        "data_set_ids": ("data_sets", "dataset", "items"),
    },
}
_REQUIRED = {"name"}
_HEAD = ("code", "name", "description")
_TAIL = ("source_key", "is_internal")


def _scalar_type(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " ").capitalize())


def _base_column(spec: KindSpec, name: str) -> Column:
    info = spec.base.model_fields[name]
    annotation = _scalar_type(info.annotation)
    desc = info.description or _label(name)
    if name == "reference_code":
        return Column(
            name,
            _label(name),
            f"Kode {spec.scheme} dari set referensi aktif (atau kode lokal), "
            f"mis. {spec.scheme}.02.",
            f"A {spec.scheme} code of the active reference set (or a local code).",
            "reference",
            name,
            scheme=spec.scheme,
        )
    if name in spec.lookup_fields:
        return Column(
            name,
            _label(name),
            f"{desc}. Pilih dari daftar.",
            f"{name}: choose from the list.",
            "lookup",
            name,
            lookup=spec.lookup_fields[name],
        )
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        values = ", ".join(m.value for m in annotation)
        return Column(
            name,
            _label(name),
            f"{desc}. Pilihan: {values}.",
            f"One of: {values}.",
            "enum",
            name,
            enum=annotation,
        )
    if annotation is bool:
        return Column(name, _label(name), f"{desc}: ya atau tidak.", "yes or no", "bool", name)
    if annotation is int:
        return Column(name, _label(name), f"{desc} (angka).", "a whole number", "int", name)
    if annotation is date:
        return Column(
            name, _label(name), f"{desc} (TTTT-BB-HH).", "a date, YYYY-MM-DD", "date", name
        )
    if typing.get_origin(annotation) is list:
        return Column(
            name,
            _label(name),
            f"{desc}; pisahkan dengan titik koma (;).",
            "separate with semicolons",
            "list",
            name,
        )
    note = "Kosongkan agar kode dibuat otomatis." if name == "code" else desc
    return Column(
        name,
        _label(name),
        note,
        name,
        "long" if name in _LONG else "text",
        name,
        required=name in _REQUIRED,
    )


def _owner_column() -> Column:
    return Column(
        "owner",
        "Kode OPD pemilik",
        "Kode unit pemilik, mis. 030801.",
        "code of the owning unit",
        "unit",
        "owner_id",
        required=True,
    )


INSTANSI_COLUMN = Column(
    "instansi",
    "Kode instansi",
    "Kode instansi pemilik baris; boleh kosong bila berkas hanya untuk satu instansi.",
    "instansi code (may be empty when the file is for one instansi)",
    "text",
    "instansi_id",
)


def item_sheet(spec: KindSpec) -> Sheet:
    base_fields = list(spec.base.model_fields)
    order = [f for f in _HEAD if f in base_fields]
    columns = [INSTANSI_COLUMN, *(_base_column(spec, f) for f in order)]
    columns.append(_owner_column())
    for f in ("status", "reference_code"):
        if f in base_fields:
            columns.append(_base_column(spec, f))
            order.append(f)
    for f in base_fields:
        if f not in order and f not in _TAIL:
            columns.append(_base_column(spec, f))
    for field in spec.unit_fields:
        key = _UNIT_COLUMNS[field]
        columns.append(
            Column(
                key,
                f"Kode {_label(key).lower()}",
                f"Kode unit ({_label(key)}).",
                f"unit code ({key})",
                "unit",
                field,
            )
        )
    for field, (key, target, ctype) in _ITEM_COLUMNS.get(spec.key, {}).items():
        target_label = KINDS[target].label.lower()
        many = "; pisahkan dengan titik koma" if ctype == "items" else ""
        columns.append(
            Column(
                key,
                _label(key) if key in FIELD_LABELS else f"Kode {target_label}",
                f"Kode {target_label} di instansi ini, atau KODEINSTANSI/KODE untuk instansi lain "
                f"(mis. ANRI/SRIKANDI){many}.",
                f"{target} code, or INSTANSI/CODE for another instansi",
                ctype,
                field,
                target_kind=target,
            )
        )
    for f in _TAIL:
        columns.append(_base_column(spec, f))
    return Sheet(
        spec.api_path.replace("-", "_"),
        spec.key,
        spec.label[:31],
        f"{spec.page_path}.csv",
        tuple(columns),
    )


ORGANISATIONS = Sheet(
    "organisations",
    None,
    "OPD",
    "opd.csv",
    (
        INSTANSI_COLUMN,
        Column(
            "code",
            "Kode",
            "Kode unit (mis. 6 digit), unik di instansi.",
            "unit code",
            "text",
            "code",
            required=True,
        ),
        Column("name", "Nama", "Nama unit.", "unit name", "text", "name", required=True),
        Column(
            "short_name",
            "Nama singkat",
            "Singkatan, mis. Diskominfo.",
            "short name",
            "text",
            "short_name",
        ),
        Column(
            "kind",
            "Jenis",
            "Jenis unit. Pilih dari daftar.",
            "unit kind",
            "lookup",
            "kind",
            lookup="organisation_kind",
        ),
        Column(
            "parent",
            "Kode unit induk",
            "Kosong untuk OPD; kode induk untuk sub-unit.",
            "parent unit code (empty for an OPD)",
            "unit",
            "parent_id",
        ),
    ),
)
RELATIONS = Sheet(
    "relations",
    None,
    "Relasi",
    "relasi.csv",
    (
        INSTANSI_COLUMN,
        Column(
            "type",
            "Jenis relasi",
            "Mis. delivered_by, reads, produces, hosted_on.",
            "relation type",
            "text",
            "type",
            required=True,
        ),
        Column(
            "source_kind",
            "Jenis item sumber",
            "process, service, dataset, application, infrastructure atau security.",
            "source kind",
            "text",
            "source_kind",
            required=True,
        ),
        Column(
            "source",
            "Kode item sumber",
            "Kode item (atau KODEINSTANSI/KODE).",
            "source code",
            "text",
            "source_id",
            required=True,
        ),
        Column(
            "target_kind",
            "Jenis item tujuan",
            "Jenis item tujuan.",
            "target kind",
            "text",
            "target_kind",
            required=True,
        ),
        Column(
            "target",
            "Kode item tujuan",
            "Kode item (atau KODEINSTANSI/KODE).",
            "target code",
            "text",
            "target_id",
            required=True,
        ),
        Column("note", "Catatan", "Catatan bebas.", "note", "long", "note"),
    ),
)
INSTANSI = Sheet(
    "instansi",
    None,
    "Instansi",
    "instansi.csv",
    (
        Column(
            "code",
            "Kode",
            "Kode instansi, mis. kode wilayah 51.71.",
            "instansi code",
            "text",
            "code",
            required=True,
        ),
        Column("name", "Nama", "Nama instansi.", "name", "text", "name", required=True),
        Column("kind", "Jenis", "provinsi, kabupaten, kota atau pusat.", "kind", "text", "kind"),
        Column(
            "short_name",
            "Nama singkat",
            "Mis. Pemkot Denpasar.",
            "short name",
            "text",
            "short_name",
        ),
    ),
)
ITEM_SHEETS: tuple[Sheet, ...] = tuple(item_sheet(s) for s in KINDS.values())
SHEETS: tuple[Sheet, ...] = (INSTANSI, ORGANISATIONS, *ITEM_SHEETS, RELATIONS)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
SHEET_OF_KIND = {s.kind: s for s in ITEM_SHEETS}
# Items are written so that everything a row refers to exists before it.
WRITE_ORDER = (
    "infrastructure",
    "application",
    "dataset",
    "service",
    "process",
    "security",
    "integration",
)
EXAMPLE_PREFIX = "CONTOH"
