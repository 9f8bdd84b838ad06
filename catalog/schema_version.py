"""The schema revision this code expects, readable without importing alembic.

Every command and every server start compares the database's revision with this one.
Asking alembic for its head means importing alembic and parsing every migration file,
which costs more than many commands take (~0.4 s). tests/test_migrations.py fails
when a new migration is added and this constant is not moved to it."""

from __future__ import annotations

HEAD_REVISION = "0007"
