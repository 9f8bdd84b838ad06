"""Database housekeeping after bulk writes."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def refresh_statistics(session: Session) -> None:
    """Let the query planner see the new data (after a demo load or an import).

    Without fresh statistics SQLite may, for instance, walk a low-selectivity status index
    instead of the instansi index; the cost is a fraction of a second at national scale.
    """
    session.execute(text("ANALYZE"))
    session.commit()
