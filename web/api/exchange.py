"""Bulk exchange over HTTP: importing uploaded files (``POST /imports``), exports of what
the caller may see (``GET /exports``) and blank templates (``GET /templates``).

The import page and the download links use the helpers here too, so that a file gets the
same answer from a browser and from a script. Uploads are counted as they arrive and
refused past the limit (``KATALOG_UPLOAD_LIMIT_MB``) before they fill memory or disk; the
files are kept in a temporary folder only while the import runs.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from sqlmodel import Session
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile
from starlette.types import Message, Receive

from catalog.access import Principal
from catalog.errors import CatalogError, Forbidden, InvalidInput, Problem
from catalog.exchange.mapping import MAPPINGS_DIR
from catalog.exchange.outputs import (
    EXPORTS,
    TEMPLATES,
    export_scope,
    filtered_list_scope,
    write_export,
    write_template,
)
from catalog.exchange.readers import Where
from catalog.exchange.workbooks import WORKBOOK_SUFFIXES
from catalog.kinds import get_kind
from catalog.models import Instansi, Organisation
from catalog.queries.items import ItemFilter
from catalog.queries.scope import find_instansi, list_scope, resolve_instansi
from catalog.services.context import Actor
from catalog.services.import_files import KEYS, import_files
from catalog.services.imports import ImportProblem, ImportReport
from diagrams.exchange_layout import archimate_layout
from web.auth import ApiWriterDep, PrincipalDep
from web.deps import SessionDep

router = APIRouter()

MIB = 1024 * 1024
# Multipart boundaries and the small fields sent next to the files.
SLACK = 256 * 1024
UPLOAD_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".zip", ".yaml", ".yml", ".json", ".xml")
# What a mapping reads out of an uploaded .zip (a legacy inventory is a folder of tables).
MAPPED_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
MAX_FILES = 100
MAX_ZIP_MEMBERS = 1000
# A .zip may hold this many times the upload limit once unpacked (CSV packs well), and no
# more: a small "zip bomb" must not fill the disk or the memory of the reader.
ZIP_RATIO = 4


# -- who may import ------------------------------------------------------------------------


def require_importer(principal: Principal) -> None:
    """Importing writes: operators, architects and administrators only (the services
    still check every row against the person's units)."""
    if principal.can_write_somewhere():
        return
    if not principal.is_authenticated:
        raise Forbidden(
            "Masuk terlebih dahulu untuk mengimpor ke katalog.",
            "Sign in first to import into the catalogue.",
            field="permission",
            value="import",
        )
    raise Forbidden(
        "Akun ini tidak berhak mengimpor ke katalog (hanya operator, arsitek dan administrator).",
        "This account may not import into the catalogue (operators, architects and "
        "administrators only).",
        field="permission",
        value="import",
    )


# -- reading an upload within the limit ------------------------------------------------------


class UploadTooLarge(CatalogError):
    status = 413
    code = "upload_too_large"


def upload_limit(request: Request) -> int:
    """The upload limit in bytes (setting ``upload_limit_mb``)."""
    return int(request.app.state.settings.upload_limit_mb) * MIB


def _mib(size: int) -> str:
    return f"{size / MIB:.1f}".removesuffix(".0")


def too_large(limit: int, size: int | None = None) -> UploadTooLarge:
    shown = f" ({_mib(size)} MiB)" if size else ""
    return UploadTooLarge(
        f"Unggahan terlalu besar{shown}; batasnya {_mib(limit)} MiB untuk semua berkas "
        "bersama. Bagi berkas per OPD atau per jenis, kemas CSV dalam .zip, atau impor "
        "lewat perintah 'katalog import'.",
        f"The upload is too large{shown}; the limit is {_mib(limit)} MiB for all files "
        "together. Split the files per unit or per kind, pack CSV files in a .zip, or import "
        "with the 'katalog import' command.",
        field="files",
        value=size,
    )


async def _drain(receive: Receive, budget: int) -> None:
    """Read (and drop) the rest of a refused body, up to ``budget`` bytes, so that a
    browser still sending it gets to see the answer instead of a reset connection."""
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def read_upload(request: Request, limit: int) -> FormData:
    """The posted multipart form, refused with :class:`UploadTooLarge` once the body
    passes ``limit`` (plus room for the form fields): counted as it arrives, whether or
    not the client announced its length."""
    cap = limit + SLACK
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        await _drain(request.receive, ZIP_RATIO * cap)
        raise too_large(limit, int(declared))
    received = 0
    over = False

    async def counting() -> Message:
        nonlocal received, over
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                over = True
                raise too_large(limit, received)
        return message

    try:
        return await Request(request.scope, counting).form(
            max_files=MAX_FILES, max_fields=MAX_FILES
        )
    except UploadTooLarge:
        if over:
            await _drain(request.receive, ZIP_RATIO * cap)
        raise


# -- import options --------------------------------------------------------------------------


@lru_cache
def shipped_mappings() -> tuple[tuple[str, str], ...]:
    """(name, title) of the mapping files shipped for legacy inventories."""
    found = []
    for path in sorted(MAPPINGS_DIR.glob("*.yaml")):
        try:
            title = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("name")
        except (OSError, yaml.YAMLError, AttributeError):
            title = None
        found.append((path.stem, str(title or path.stem)))
    return tuple(found)


@dataclass
class ImportChoice:
    """What the person asked for next to the files."""

    mapping: str | None = None  # name of a shipped mapping
    dry_run: bool = False
    retire_missing: bool = False
    instansi: str | None = None  # code of the instansi rows without one belong to
    key: str | None = None  # code or source_key; None: the default (or the mapping's)


_TRUE = ("1", "true", "on", "yes", "ya")
_FALSE = ("", "0", "false", "off", "no", "tidak")


def _flag(form: FormData, name: str, problems: list[Problem]) -> bool:
    raw = form.get(name)
    text = "" if raw is None else str(raw).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    problems.append(
        Problem(
            "invalid",
            f"Isian '{name}' harus true atau false, bukan '{raw}'.",
            f"Field '{name}' must be true or false, not '{raw}'.",
            name,
            str(raw),
        )
    )
    return False


def import_choice(session: Session, form: FormData) -> ImportChoice:
    """The options posted with the files; every wrong one is reported at once."""
    problems: list[Problem] = []
    choice = ImportChoice(
        dry_run=_flag(form, "dry_run", problems),
        retire_missing=_flag(form, "retire_missing", problems),
    )
    mapping = str(form.get("mapping") or "").strip()
    if mapping:
        names = [name for name, _ in shipped_mappings()]
        if mapping not in names:
            problems.append(
                Problem(
                    "invalid",
                    f"Pemetaan '{mapping}' tidak ada. Pilihan: {', '.join(names)}.",
                    f"There is no mapping '{mapping}'. Choose one of: {', '.join(names)}.",
                    "mapping",
                    mapping,
                )
            )
        else:
            choice.mapping = mapping
    key = str(form.get("key") or "").strip()
    if key and key not in KEYS:
        problems.append(
            Problem(
                "invalid",
                f"Isian 'key' harus {' atau '.join(KEYS)}, bukan '{key}'.",
                f"Field 'key' must be {' or '.join(KEYS)}, not '{key}'.",
                "key",
                key,
            )
        )
    choice.key = key or None
    instansi = str(form.get("instansi") or "").strip()
    if instansi:
        try:
            choice.instansi = find_instansi(session, instansi).code
        except CatalogError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput.from_problems(problems)
    return choice


# -- saving the uploaded files -------------------------------------------------------------


def _safe_name(filename: str | None) -> str:
    """The file's own name, without any folder a browser or script put before it."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or "berkas"


def uploaded_files(form: FormData) -> list[UploadFile]:
    # A file input left empty still sends a part, with no name and no bytes.
    return [
        f
        for name in ("files", "file")
        for f in form.getlist(name)
        if isinstance(f, UploadFile) and (f.filename or f.size)
    ]


@dataclass
class SavedUploads:
    paths: list[Path]  # what to read: files, or folders of unpacked .zip files
    files: list[dict[str, Any]]  # name, bytes, sha256 of each upload, for the run record
    problems: list[ImportProblem]  # uploads refused before reading


def _refusal(name: str, message: str, message_en: str) -> ImportProblem:
    return ImportProblem(Where(name, "", 0), message, message_en)


def _zip_problem(path: Path, name: str, limit: int) -> ImportProblem | None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except zipfile.BadZipFile:
        return _refusal(
            name,
            f"Berkas {name} bukan .zip yang utuh. Buat ulang arsipnya.",
            f"{name} is not a complete .zip file. Create the archive again.",
        )
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_ZIP_MEMBERS or unpacked > ZIP_RATIO * limit:
        return _refusal(
            name,
            f"Isi {name} terlalu besar setelah dibuka ({len(members)} berkas, "
            f"{_mib(unpacked)} MiB; batas {MAX_ZIP_MEMBERS} berkas dan "
            f"{_mib(ZIP_RATIO * limit)} MiB). Bagi per OPD atau per jenis.",
            f"{name} is too large once unpacked ({len(members)} files, {_mib(unpacked)} MiB; "
            f"limit {MAX_ZIP_MEMBERS} files and {_mib(ZIP_RATIO * limit)} MiB). Split it per "
            "unit or per kind.",
        )
    return None


def _unpack(path: Path) -> Path:
    """The tables of a .zip in a folder beside it, for a mapping to find by file name.
    Only the members' own names are used: a member named ``../x.csv`` stays inside."""
    folder = path.parent / "isi"
    folder.mkdir()
    with zipfile.ZipFile(path) as zf:
        for n, member in enumerate(zf.infolist()):
            name = _safe_name(member.filename)
            if member.is_dir() or not name.lower().endswith(MAPPED_SUFFIXES):
                continue
            target = folder / name
            if target.exists():
                target = folder / f"{n}-{name}"
            with zf.open(member) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
    return folder


def save_uploads(
    uploads: list[UploadFile], folder: Path, limit: int, *, unpack: bool
) -> SavedUploads:
    """Copy the uploads into ``folder`` under their own names (one sub-folder each, so
    that two files of the same name both arrive) and refuse the kinds of file the
    importer cannot read."""
    saved = SavedUploads([], [], [])
    total = 0
    for n, upload in enumerate(uploads, start=1):
        name = _safe_name(upload.filename)
        target = folder / str(n) / name
        target.parent.mkdir(parents=True)
        digest, size = hashlib.sha256(), 0
        upload.file.seek(0)
        with target.open("wb") as out:
            while chunk := upload.file.read(MIB):
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
        total += size
        if total > limit:
            raise too_large(limit, total)
        saved.files.append({"name": name, "bytes": size, "sha256": digest.hexdigest()})
        suffix = target.suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            saved.problems.append(
                _refusal(
                    name,
                    f"Jenis berkas '{suffix or name}' tidak didukung. Unggah lembar kerja (XLSX, "
                    "XLS, ODS), CSV (atau .zip berisi CSV), YAML, JSON atau XML ArchiMate.",
                    f"File type '{suffix or name}' is not supported. Upload a workbook (XLSX, "
                    "XLS, ODS), CSV (or a .zip of CSV files), YAML, JSON or ArchiMate XML.",
                )
            )
            continue
        if suffix == ".zip":
            problem = _zip_problem(target, name, limit)
            if problem is not None:
                saved.problems.append(problem)
                continue
            if unpack:
                target = _unpack(target)
        saved.paths.append(target)
    return saved


def import_upload(
    session: Session, actor: Actor, form: FormData, choice: ImportChoice, limit: int
) -> ImportReport:
    """Import the uploaded files: all or nothing, every problem located."""
    uploads = uploaded_files(form)
    if not uploads:
        raise InvalidInput(
            "Pilih setidaknya satu berkas untuk diimpor.",
            "Choose at least one file to import.",
            field="files",
        )
    with tempfile.TemporaryDirectory(prefix="katalog-impor-") as tmp:
        saved = save_uploads(uploads, Path(tmp), limit, unpack=choice.mapping is not None)
        return import_files(
            session,
            actor,
            saved.paths,
            mapping=MAPPINGS_DIR / f"{choice.mapping}.yaml" if choice.mapping else None,
            dry_run=choice.dry_run,
            instansi=choice.instansi,
            retire_missing=choice.retire_missing,
            key=choice.key,
            max_bytes=limit,
            files=saved.files,
            problems=saved.problems,
        )


def report_summary(report: ImportReport) -> tuple[str, str]:
    """One sentence on the outcome, in Indonesian and English."""
    if report.problems:
        n = len(report.problems)
        return (
            f"Impor ditolak: {n} masalah. Tidak ada yang disimpan.",
            f"Import rejected: {n} problem{'s' if n != 1 else ''}. Nothing was saved.",
        )
    if report.dry_run:
        return (
            "Uji coba tanpa masalah. Tidak ada yang disimpan; laporan ini menunjukkan apa "
            "yang akan berubah.",
            "Dry run without problems. Nothing was saved; this report shows what would change.",
        )
    return (
        "Impor selesai; semua perubahan tersimpan.",
        "Import applied; every change was saved.",
    )


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as the API answers it; a rejected one also reads as an error (code,
    message, problems with ``field``) like every other 422."""
    message, message_en = report_summary(report)
    body = report.to_dict()
    for problem in body["problems"]:
        problem["code"] = "import"
        problem["field"] = problem["column"]
    return {
        "code": "import_rejected" if report.problems else report.outcome,
        "message": message,
        "message_en": message_en,
        "saved": report.applied,
        **body,
    }


# -- downloads -------------------------------------------------------------------------------


def _download(write: Callable[[Path], Any], name: str, media_type: str) -> FileResponse:
    """Write a file into a temporary folder and send it; the folder goes afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="katalog-unduh-"))
    try:
        path = folder / name
        write(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        media_type=media_type,
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _unknown_format(fmt: str, known: dict[str, Any]) -> InvalidInput:
    return InvalidInput(
        f"Format '{fmt}' tidak dikenal. Pilihan: {', '.join(known)}.",
        f"Unknown format '{fmt}'. Choose one of: {', '.join(known)}.",
        field="format",
        value=fmt,
    )


def _scope_label(session: Session, instansi: Instansi | None, org: Organisation | None) -> str:
    if org is not None:
        inst = session.get(Instansi, org.instansi_id)
        return f"{inst.code if inst else org.instansi_id}-{org.code}"
    return instansi.code if instansi is not None else "semua"


def export_download(
    request: Request,
    session: Session,
    principal: Principal,
    fmt: str,
    instansi: str | None,
    opd: str | None,
    *,
    active_only: bool = False,
) -> FileResponse:
    """The catalogue of an instansi (by default the only local one; 'semua' for all) or
    of one unit, as ``principal`` may see it."""
    if fmt not in EXPORTS:
        raise _unknown_format(fmt, EXPORTS)
    inst, org = list_scope(session, instansi, opd)
    scope = export_scope(
        session, instansi, opd, principal=principal, include_retired=not active_only
    )
    settings = request.app.state.settings
    # Landing pages of DCAT data sets point at this catalogue unless told otherwise.
    base_url = settings.public_url or str(request.base_url).rstrip("/")
    prefix = {"dcat": "data", "evidence": "bukti-spbe"}.get(fmt, "katalog-spbe")
    suffix, media_type = EXPORTS[fmt]
    name = f"{prefix}-{_scope_label(session, inst, org)}-{date.today().isoformat()}{suffix}"
    return _download(
        lambda path: write_export(
            session, scope, fmt, path, base_url=base_url, layout=archimate_layout
        ),
        name,
        media_type,
    )


def list_download(
    request: Request, session: Session, kind: str, flt: ItemFilter, fmt: str
) -> FileResponse:
    """Every page of one filtered list, as the viewer (``flt.principal``) may see it."""
    if fmt not in EXPORTS:
        raise _unknown_format(fmt, EXPORTS)
    scope = filtered_list_scope(kind, flt)
    settings = request.app.state.settings
    base_url = settings.public_url or str(request.base_url).rstrip("/")
    suffix, media_type = EXPORTS[fmt]
    inst = session.get(Instansi, flt.instansi_id) if flt.instansi_id is not None else None
    name = f"daftar-{get_kind(kind).page_path}-{inst.code if inst else 'semua'}-"
    name += f"{date.today().isoformat()}{suffix}"
    return _download(
        lambda path: write_export(
            session, scope, fmt, path, base_url=base_url, layout=archimate_layout
        ),
        name,
        media_type,
    )


def template_download(session: Session, fmt: str, instansi: str | None) -> FileResponse:
    """A blank template; ``instansi`` (by default the only local one) fills the list of
    unit codes, which are public."""
    if fmt not in TEMPLATES:
        raise _unknown_format(fmt, TEMPLATES)
    inst = resolve_instansi(session, instansi) if instansi not in ("semua", "all") else None
    suffix, media_type = TEMPLATES[fmt]
    base = "katalog-spbe" if fmt == "schema" else "templat-katalog-spbe"
    name = f"{base}{'-' + inst.code if inst is not None and fmt != 'schema' else ''}{suffix}"
    return _download(
        lambda path: write_template(session, fmt, path, inst.id if inst else None),
        name,
        media_type,
    )


# -- the API ---------------------------------------------------------------------------------


async def api_upload(request: Request, actor: ApiWriterDep) -> AsyncIterator[FormData]:
    # Who may not import is refused before a byte of the upload is stored.
    require_importer(actor.principal)
    form = await read_upload(request, upload_limit(request))
    try:
        yield form
    finally:
        await form.close()


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "XLSX, CSV, .zip berisi CSV, YAML, JSON, XML ArchiMate.",
                        },
                        "mapping": {
                            "type": "string",
                            "description": "Pemetaan inventaris lama yang dikirim bersama "
                            "katalog (mis. denpasar, banten).",
                        },
                        "dry_run": {"type": "boolean", "default": False},
                        "retire_missing": {"type": "boolean", "default": False},
                        "instansi": {
                            "type": "string",
                            "description": "Kode instansi baris yang tidak menyebutnya.",
                        },
                        "key": {"type": "string", "enum": list(KEYS)},
                    },
                }
            }
        },
    }
}


@router.post(
    "/imports",
    tags=["Impor dan ekspor"],
    summary="Impor berkas / Import files",
    description="Semua baris diperiksa dulu; bila ada masalah tidak ada yang disimpan (422, "
    "setiap masalah dengan berkas, lembar, baris dan kolomnya). Impor ulang berkas yang sama "
    "tidak mengubah apa pun. / Every row is checked first; any problem means nothing is "
    "saved (422, each problem located). Re-importing the same file changes nothing.",
    responses={
        200: {"description": "Diimpor, atau uji coba / Applied, or dry run"},
        413: {"description": "Unggahan terlalu besar / Upload too large"},
        422: {"description": "Ditolak; tidak ada yang disimpan / Rejected; nothing saved"},
    },
    openapi_extra=_UPLOAD_BODY,
)
def import_api(
    request: Request,
    session: SessionDep,
    actor: ApiWriterDep,
    form: Annotated[FormData, Depends(api_upload)],
) -> JSONResponse:
    choice = import_choice(session, form)
    report = import_upload(session, actor, form, choice, upload_limit(request))
    return JSONResponse(report_json(report), status_code=422 if report.problems else 200)


@router.get(
    "/exports",
    tags=["Impor dan ekspor"],
    summary="Ekspor katalog / Export the catalogue",
    description="XLSX/CSV (dapat diimpor kembali), JSON/YAML (katalog sebagai kode), DCAT "
    "JSON-LD (data), atau tabel bukti SPBE; hanya yang boleh dilihat pemanggil. / Only what "
    "the caller may see.",
    response_class=FileResponse,
)
def export_api(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    fmt: Annotated[str, Query(alias="format", description=", ".join(EXPORTS))] = "json",
    instansi: Annotated[
        str | None, Query(description="Kode instansi; 'semua' untuk semua instansi.")
    ] = None,
    opd: Annotated[str | None, Query(description="Hanya item OPD ini dan sub-unitnya.")] = None,
    active_only: Annotated[bool, Query(description="Tanpa item yang sudah dihentikan.")] = False,
) -> FileResponse:
    return export_download(request, session, principal, fmt, instansi, opd, active_only=active_only)


@router.get(
    "/templates",
    tags=["Impor dan ekspor"],
    summary="Templat pengisian / Registration template",
    response_class=FileResponse,
)
def template_api(
    session: SessionDep,
    fmt: Annotated[str, Query(alias="format", description=", ".join(TEMPLATES))] = "xlsx",
    instansi: Annotated[
        str | None, Query(description="Isi daftar pilihan kode OPD instansi ini.")
    ] = None,
) -> FileResponse:
    return template_download(session, fmt, instansi)


__all__ = [
    "ImportChoice",
    "UploadTooLarge",
    "export_download",
    "import_choice",
    "import_upload",
    "list_download",
    "read_upload",
    "report_json",
    "report_summary",
    "require_importer",
    "router",
    "shipped_mappings",
    "template_download",
    "upload_limit",
]
