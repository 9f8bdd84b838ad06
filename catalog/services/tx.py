"""One transaction per service call.

A public service function wraps its work in :func:`transaction`. Calls nested inside an
outer unit of work (an import run, the demo generator) join it instead of committing,
so that the outer caller gets all-or-nothing behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

_DEPTH = "katalog_uow_depth"


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth


def in_transaction(session: Session) -> bool:
    return session.info.get(_DEPTH, 0) > 0


__all__ = ["StaleDataError", "in_transaction", "transaction"]
