"""Integrations waiting for a side's confirmation, as one principal sees them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.models import Application, Integration, Organisation


def _sides_writable(principal: Principal, app: Any, org: Any) -> Any:
    """SQL: the application (joined with its owner unit) may be written by the principal."""
    if principal.is_admin or principal.writable_all:
        return app.id.is_not(None)
    conds = [app.instansi_id.in_(principal.writable)] if principal.writable else []
    conds += [
        and_(app.instansi_id == inst, org.path.startswith(path)) for inst, path in principal.units
    ]
    return or_(*conds) if conds else false()


def pending_confirmations(
    session: Session, principal: Principal, limit: int = 200
) -> list[Integration]:
    """Integrations one of whose sides the principal represents and has not confirmed."""
    provider, consumer = aliased(Application), aliased(Application)
    p_org, c_org = aliased(Organisation), aliased(Organisation)
    stmt = (
        select(Integration)
        .join(provider, provider.id == Integration.provider_id)
        .join(p_org, p_org.id == provider.owner_id)
        .outerjoin(consumer, consumer.id == Integration.consumer_id)
        .outerjoin(c_org, c_org.id == consumer.owner_id)
        .where(
            Integration.retired_at.is_(None),
            visible_clause(principal, "integration", Integration),
            or_(
                and_(
                    Integration.confirmed_by_provider.is_(False),
                    _sides_writable(principal, provider, p_org),
                ),
                and_(
                    Integration.consumer_id.is_not(None),
                    Integration.confirmed_by_consumer.is_(False),
                    _sides_writable(principal, consumer, c_org),
                ),
            ),
        )
        .order_by(Integration.instansi_id, Integration.code)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())
