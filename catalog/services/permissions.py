"""Permission checks that every writing service calls before it writes.

A refusal raises :class:`~catalog.errors.Forbidden`; the transaction is rolled back and the
attempt is written to the audit log (see :mod:`catalog.services.tx`).
"""

from __future__ import annotations

from catalog.errors import Forbidden
from catalog.services.checker import Checker
from catalog.services.context import Actor


def deny(
    actor: Actor,
    action: str,
    message: str,
    message_en: str,
    *,
    kind: str | None = None,
    object_id: int | None = None,
    instansi_id: int | None = None,
) -> Forbidden:
    if not actor.principal.is_authenticated:
        message = "Masuk terlebih dahulu untuk mengubah katalog. " + message
        message_en = "Sign in first to change the catalogue. " + message_en
    error = Forbidden(message, message_en, field="permission", value=action)
    error.audit = {  # type: ignore[attr-defined]
        "action": action,
        "object_kind": kind,
        "object_id": object_id,
        "instansi_id": instansi_id,
    }
    error.actor = actor  # type: ignore[attr-defined]
    return error


def unit_path(checker: Checker, org_id: int | None) -> str | None:
    org = checker.organisation(org_id)
    return org.path if org is not None else None


def unit_name(checker: Checker, org_id: int | None) -> str:
    org = checker.organisation(org_id)
    return f"{org.code} {org.name}" if org is not None else str(org_id)


def require_item_write(
    actor: Actor,
    checker: Checker,
    kind_label: str,
    kind_label_en: str,
    instansi_id: int | None,
    owner_id: int | None,
    *,
    action: str,
    kind: str,
    object_id: int | None = None,
) -> None:
    if instansi_id is None:
        return  # the input is invalid anyway; validation reports it
    if actor.principal.can_write(instansi_id, unit_path(checker, owner_id)):
        return
    raise deny(
        actor,
        action,
        f"Anda tidak berwenang mengubah {kind_label} milik {unit_name(checker, owner_id)}: "
        "operator hanya dapat mengubah item OPD-nya sendiri dan unit di bawahnya.",
        f"You may not change a {kind_label_en} owned by {unit_name(checker, owner_id)}: "
        "operators change only the items of their own unit and the units below it.",
        kind=kind,
        object_id=object_id,
        instansi_id=instansi_id,
    )


def require_curator(
    actor: Actor, instansi_id: int | None, action: str, what: str, what_en: str
) -> None:
    """Architects of the instansi (and admins) only."""
    p = actor.principal
    if p.is_admin or p.writable_all or (instansi_id is not None and instansi_id in p.writable):
        return
    raise deny(
        actor,
        action,
        f"Hanya arsitek instansi atau administrator yang dapat {what}.",
        f"Only the instansi's architects or an administrator may {what_en}.",
        instansi_id=instansi_id,
    )


def require_admin(actor: Actor, action: str, what: str, what_en: str) -> None:
    if actor.principal.is_admin:
        return
    raise deny(
        actor,
        action,
        f"Hanya administrator yang dapat {what}.",
        f"Only an administrator may {what_en}.",
    )


__all__ = ["deny", "require_admin", "require_curator", "require_item_write", "unit_path"]
