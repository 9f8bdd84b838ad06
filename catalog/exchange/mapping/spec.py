"""What a mapping file says, once parsed and checked (:mod:`.parser`): files, side tables,
joins, and per exchange sheet the field specs that make each column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalog.exchange.columns import Sheet
from catalog.exchange.mapping.templates import template_columns

FORMAT_KEY = "katalog_spbe_mapping"
# The header a problem names for a value the mapping supplies rather than a cell.
FROM_MAPPING = "(pemetaan)"


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
        return [c for t in self.templates for c in template_columns(t)]


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
