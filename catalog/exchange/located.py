"""What readers produce: rows and problems, each with where it came from.

Every value keeps its file, sheet, row and column, so that the importer can report each
problem where the user will look for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.exchange.columns import Sheet


@dataclass(frozen=True, slots=True)
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


@dataclass(slots=True)
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


__all__ = ["FileProblem", "ReadResult", "Row", "Where"]
