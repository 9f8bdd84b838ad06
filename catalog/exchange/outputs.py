"""An export or a template written to a file, whatever its format: the one dispatch that
``katalog export``/``export-template`` and the download links share.

Each format has a file name ending and a media type, so that a download is named and
opened the same way a file from the command line is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from catalog.access import Principal
from catalog.errors import InvalidInput
from catalog.exchange.document import Scope
from catalog.exchange.export import export, template
from catalog.queries.items import ItemFilter
from catalog.queries.scope import list_scope

if TYPE_CHECKING:
    from catalog.exchange.archimate.layout import Layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# format → (file name ending, media type); CSV files travel as a .zip of one file per sheet.
EXPORTS: dict[str, tuple[str, str]] = {
    "xlsx": (".xlsx", XLSX),
    "csv": (".zip", "application/zip"),
    "json": (".json", "application/json"),
    "yaml": (".yaml", "application/yaml"),
    "dcat": (".jsonld", "application/ld+json"),
    "evidence": (".xlsx", XLSX),
    "archimate": (".xml", "application/xml"),
}
TEMPLATES: dict[str, tuple[str, str]] = {
    "xlsx": (".xlsx", XLSX),
    "csv": (".zip", "application/zip"),
    "yaml": (".yaml", "application/yaml"),
    "json": (".json", "application/json"),
    "schema": (".schema.json", "application/schema+json"),
}


def _unknown(fmt: str, known: dict[str, tuple[str, str]], what: str, what_en: str) -> InvalidInput:
    return InvalidInput(
        f"Format {what} '{fmt}' tidak dikenal. Pilihan: {', '.join(known)}.",
        f"Unknown {what_en} format '{fmt}'. Choose one of: {', '.join(known)}.",
        field="format",
        value=fmt,
    )


def export_scope(
    session: Session,
    instansi: str | None,
    opd: str | None,
    *,
    principal: Principal,
    include_retired: bool = True,
) -> Scope:
    """What an export covers: the named instansi, every instansi ('semua'), or by default
    the only local one; optionally one unit subtree; seen through ``principal``'s eyes."""
    inst, org = list_scope(session, instansi, opd)
    scope = Scope(include_retired=include_retired, principal=principal)
    if inst is not None:
        scope.instansi_ids = [inst.id]  # type: ignore[list-item]
    if org is not None:
        scope.owner_path = org.path
        scope.instansi_ids = [org.instansi_id]
    return scope


def filtered_list_scope(kind: str, flt: ItemFilter) -> Scope:
    """Every page of one filtered list (its instansi, unit, reference code, status,
    words and kind-specific filters), for exporting just that list."""
    return Scope(
        instansi_ids=[flt.instansi_id] if flt.instansi_id is not None else [],
        kinds=(kind,),
        principal=flt.principal,
        # A list of retired items (status=retired) shows them whatever the toggle says.
        include_retired=flt.include_retired or bool(flt.status),
        filter=flt,
    )


def write_export(
    session: Session,
    scope: Scope,
    fmt: str,
    output: Path,
    *,
    base_url: str | None = None,
    layout: Layout | None = None,
) -> None:
    """The scoped catalogue in ``fmt`` (see :data:`EXPORTS`); ``base_url`` is where people
    reach the catalogue, for the landing pages of DCAT data sets; ``layout`` places the
    elements of ArchiMate views (a simple grid without it)."""
    if fmt == "archimate":
        from catalog.exchange.archimate import write_archimate

        write_archimate(session, scope, output, layout=layout)
    elif fmt == "dcat":
        from catalog.exchange.dcat import write_dcat

        write_dcat(session, scope, output, base_url=base_url)
    elif fmt == "evidence":
        from catalog.exchange.evidence import write_evidence

        write_evidence(session, scope, output)
    elif fmt in EXPORTS:
        export(session, scope, fmt, output)
    else:
        raise _unknown(fmt, EXPORTS, "ekspor", "export")


def write_template(session: Session, fmt: str, output: Path, instansi_id: int | None) -> None:
    """An empty registration template (see :data:`TEMPLATES`), or the JSON Schema of the
    YAML/JSON format; ``instansi_id`` fills the drop-down list of unit codes."""
    if fmt == "schema":
        from catalog.exchange.jsonschema import catalogue_schema

        output.write_text(
            json.dumps(catalogue_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    elif fmt in TEMPLATES:
        template(session, fmt, output, instansi_id)
    else:
        raise _unknown(fmt, TEMPLATES, "templat", "template")


__all__ = [
    "EXPORTS",
    "TEMPLATES",
    "export_scope",
    "filtered_list_scope",
    "write_export",
    "write_template",
]
