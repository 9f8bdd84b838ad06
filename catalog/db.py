"""Engines and sessions.

SQLite (the embedded default) runs with WAL and foreign keys on; any other SQLAlchemy
URL works, PostgreSQL being the supported server. Problems with the URL or the server
become :class:`~catalog.errors.ConfigurationError` with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from catalog.errors import ConfigurationError
from catalog.settings import Settings, get_settings


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(
            f"Alamat basis data '{url}' tidak valid. Contoh yang benar: "
            "sqlite:///katalog.sqlite3 atau postgresql+psycopg://user@host:5432/nama_db.",
            f"Database URL '{url}' is malformed. Valid examples: "
            "sqlite:///katalog.sqlite3 or postgresql+psycopg://user@host:5432/dbname.",
            field="KATALOG_DATABASE_URL",
            value=url,
        ) from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not install.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None, settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    raw = url or settings.resolved_database_url()
    parsed = parse_url(raw)
    kwargs: dict[str, Any] = {"echo": settings.sql_echo}
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(
            f"Jenis basis data '{parsed.drivername}' tidak didukung atau drivernya belum "
            "terpasang. Gunakan sqlite:/// atau postgresql+psycopg://.",
            f"Database kind '{parsed.drivername}' is not supported or its driver is not "
            "installed. Use sqlite:/// or postgresql+psycopg://.",
            field="KATALOG_DATABASE_URL",
            value=parsed.render_as_string(hide_password=True),
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if not kwargs.get("poolclass"):
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


def check_connection(engine: Engine) -> None:
    """Fail early, with a clear message, when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except OperationalError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise ConfigurationError(
            f"Basis data {shown} tidak dapat dihubungi: {_first_line(exc)}. Periksa "
            "alamat, port, nama basis data dan apakah servernya berjalan.",
            f"Cannot reach database {shown}: {_first_line(exc)}. Check the host, port, "
            "database name and that the server is running.",
            field="KATALOG_DATABASE_URL",
            value=shown,
        ) from exc


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
