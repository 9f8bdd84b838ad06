"""Government bodies (instansi) and their units (OPD and sub-units)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, literal, select, update
from sqlmodel import Session

from catalog.errors import NotFound, ProblemList
from catalog.models import Instansi, InstansiBase, Organisation, OrganisationBase
from catalog.models.base import utcnow
from catalog.queries.scope import get_organisation
from catalog.services.changes import record_change, snapshot
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.permissions import deny, require_admin
from catalog.services.tx import transaction
from catalog.validation import problems_from_validation_error


def _validated(
    model: type,
    data: Mapping[str, Any],
    problems: ProblemList,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate ``data`` (over ``current`` values for a partial update); return the
    cleaned values of the fields that were given."""
    unknown = set(data) - set(model.model_fields) - {"parent_id", "instansi_id"}
    for key in sorted(unknown):
        problems.add(
            "field.unknown",
            f"Isian '{key}' tidak dikenal.",
            f"Field '{key}' is unknown.",
            key,
        )
    merged = {**(current or {}), **data}
    try:
        return model.model_validate(
            {k: (v.strip() if isinstance(v, str) else v) for k, v in merged.items()}
        ).model_dump(include=set(data) & set(model.model_fields))
    except ValidationError as exc:
        problems.problems.extend(problems_from_validation_error(exc, model))
        return {}


def create_instansi(session: Session, actor: Actor, data: Mapping[str, Any]) -> Instansi:
    with transaction(session):
        require_admin(actor, "create_instansi", "menambah instansi", "add an instansi")
        problems = ProblemList()
        clean = _validated(InstansiBase, data, problems)
        code = clean.get("code")
        if code and session.execute(select(Instansi.id).where(Instansi.code == code)).first():
            problems.add(
                "instansi.duplicate",
                f"Instansi dengan kode '{code}' sudah ada.",
                f"An instansi with code '{code}' already exists.",
                "code",
                code,
            )
        problems.raise_if_any()
        obj = Instansi(**clean)
        session.add(obj)
        session.flush()
        record_change(session, actor, "create", "instansi", obj, None, snapshot(obj))
        return obj


def get_instansi(session: Session, instansi_id: int) -> Instansi:
    obj = session.get(Instansi, instansi_id)
    if obj is None:
        raise NotFound(
            f"Instansi dengan id {instansi_id} tidak ditemukan.",
            f"Instansi with id {instansi_id} not found.",
            field="instansi_id",
            value=instansi_id,
        )
    return obj


def create_organisation(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    *,
    checker: Checker | None = None,
) -> Organisation:
    """Add an OPD (no parent) or a sub-unit (``parent_id`` given) to an instansi."""
    with transaction(session):
        checker = checker or Checker(session)
        problems = ProblemList()
        clean = _validated(OrganisationBase, data, problems)
        instansi_id = data.get("instansi_id")
        parent_id = data.get("parent_id")
        parent = checker.organisation(parent_id) if parent_id is not None else None
        if parent_id is not None and parent is None:
            problems.add(
                "organisation.parent_unknown",
                f"Unit induk dengan id {parent_id} tidak ada.",
                f"Parent unit with id {parent_id} does not exist.",
                "parent_id",
                parent_id,
            )
        if instansi_id is None and parent is not None:
            instansi_id = parent.instansi_id
        if instansi_id is None or checker.instansi(instansi_id) is None:
            problems.add(
                "organisation.instansi",
                f"Instansi {instansi_id or '(kosong)'} tidak ada; unit harus milik instansi.",
                f"Instansi {instansi_id or '(empty)'} does not exist; a unit needs one.",
                "instansi_id",
                instansi_id,
            )
        elif parent is not None and parent.instansi_id != instansi_id:
            problems.add(
                "organisation.parent_other_instansi",
                "Unit induk berada di instansi lain.",
                "The parent unit belongs to another instansi.",
                "parent_id",
                parent_id,
            )
        _check_kind(clean.get("kind"), checker, problems)
        code = clean.get("code")
        if code and instansi_id is not None:
            exists = session.execute(
                select(Organisation.id).where(
                    Organisation.instansi_id == instansi_id, Organisation.code == code
                )
            ).first()
            if exists:
                problems.add(
                    "organisation.duplicate",
                    f"Kode unit '{code}' sudah dipakai di instansi ini.",
                    f"Unit code '{code}' is already used in this instansi.",
                    "code",
                    code,
                )
        require_unit_write(actor, instansi_id, parent, "create_organisation")
        problems.raise_if_any()
        obj = Organisation(**clean, instansi_id=instansi_id, parent_id=parent_id)
        session.add(obj)
        session.flush()
        obj.path = f"{parent.path if parent else '/'}{obj.id}/"
        session.flush()
        checker.remember_organisation(obj)
        record_change(session, actor, "create", "organisation", obj, None, snapshot(obj))
        return obj


def require_unit_write(
    actor: Actor, instansi_id: int | None, parent: Organisation | None, action: str
) -> None:
    """Architects shape the whole tree; an operator may add or change units below their
    own unit (never their own unit or anything above it)."""
    p = actor.principal
    if instansi_id is None or p.is_admin or p.writable_all or instansi_id in p.writable:
        return
    if parent is not None and p.can_write(instansi_id, parent.path):
        return
    raise deny(
        actor,
        action,
        "Hanya arsitek instansi (atau operator, untuk unit di bawah OPD-nya) yang dapat "
        "mengubah susunan unit kerja.",
        "Only the instansi's architects (or operators, for units below their own) may "
        "change the unit tree.",
        kind="organisation",
        instansi_id=instansi_id,
    )


def _check_kind(kind: str | None, checker: Checker, problems: ProblemList) -> None:
    if kind is None:
        return
    known = checker.lookup_values("organisation_kind")
    if kind not in known:
        problems.add(
            "lookup.unknown",
            f"Jenis unit '{kind}' tidak dikenal. Pilihan: {', '.join(sorted(known))}.",
            f"Unknown unit kind '{kind}'. Choose one of: {', '.join(sorted(known))}.",
            "kind",
            kind,
        )


def update_organisation(
    session: Session,
    actor: Actor,
    org_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Organisation:
    with transaction(session):
        org = get_organisation(session, org_id)
        checker0 = Checker(session)
        require_unit_write(
            actor, org.instansi_id, checker0.organisation(org.parent_id), "update_organisation"
        )
        if expected_version is not None and org.version != expected_version:
            from catalog.errors import StaleVersion

            raise StaleVersion("Unit", org.code, expected_version, snapshot(org))
        problems = ProblemList()
        checker = Checker(session)
        current = {f: getattr(org, f) for f in OrganisationBase.model_fields}
        clean = _validated(OrganisationBase, changes, problems, current)
        _check_kind(clean.get("kind"), checker, problems)
        new_parent = changes.get("parent_id", org.parent_id)
        parent = checker.organisation(new_parent) if new_parent is not None else None
        if new_parent is not None and (
            parent is None
            or parent.instansi_id != org.instansi_id
            or parent.path.startswith(org.path)
        ):
            problems.add(
                "organisation.parent_invalid",
                "Unit induk tidak ada, berada di instansi lain, atau berada di bawah unit ini.",
                "The parent unit does not exist, belongs to another instansi, or lies below "
                "this unit.",
                "parent_id",
                new_parent,
            )
        if "code" in clean and clean["code"] != org.code:
            clash = session.execute(
                select(Organisation.id).where(
                    Organisation.instansi_id == org.instansi_id,
                    Organisation.code == clean["code"],
                )
            ).first()
            if clash:
                problems.add(
                    "organisation.duplicate",
                    f"Kode unit '{clean['code']}' sudah dipakai di instansi ini.",
                    f"Unit code '{clean['code']}' is already used in this instansi.",
                    "code",
                    clean["code"],
                )
        if new_parent != org.parent_id:
            require_unit_write(actor, org.instansi_id, parent, "update_organisation")
        problems.raise_if_any()
        before = snapshot(org)
        for key, value in clean.items():
            setattr(org, key, value)
        if new_parent != org.parent_id:
            old_path = org.path
            org.parent_id = new_parent
            org.path = f"{parent.path if parent else '/'}{org.id}/"
            # Move the whole subtree: every descendant's path starts with the old path.
            session.execute(
                update(Organisation)
                .where(Organisation.path.startswith(old_path), Organisation.id != org.id)
                .values(path=literal(org.path) + func.substr(Organisation.path, len(old_path) + 1))
                .execution_options(synchronize_session=False)
            )
        after = snapshot(org)
        if after == before:
            return org
        org.updated_at = utcnow()
        session.flush()
        record_change(session, actor, "update", "organisation", org, before, snapshot(org))
        return org


def retire_organisation(session: Session, actor: Actor, org_id: int) -> Organisation:
    """Mark a unit as dissolved; its items stay and show up as orphans in the analysis."""
    with transaction(session):
        org = get_organisation(session, org_id)
        require_unit_write(
            actor,
            org.instansi_id,
            Checker(session).organisation(org.parent_id),
            "retire_organisation",
        )
        if org.retired_at is None:
            before = snapshot(org)
            org.retired_at = utcnow()
            org.updated_at = utcnow()
            session.flush()
            record_change(session, actor, "retire", "organisation", org, before, snapshot(org))
        return org
