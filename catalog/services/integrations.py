"""Confirming an integration: the other side's word that the link really exists."""

from __future__ import annotations

from sqlmodel import Session

from catalog.kinds import KINDS
from catalog.models import Integration
from catalog.models.base import utcnow
from catalog.services.changes import record_change
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.items import full_snapshot, get_item
from catalog.services.permissions import deny
from catalog.services.rules import side_writable
from catalog.services.tx import transaction


def confirm_integration(session: Session, actor: Actor, integration_id: int) -> Integration:
    """Confirm every side of the integration that the actor represents."""
    with transaction(session):
        integ = get_item(session, "integration", integration_id)
        assert isinstance(integ, Integration)
        checker = Checker(session)
        sides = [
            (flag, stamp)
            for side, flag, stamp in (
                ("provider_id", "confirmed_by_provider", "provider_confirmed_at"),
                ("consumer_id", "confirmed_by_consumer", "consumer_confirmed_at"),
            )
            if side_writable(actor, checker, getattr(integ, side))
        ]
        if not sides:
            raise deny(
                actor,
                "confirm",
                "Hanya operator OPD pemilik aplikasi penyedia atau penerima (atau arsitek) "
                "yang dapat mengonfirmasi integrasi ini.",
                "Only operators of the unit owning the provider or consumer application (or "
                "an architect) may confirm this integration.",
                kind="integration",
                object_id=integration_id,
                instansi_id=integ.instansi_id,
            )
        pending = [(f, s) for f, s in sides if not getattr(integ, f)]
        if not pending:
            return integ
        before = full_snapshot(session, KINDS["integration"], integ)
        now = utcnow()
        for flag, stamp in pending:
            setattr(integ, flag, True)
            setattr(integ, stamp, now)
        integ.updated_at = now
        session.flush()
        record_change(
            session,
            actor,
            "confirm",
            "integration",
            integ,
            before,
            full_snapshot(session, KINDS["integration"], integ),
        )
        return integ
