"""Labels the pages show for item fields (the table itself lives in catalog.labels, shared
with the spreadsheet templates)."""

from __future__ import annotations

from catalog.labels import FIELD_LABELS

# Fields shown in the page header rather than in the detail table.
HEADER_FIELDS = frozenset(
    {"code", "name", "description", "status", "reference_code", "is_internal", "source_key"}
)

__all__ = ["FIELD_LABELS", "HEADER_FIELDS"]
