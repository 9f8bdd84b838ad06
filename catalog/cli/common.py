"""What every command shares: the database, error reporting, progress bars.

Imported by every command module, hence by ``katalog --help``: the database layer
(SQLAlchemy, SQLModel, the settings) is imported when a command first asks for it."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from catalog.errors import CatalogError

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy import Engine
    from sqlmodel import Session

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

# Set by the console entry point: this process runs one command, then ends. Commands run
# in-process (tests, an embedding program) leave it False.
_process_ends_with_command = False


def one_command_process() -> None:
    """Mark this process as one that ends when its command does (the ``katalog`` script)."""
    global _process_ends_with_command
    _process_ends_with_command = True


def keep_heap_until_exit() -> None:
    """A command that built a large heap and is about to end: freeze it, so that neither
    the cyclic collector (when it is switched back on) nor the interpreter's final
    collection at exit walks those objects once more only to find them still in use
    (a quarter of a city's ``katalog analyze``). Reference counting still frees them.
    Nothing happens when the command runs inside a longer-lived process."""
    if _process_ends_with_command:
        gc.freeze()


def set_database(url: str | None) -> None:
    """``--database`` wins over the environment; exported so that server worker
    processes started later see the same database."""
    if url:
        from catalog.settings import get_settings

        os.environ["KATALOG_DATABASE_URL"] = url
        get_settings.cache_clear()


def engine(*, require_schema: bool = True) -> Engine:
    from catalog import migrate
    from catalog.db import check_connection, make_engine

    eng = make_engine()
    check_connection(eng)
    if require_schema:
        if migrate.is_empty(eng):
            raise CatalogError(
                "Basis data masih kosong. Jalankan dulu: katalog db upgrade",
                "The database is empty. Run first: katalog db upgrade",
                code="database.empty",
            )
        migrate.require_current(eng)
    return eng


@contextmanager
def session(*, require_schema: bool = True) -> Iterator[Session]:
    from sqlmodel import Session

    with Session(engine(require_schema=require_schema), expire_on_commit=False) as s:
        yield s


def report_error(exc: CatalogError) -> None:
    err_console.print(f"[bold red]Galat:[/] {exc.message}", highlight=False)
    if exc.message_en != exc.message:
        err_console.print(f"[dim]Error: {exc.message_en}[/]", highlight=False)
    if len(exc.problems) > 1:
        for p in exc.problems:
            where = f"{p.field}: " if p.field else ""
            err_console.print(f"  - {where}{p.message}", highlight=False)
            err_console.print(f"    [dim]{p.message_en}[/]", highlight=False)


def fail(exc: CatalogError) -> None:
    report_error(exc)
    raise typer.Exit(code=1)


def progress() -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
    )
