"""Runtime settings, read from ``KATALOG_*`` environment variables.

The embedded default is a SQLite file in the data folder (``./katalog-data`` unless
``KATALOG_DATA_DIR`` says otherwise); ``KATALOG_DATABASE_URL`` takes any SQLAlchemy URL,
e.g. ``postgresql+psycopg://user@host/dbname``.
"""

from __future__ import annotations

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KATALOG_", extra="ignore")

    data_dir: Path = Field(default=Path("katalog-data"))
    database_url: str | None = None
    # Secret for signed cookies; generated into the data folder when not given. Every
    # server process (and every host behind a load balancer) must share it.
    secret_key: str | None = None
    # Send the session cookie over HTTPS only (set in production behind TLS).
    cookie_secure: bool = False
    session_hours: int = 8
    # Where people reach this catalogue (e.g. https://katalog.denpasarkota.go.id); used for
    # the absolute links that leave it, such as landing pages in DCAT exports.
    public_url: str | None = None
    # Largest upload the import page and API take (all files of one import together), in
    # MiB: bigger inventories go through `katalog import`, which has no request to time out.
    upload_limit_mb: int = 50
    default_language: str = "id"
    sql_echo: bool = False

    def secret(self) -> str:
        """The cookie-signing secret: KATALOG_SECRET_KEY, else a random one kept in
        ``<data_dir>/secret.key`` (created on first use, readable by the owner only)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first; use theirs
            else:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
        for _ in range(50):
            secret = path.read_text().strip()
            if secret:
                return secret
            time.sleep(0.01)  # the creating process has not written it yet
        return path.read_text().strip()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'katalog.sqlite3').as_posix()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
