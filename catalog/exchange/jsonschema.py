"""The JSON Schema of the catalogue-as-code format (YAML/JSON), from the same columns
the importer reads. Published as ``schemas/katalog-spbe.schema.json``."""

from __future__ import annotations

from typing import Any

from catalog.exchange.columns import SHEETS, Column

SCHEMA_ID = "https://katalog-spbe.invalid/schemas/katalog-spbe.schema.json"


def _column_schema(col: Column) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string"}
    if col.type in ("int",):
        schema: dict[str, Any] = {"type": "integer"}
    elif col.type == "bool":
        schema = {"type": "boolean"}
    elif col.type == "date":
        schema = {"type": "string", "format": "date"}
    elif col.type == "enum" and col.enum is not None:
        schema = {"type": "string", "enum": [m.value for m in col.enum]}
    elif col.type == "reference":
        schema = {"type": "string", "pattern": r"^(RAB|RAL|RAD|RAA|RAI|RAK)(\.\d{2,3})+$"}
    elif col.type in ("list", "items"):
        schema = {"type": "array", "items": text}
    else:
        schema = dict(text)
    if col.type not in ("list", "items") and not col.required:
        schema = {"anyOf": [schema, {"type": "null"}]}
    schema["title"] = col.header
    schema["description"] = f"{col.note} / {col.note_en}"
    return schema


def catalogue_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "katalog_spbe": {"const": 1, "description": "Versi format / format version"},
    }
    for sheet in SHEETS:
        row = {
            "type": "object",
            "title": sheet.title,
            "additionalProperties": False,
            "properties": {c.key: _column_schema(c) for c in sheet.columns},
            "required": [c.key for c in sheet.columns if c.required and c.key != "owner"],
        }
        properties[sheet.key] = {"type": "array", "items": row}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Katalog SPBE: katalog sebagai kode / catalogue as code",
        "description": "Satu dokumen per instansi atau per OPD. Unit dirujuk dengan kodenya, item "
        "dengan kodenya atau KODEINSTANSI/KODE. / One document per instansi or unit.",
        "type": "object",
        "required": ["katalog_spbe"],
        "additionalProperties": False,
        "properties": properties,
    }
