"""Turning field-validation failures into bilingual, field-naming problems.

Used by the services for their own input and by the web layer for request bodies and
query parameters, so that a person sees the same wording everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from catalog.errors import Problem


def field_label(model: type[BaseModel] | None, name: str) -> str:
    """``'name' (Nama)`` when the model documents the field, else ``'name'``."""
    info = model.model_fields.get(name) if model is not None else None
    desc = getattr(info, "description", None) if info is not None else None
    return f"'{name}' ({desc})" if desc else f"'{name}'"


def problem_from_error(err: dict[str, Any], model: type[BaseModel] | None = None) -> Problem:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    name = ".".join(loc) if loc else "input"
    label = field_label(model, loc[-1]) if loc else "'input'"
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if isinstance(value, dict | list) or kind == "missing":
        value = None
    shown = f"'{value}'" if value is not None else ""
    if kind == "missing":
        msg = f"Isian {label} wajib diisi."
        en = f"Field {label} is required."
    elif kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        msg = f"Isian {label} terlalu panjang (maksimal {limit} karakter)."
        en = f"Field {label} is too long (at most {limit} characters)."
    elif kind in ("string_too_short", "too_short"):
        msg = f"Isian {label} tidak boleh kosong."
        en = f"Field {label} must not be empty."
    elif kind == "enum":
        expected = ctx.get("expected", "")
        # Pydantic joins the last choice with an English "or".
        pilihan = expected.replace("' or '", "' atau '")
        msg = f"Nilai {shown} tidak dikenal untuk {label}. Pilihan: {pilihan}."
        en = f"Unknown value {shown} for {label}. Choose one of: {expected}."
    elif kind.startswith("int_") or kind.startswith("float_"):
        msg = f"Isian {label} harus berupa angka, bukan {shown}."
        en = f"Field {label} must be a number, not {shown}."
    elif kind.startswith("bool"):
        msg = f"Isian {label} harus ya/tidak (true/false), bukan {shown}."
        en = f"Field {label} must be yes/no (true/false), not {shown}."
    elif kind.startswith("date") or kind.startswith("datetime"):
        msg = f"Isian {label} harus tanggal berformat TTTT-BB-HH, bukan {shown}."
        en = f"Field {label} must be a date in YYYY-MM-DD format, not {shown}."
    elif kind == "extra_forbidden":
        msg = f"Isian atau parameter {label} tidak dikenal di sini."
        en = f"Field or parameter {label} is not known here."
    elif kind in ("string_type", "list_type", "dict_type", "model_type"):
        msg = f"Isian {label} berjenis salah ({shown or 'nilai'} tidak dapat dipakai)."
        en = f"Field {label} has the wrong type ({shown or 'value'} cannot be used)."
    else:
        msg = f"Isian {label} tidak valid: {err.get('msg', '')}."
        en = f"Field {label} is invalid: {err.get('msg', '')}."
    return Problem(f"field.{kind or 'invalid'}", msg, en, name, value)


def problems_from_validation_error(
    exc: ValidationError | list[dict[str, Any]], model: type[BaseModel] | None = None
) -> list[Problem]:
    errors = exc.errors() if isinstance(exc, ValidationError) else exc
    return [problem_from_error(dict(e), model) for e in errors]
