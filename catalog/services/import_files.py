"""Importing files from disk: read them (exchange files, or legacy spreadsheets through a
mapping) and hand the rows to :func:`catalog.services.imports.import_rows`.

One place for what ``katalog import`` and the import page (uploads saved to a temporary
folder) both do, so that a file gives the same report whichever way it arrives.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlmodel import Session

from catalog.exchange.readers import MAX_BYTES, ReadResult, read_path
from catalog.queries.scope import resolve_instansi
from catalog.services.context import Actor
from catalog.services.imports import (
    ImportOptions,
    ImportProblem,
    ImportReport,
    Progress,
    import_rows,
)

KEYS = ("code", "source_key")


def files_meta(paths: list[Path]) -> list[dict[str, Any]]:
    """Name, size and checksum of each file, kept with the import run."""
    out: list[dict[str, Any]] = []
    for p in paths:
        if p.is_file():
            out.append(
                {
                    "name": p.name,
                    "bytes": p.stat().st_size,
                    "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                }
            )
        else:
            out.append({"name": p.name})
    return out


def read_files(
    session: Session,
    paths: list[Path],
    mapping: Path | str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> ReadResult:
    """Rows of the files: as exchange files, or through a mapping file."""
    if mapping is not None:
        from catalog.exchange.mapping import read_with_mapping

        return read_with_mapping(session, mapping, paths)
    result = ReadResult()
    for path in paths:
        result.extend(read_path(path, max_bytes))
    return result


def import_files(
    session: Session,
    actor: Actor,
    paths: list[Path],
    *,
    mapping: Path | str | None = None,
    dry_run: bool = False,
    instansi: str | None = None,
    retire_missing: bool = False,
    key: str | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    files: list[dict[str, Any]] | None = None,
    problems: list[ImportProblem] | None = None,
) -> ImportReport:
    """Read ``paths`` and import their rows, all or nothing (see ``import_rows``).

    ``files`` describes the files for the run record when ``paths`` are not what the person
    gave (e.g. an unpacked upload); ``problems`` found before reading (e.g. a refused
    upload) make the run rejected like any other problem.
    """
    result = read_files(session, paths, mapping, max_bytes=max_bytes)
    if mapping is not None:
        from catalog.exchange.mapping import mapping_defaults

        # The mapping names its instansi and how re-imports find their items.
        mapped_instansi, mapped_key = mapping_defaults(mapping)
        instansi = instansi or mapped_instansi
        key = key or mapped_key
    if instansi is None and result.rows:
        default = resolve_instansi(session, None)
        instansi = default.code if default else None
    options = ImportOptions(
        instansi=instansi,
        dry_run=dry_run,
        retire_missing=retire_missing,
        key=key or "code",
        mapping=Path(mapping).name if mapping is not None else None,
    )
    found = list(problems or []) + [
        ImportProblem(p.where, p.message, p.message_en, p.value) for p in result.problems
    ]
    return import_rows(
        session,
        actor,
        result.rows,
        options,
        files=files if files is not None else files_meta(paths),
        notices=result.notices,
        progress=progress,
        problems=found,
    )


__all__ = ["KEYS", "files_meta", "import_files", "read_files"]
