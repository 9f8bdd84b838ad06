"""Exports and templates in every format, from one definition of the columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.enums import InstansiKind
from catalog.errors import InvalidInput
from catalog.exchange.columns import INSTANSI, ORGANISATIONS, RELATIONS, SHEETS, Sheet
from catalog.exchange.document import Scope
from catalog.exchange.examples import EXAMPLES, INSTRUCTIONS
from catalog.exchange.hidden import visible_sections, visible_sheets
from catalog.exchange.writers import write_csv, write_document, write_xlsx
from catalog.models import LookupValue, Organisation, ReferenceNode, ReferenceSet

FORMATS = ("xlsx", "csv", "json", "yaml")


def export(session: Session, scope: Scope, fmt: str, output: Path) -> None:
    """Write the scoped catalogue to ``output`` in ``fmt``, as the scope's principal may
    see it (no reference to an item hidden from them)."""
    if fmt == "xlsx":
        write_xlsx(output, visible_sheets(session, scope, flat=True))
    elif fmt == "csv":
        write_csv(output, visible_sheets(session, scope, flat=True))
    elif fmt in ("json", "yaml"):
        write_document(output, visible_sections(session, scope), fmt)
    else:
        raise InvalidInput(
            f"Format '{fmt}' tidak dikenal. Pilihan: {', '.join(FORMATS)}.",
            f"Unknown format '{fmt}'. Choose one of: {', '.join(FORMATS)}.",
            field="format",
            value=fmt,
        )


def choice_lists(session: Session, instansi_id: int | None) -> dict[str, list[str]]:
    """Values for the template's drop-down lists, keyed ``sheet.column``."""
    lookups: dict[str, list[str]] = {}
    for category, value in session.execute(
        select(LookupValue.category, LookupValue.value)
        .where(LookupValue.is_active.is_(True))
        .order_by(LookupValue.category, LookupValue.sort_order)
    ):
        lookups.setdefault(category, []).append(value)
    active = session.execute(
        select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True))
    ).scalar()
    references: dict[str, list[str]] = {}
    for scheme, code, name in session.execute(
        select(ReferenceNode.scheme, ReferenceNode.code, ReferenceNode.name)
        .where(ReferenceNode.set_id == active)
        .order_by(ReferenceNode.code)
    ):
        references.setdefault(scheme, []).append(f"{code} {name}"[:250])
    units: list[str] = []
    if instansi_id is not None:
        units = list(
            session.execute(
                select(Organisation.code)
                .where(Organisation.instansi_id == instansi_id, Organisation.retired_at.is_(None))
                .order_by(Organisation.code)
            ).scalars()
        )
    lists: dict[str, list[str]] = {}
    for sheet in SHEETS:
        for col in sheet.columns:
            key = f"{sheet.key}.{col.key}"
            if col.type == "enum" and col.enum is not None:
                lists[key] = [m.value for m in col.enum]
            elif col.type == "lookup" and col.lookup in lookups:
                lists[key] = lookups[col.lookup]  # type: ignore[index]
            elif col.type == "reference" and col.scheme in references:
                lists[key] = references[col.scheme]  # type: ignore[index]
            elif col.type == "bool":
                lists[key] = ["ya", "tidak"]
            elif col.type == "unit" and units:
                lists[key] = units
    lists[f"{INSTANSI.key}.kind"] = [k.value for k in InstansiKind]
    return lists


def template(session: Session, fmt: str, output: Path, instansi_id: int | None = None) -> None:
    """An empty workbook (or CSV set, or YAML document) with headers, notes, drop-down
    lists and an example row per sheet."""
    empty: list[tuple[Sheet, list[dict[str, Any]]]] = [(s, []) for s in SHEETS]
    if fmt == "xlsx":
        write_xlsx(
            output,
            empty,
            lists=choice_lists(session, instansi_id),
            examples=EXAMPLES,
            instructions=INSTRUCTIONS,
        )
    elif fmt == "csv":
        write_csv(output, empty, examples=EXAMPLES, extra={"PETUNJUK.txt": "\n".join(INSTRUCTIONS)})
    elif fmt in ("yaml", "json"):
        doc: dict[str, Any] = {"katalog_spbe": 1}
        for sheet in SHEETS:
            example = {k: v for k, v in EXAMPLES.get(sheet.key, {}).items() if v not in (None, "")}
            doc[sheet.key] = [example] if example else []
        write_document(output, doc, fmt)
    else:
        raise InvalidInput(
            f"Format templat '{fmt}' tidak dikenal. Pilihan: xlsx, csv, yaml, json.",
            f"Unknown template format '{fmt}'. Choose one of: xlsx, csv, yaml, json.",
            field="format",
            value=fmt,
        )


__all__ = ["FORMATS", "ORGANISATIONS", "RELATIONS", "export", "template"]
