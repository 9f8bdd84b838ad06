"""Runtime settings, read from ``KATALOG_*`` environment variables.

The embedded default is a SQLite file in the data folder (``./katalog-data`` unless
``KATALOG_DATA_DIR`` says otherwise); ``KATALOG_DATABASE_URL`` takes any SQLAlchemy URL,
e.g. ``postgresql+psycopg://user@host/dbname``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KATALOG_", extra="ignore")

    data_dir: Path = Field(default=Path("katalog-data"))
    database_url: str | None = None
    # Secret for signed cookies; generated into the data folder when not given.
    secret_key: str | None = None
    default_language: str = "id"
    sql_echo: bool = False

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'katalog.sqlite3').as_posix()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
