"""Export rows without references to what the scope's principal may not see.

:func:`catalog.exchange.document.sheets` leaves out the rows of restricted items, but rows
that *refer* to them would still name them: a relation to a *terbatas* data set, an
integration carrying one, a data set whose authoritative application is internal. For the
public (and anyone who may not read an instansi's restricted items) those references are
removed here, so that an export shows nothing the pages would not, and still imports
cleanly (no reference to an item the file does not hold). Principals who see everything
get the rows unchanged, at no cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import false, func, not_, select
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.exchange.columns import RELATIONS, Sheet
from catalog.exchange.document import FORMAT_VERSION, Scope, sheets
from catalog.kinds import KINDS
from catalog.models import Instansi

Hidden = dict[str, set[str]]  # kind → {"INSTANSI/CODE"} the principal may not see
SEPARATOR = "; "  # how flat files (CSV, XLSX) join a list of codes (values.write_cell)


def hidden_items(session: Session, principal: Principal) -> Hidden:
    """The items of each kind the principal may not see, as ``INSTANSI/CODE``."""
    if principal.is_admin or principal.read_all:
        return {}
    hidden: Hidden = {}
    for kind, spec in KINDS.items():
        model: Any = spec.model
        visible = func.coalesce(visible_clause(principal, kind, model), false())
        rows = session.execute(
            select(Instansi.code, model.code)
            .join(Instansi, Instansi.id == model.instansi_id)
            .where(not_(visible))
        ).all()
        if rows:
            hidden[kind] = {f"{inst}/{code}" for inst, code in rows}
    return hidden


def _qualified(ref: Any, home: Any) -> str:
    """``INSTANSI/CODE`` of a reference written relative to the row's instansi."""
    text = str(ref)
    return text if "/" in text else f"{home}/{text}"


def _filter_row(sheet: Sheet, row: dict[str, Any], hidden: Hidden) -> dict[str, Any] | None:
    home = row.get("instansi")
    if sheet.key == RELATIONS.key:
        for end in ("source", "target"):
            ref = row.get(end)
            if ref and _qualified(ref, home) in hidden.get(str(row.get(f"{end}_kind")), ()):
                return None
        return row
    for col in sheet.columns:
        if col.type not in ("item", "items") or not row.get(col.key):
            continue
        gone = hidden.get(col.target_kind or "", set())
        if not gone:
            continue
        value = row[col.key]
        if col.type == "item":
            if _qualified(value, home) in gone:
                row[col.key] = None
            continue
        refs = value if isinstance(value, list) else str(value).split(SEPARATOR)
        kept = [r for r in refs if _qualified(r, home) not in gone]
        if isinstance(value, list):
            row[col.key] = kept
        else:
            row[col.key] = SEPARATOR.join(kept) or None
    return row


def _rows(sheet: Sheet, rows: Iterable[dict[str, Any]], hidden: Hidden) -> Iterator[dict[str, Any]]:
    for row in rows:
        kept = _filter_row(sheet, row, hidden)
        if kept is not None:
            yield kept


def visible_sheets(
    session: Session, scope: Scope, *, flat: bool
) -> Iterator[tuple[Sheet, Iterator[dict[str, Any]]]]:
    """:func:`~catalog.exchange.document.sheets` without references to hidden items."""
    hidden = hidden_items(session, scope.principal)
    for sheet, rows in sheets(session, scope, flat=flat):
        yield sheet, (_rows(sheet, rows, hidden) if hidden else rows)


def visible_sections(session: Session, scope: Scope) -> Iterator[tuple[str, Any]]:
    """The catalogue-as-code document as (key, lazy rows) pairs, for streaming writers;
    empty values are left out of each row, references to hidden items too."""
    yield "katalog_spbe", FORMAT_VERSION
    for sheet, rows in visible_sheets(session, scope, flat=False):
        yield sheet.key, ({k: v for k, v in row.items() if v not in (None, [], "")} for row in rows)


__all__ = ["hidden_items", "visible_sections", "visible_sheets"]
