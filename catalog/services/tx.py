"""One transaction per service call.

A public service function wraps its work in :func:`transaction`. Calls nested inside an
outer unit of work (an import run, the demo generator) join it instead of committing,
so that the outer caller gets all-or-nothing behaviour.

A refused write (:class:`~catalog.errors.Forbidden`) changes nothing, but is remembered:
after the rollback, the attempt is written to the audit log in a transaction of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from catalog.errors import Forbidden

_DEPTH = "katalog_uow_depth"
_ACTOR = "katalog_actor"
log = logging.getLogger("katalog.audit")


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException as exc:
        if depth == 0:
            session.rollback()
            if isinstance(exc, Forbidden):
                _audit_refusal(session, exc)
        raise
    finally:
        session.info[_DEPTH] = depth


def _audit_refusal(session: Session, exc: Forbidden) -> None:
    from catalog.models import AuditEvent

    audit = getattr(exc, "audit", None)
    actor = getattr(exc, "actor", None)
    if audit is None or actor is None:
        return
    log.warning(
        "refused %s by %s (%s) on %s %s: %s",
        audit["action"],
        actor.name,
        actor.source,
        audit.get("object_kind"),
        audit.get("object_id"),
        exc.message_en,
    )
    session.add(
        AuditEvent(
            event="forbidden",
            actor_id=actor.user_id,
            actor_name=actor.name,
            source=actor.source,
            request_id=actor.request_id,
            object_kind=audit.get("object_kind"),
            object_id=audit.get("object_id"),
            instansi_id=audit.get("instansi_id"),
            detail={
                "action": audit["action"],
                "reason": exc.message_en,
                "address": getattr(actor, "address", None),
            },
        )
    )
    session.commit()


def in_transaction(session: Session) -> bool:
    return session.info.get(_DEPTH, 0) > 0
