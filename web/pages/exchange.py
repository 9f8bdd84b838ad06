"""Bulk import and downloads as pages: the import form and its report (operators,
architects, administrators), and the exports and blank templates anyone may download
(each person gets what they may see).

The work is done by the helpers of :mod:`web.api.exchange`, shared with the JSON API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from catalog.access import Principal
from catalog.errors import CatalogError, InvalidInput
from catalog.kinds import KINDS
from catalog.models import Instansi, Organisation
from catalog.queries.scope import list_scope, local_instansi
from web.api.exchange import (
    MIB,
    ImportChoice,
    UploadTooLarge,
    export_download,
    import_choice,
    import_upload,
    read_upload,
    report_summary,
    require_importer,
    shipped_mappings,
    template_download,
    upload_limit,
)
from web.auth import CSRF_FIELD, PrincipalDep, actor_for, check_csrf
from web.deps import SessionDep
from web.i18n import request_language
from web.pages.edit import writable_instansi
from web.pages.render import render

router = APIRouter()

# Message ids (Indonesian) of the download formats, in the order they are offered.
EXPORT_LABELS = {
    "xlsx": "Lembar kerja XLSX (dapat diimpor kembali)",
    "csv": "CSV dalam .zip, satu berkas per jenis (dapat diimpor kembali)",
    "json": "JSON (katalog sebagai kode)",
    "yaml": "YAML (katalog sebagai kode)",
    "dcat": "DCAT JSON-LD (data, untuk portal Satu Data)",
    "evidence": "Tabel bukti SPBE (register aset aplikasi dan infrastruktur, API pada SPL)",
    "archimate": "ArchiMate Model Exchange XML (Archi dan alat EA lain; dapat diimpor kembali)",
}
TEMPLATE_LABELS = {
    "xlsx": "Templat XLSX (judul, penjelasan, daftar pilihan dan contoh)",
    "csv": "Templat CSV dalam .zip",
    "yaml": "Templat YAML",
    "json": "Templat JSON",
    "schema": "JSON Schema format YAML/JSON",
}
# What the report counts besides the item kinds.
COUNT_LABELS = {"instansi": "Instansi", "organisation": "OPD", "relation": "Relasi"}


@dataclass
class Upload:
    """The posted form, or why it was refused before it was stored."""

    form: FormData | None
    refused: CatalogError | None = None


async def upload_form(request: Request, principal: PrincipalDep) -> AsyncIterator[Upload]:
    # Who may not import is refused before a byte of the upload is stored.
    require_importer(principal)
    try:
        form = await read_upload(request, upload_limit(request))
    except UploadTooLarge as exc:
        yield Upload(None, exc)
        return
    try:
        yield Upload(form)
    finally:
        await form.close()


UploadDep = Annotated[Upload, Depends(upload_form)]


def download_scope(
    session: Session, instansi: str | None, opd: str | None, *, active_only: bool = False
) -> tuple[Instansi | None, Organisation | None, dict[str, str]]:
    """The instansi and unit a download covers, and the query naming them."""
    inst, org = list_scope(session, instansi, opd)
    query = {"instansi": inst.code if inst is not None else "semua"}
    if org is not None:
        query["opd"] = org.code
    if active_only:
        query["aktif"] = "1"
    return inst, org, query


def restricted_shown(principal: Principal, inst: Instansi | None) -> str:
    """Whether exports of this scope hold restricted items: all, partly or none."""
    if principal.is_admin or principal.read_all:
        return "all"
    if inst is not None:
        return "all" if principal.can_read_instansi(inst.id) else "none"
    return "partly" if principal.readable else "none"


def downloads_context(
    session: Session,
    principal: Principal,
    instansi: str | None,
    opd: str | None = None,
    *,
    active_only: bool = False,
) -> dict[str, Any]:
    inst, org, query = download_scope(session, instansi, opd, active_only=active_only)
    return {
        "scope_instansi": inst,
        "scope_opd": org,
        "scope_query": query,
        "active_only": active_only,
        "export_labels": EXPORT_LABELS,
        "template_labels": TEMPLATE_LABELS,
        "sees_restricted": restricted_shown(principal, inst),
    }


def import_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    choice: ImportChoice | None = None,
    refused: CatalogError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    choices = writable_instansi(session, principal)
    if choice is None:
        # A first visit suggests a trial run, and the instansi when there is only one.
        choice = ImportChoice(dry_run=True, instansi=choices[0].code if len(choices) == 1 else None)
    return render(
        request,
        "import.html",
        {
            "choice": choice,
            "refused": refused,
            "mappings": shipped_mappings(),
            "instansi_choices": choices,
            "limit_mib": upload_limit(request) // MIB,
            **downloads_context(session, principal, choice.instansi),
        },
        status_code=status_code,
    )


@router.get("/impor", response_class=HTMLResponse, name="page_import")
def import_form(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    require_importer(principal)
    return import_page(request, session, principal)


@router.post("/impor", response_class=HTMLResponse, name="page_import_submit")
def import_submit(
    request: Request, session: SessionDep, principal: PrincipalDep, upload: UploadDep
) -> HTMLResponse:
    if upload.form is None:
        return import_page(request, session, principal, refused=upload.refused, status_code=413)
    form = upload.form
    check_csrf(request, form.get(CSRF_FIELD))  # type: ignore[arg-type]
    try:
        choice = import_choice(session, form)
        report = import_upload(
            session,
            actor_for(request, principal, "web"),
            form,
            choice,
            upload_limit(request),
        )
    except InvalidInput as exc:
        return import_page(request, session, principal, refused=exc, status_code=422)
    except UploadTooLarge as exc:
        return import_page(request, session, principal, refused=exc, status_code=413)
    message, message_en = report_summary(report)
    # After a clean trial, the form is ready to apply the same files; otherwise it offers
    # a trial again.
    again = ImportChoice(
        mapping=choice.mapping,
        dry_run=report.outcome != "dry_run",
        retire_missing=choice.retire_missing,
        instansi=choice.instansi,
        key=choice.key,
    )
    return render(
        request,
        "import_report.html",
        {
            "report": report,
            "summary": message_en if request_language(request) == "en" else message,
            "count_labels": {**{k: s.label for k, s in KINDS.items()}, **COUNT_LABELS},
            "choice": again,
            "refused": None,
            "mappings": shipped_mappings(),
            "instansi_choices": writable_instansi(session, principal),
            "limit_mib": upload_limit(request) // MIB,
        },
        status_code=422 if report.problems else 200,
    )


@router.get("/unduh", response_class=HTMLResponse, name="page_downloads")
def downloads(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    instansi: str | None = None,
    opd: str | None = None,
    aktif: bool = False,
) -> HTMLResponse:
    context = downloads_context(session, principal, instansi, opd, active_only=aktif)
    local = local_instansi(session)
    query = {k: v for k, v in context["scope_query"].items() if k != "aktif"}
    if aktif:
        query["active_only"] = "true"
    return render(
        request,
        "downloads.html",
        {**context, "local_instansi": local},
        json_url="/api/v1/exports?" + urlencode({"format": "json", **query}),
    )


@router.get("/unduh/ekspor", name="page_export")
def export_file(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    fmt: Annotated[str, Query(alias="format")] = "xlsx",
    instansi: str | None = None,
    opd: str | None = None,
    aktif: bool = False,
) -> FileResponse:
    return export_download(request, session, principal, fmt, instansi, opd, active_only=aktif)


@router.get("/unduh/templat", name="page_template")
def template_file(
    session: SessionDep,
    fmt: Annotated[str, Query(alias="format")] = "xlsx",
    instansi: str | None = None,
) -> FileResponse:
    return template_download(session, fmt, instansi)


__all__ = ["router"]
