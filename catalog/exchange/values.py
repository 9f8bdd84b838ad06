"""Cell values: how a value is written to a file and read back, forgivingly.

People type "Ya", "TRUE" or "1"; "Rp 37.300.000"; "01/05/2024"; a status as its
Indonesian label. Reading accepts all of these; anything that cannot be understood
becomes a problem naming what was expected, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from catalog.enums import label
from catalog.exchange.columns import Column

TRUE = {"ya", "y", "true", "benar", "1", "yes", "t"}
FALSE = {"tidak", "no", "false", "salah", "0", "n", "f", "tdk"}
_SPLIT = re.compile(r"\s*[;\n]\s*")
_NUMBER = re.compile(r"^(?:rp\.?\s*)?([0-9][0-9.,\s]*)$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read; the message pair says what was expected."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Choices:
    """Accepted spellings of an enumeration or lookup: value → value, label → value."""

    by_text: dict[str, str]
    shown: str

    def read(self, text: str) -> str | None:
        return self.by_text.get(text.strip().lower())


def enum_choices(column: Column) -> Choices:
    assert column.enum is not None
    table: dict[str, str] = {}
    for member in column.enum:
        for spelling in (
            member.value,
            label(member, column.enum),
            label(member, column.enum, "en"),
        ):
            table[spelling.lower()] = member.value
    return Choices(table, ", ".join(m.value for m in column.enum))


def lookup_choices(values: list[tuple[str, str, str]]) -> Choices:
    """From (value, label, label_en) triples."""
    table: dict[str, str] = {}
    for value, lbl, lbl_en in values:
        for spelling in (value, lbl, lbl_en):
            table[spelling.lower()] = value
    return Choices(table, ", ".join(v for v, _, _ in values))


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw: Any) -> str:
    """Numbers that came out of a spreadsheet as 30801.0 are read as '30801'."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def read_cell(column: Column, raw: Any, choices: Choices | None = None) -> Any:
    """The value a cell means for a column, or :class:`CellError`.

    >>> from catalog.exchange.columns import SHEET_OF_KIND
    >>> apps = SHEET_OF_KIND["application"]
    >>> read_cell(apps.column("contract_value"), "Rp 37.300.000")
    37300000
    >>> read_cell(apps.column("is_internal"), "Ya")
    True
    >>> read_cell(apps.column("aliases"), "e-Pegawai; SIMPEG")
    ['e-Pegawai', 'SIMPEG']
    """
    if is_empty(raw):
        return [] if column.type in ("list", "items") else None
    if isinstance(raw, str) and raw.lstrip().startswith("="):
        raise CellError(
            f"berisi rumus '{raw.strip()[:40]}'; salin lalu tempel sebagai nilai (Paste Values).",
            f"holds a formula '{raw.strip()[:40]}'; copy and paste it as a value.",
        )
    kind = column.type
    if kind == "reference":
        # A drop-down may offer "RAA.02.02 Aplikasi Khusus Fungsi Tertentu": keep the code.
        return as_text(raw).split()[0].upper()
    if kind in ("text", "long", "unit", "item"):
        return as_text(raw)
    if kind in ("list", "items"):
        if isinstance(raw, list):
            return [as_text(v) for v in raw if not is_empty(v)]
        return [part for part in _SPLIT.split(as_text(raw)) if part]
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = as_text(raw).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise CellError("harus 'ya' atau 'tidak'.", "must be 'yes' or 'no' (ya/tidak).")
    if kind == "int":
        if isinstance(raw, bool):
            raise CellError("harus berupa angka.", "must be a number.")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        match = _NUMBER.match(as_text(raw))
        if match:
            digits = re.sub(r"[.,\s]", "", match.group(1))
            if digits.isdigit():
                return int(digits)
        raise CellError("harus berupa angka bulat, mis. 37300000.", "must be a whole number.")
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = as_text(raw)
        try:
            return date.fromisoformat(text)
        except ValueError:
            match = _DMY.match(text)
            if match:
                day, month, year = (int(g) for g in match.groups())
                try:
                    return date(year, month, day)
                except ValueError:
                    pass
        raise CellError(
            "harus tanggal TTTT-BB-HH (mis. 2024-05-01) atau HH/BB/TTTT.",
            "must be a date, YYYY-MM-DD (e.g. 2024-05-01) or DD/MM/YYYY.",
        )
    if kind in ("enum", "lookup"):
        assert choices is not None
        value = choices.read(as_text(raw))
        if value is None:
            raise CellError(
                f"'{as_text(raw)}' tidak ada dalam pilihan: {choices.shown}.",
                f"'{as_text(raw)}' is not one of: {choices.shown}.",
            )
        return value
    raise AssertionError(f"unknown column type {kind}")


def write_cell(column: Column, value: Any, *, flat: bool) -> Any:
    """A value as a file stores it; ``flat`` files (CSV, XLSX) hold no lists or booleans.

    >>> from catalog.exchange.columns import SHEET_OF_KIND
    >>> write_cell(SHEET_OF_KIND["application"].column("aliases"), ["a", "b"], flat=True)
    'a; b'
    """
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) if flat else list(value)
    if isinstance(value, bool):
        return ("ya" if value else "tidak") if flat else value
    return value
