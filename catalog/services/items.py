"""Create, update, retire and restore catalogue items of every kind.

All kinds share one path: validate everything (reporting every problem at once), write,
refresh the search entry, record the change. Kind-specific rules live in
:mod:`catalog.services.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from catalog.access import SYSTEM
from catalog.enums import LifecycleStatus
from catalog.errors import InvalidInput, NotFound, ProblemList, StaleVersion
from catalog.kinds import KindSpec, get_kind
from catalog.models import ChangeRecord, IntegrationDataSet
from catalog.models.base import utcnow
from catalog.services import rules
from catalog.services.changes import record_change, snapshot
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.permissions import deny, require_curator, require_item_write
from catalog.services.search_index import index_item
from catalog.services.tx import transaction
from catalog.validation import problems_from_validation_error

# Columns a caller may set besides the kind's editable fields.
_SYSTEM_INPUT = ("instansi_id", "owner_id")
# Columns only the services themselves set.
_PROTECTED = frozenset({"id", "version", "created_at", "updated_at", "retired_at"})


def editable_fields(spec: KindSpec, *, trusted: bool = False) -> set[str]:
    """Every field a caller may give for a kind. Service-managed fields (such as the
    confirmations of an integration) are open only to trusted callers: the command line,
    the demo generator and system tasks."""
    fields = set(spec.base.model_fields) | set(_SYSTEM_INPUT) | set(spec.unit_fields)
    fields |= set(rules.extra_fields(spec.key))
    if not trusted:
        fields -= rules.managed_fields(spec.key)
    return fields


def is_trusted(actor: Actor) -> bool:
    return actor.principal is SYSTEM


def get_item(session: Session, kind: str, item_id: int) -> SQLModel:
    spec = get_kind(kind)
    obj = session.get(spec.model, item_id)
    if obj is None:
        raise NotFound(
            f"{spec.label} dengan id {item_id} tidak ditemukan.",
            f"{spec.label_en} with id {item_id} not found.",
            field="id",
            value=item_id,
        )
    return obj


def prepare(
    spec: KindSpec,
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None = None,
    *,
    trusted: bool = True,
) -> dict[str, Any]:
    """Validate input for a new item (``current`` None) or changes to an existing one.

    Returns the cleaned column values to write; problems go into ``problems``.
    """
    allowed = editable_fields(spec, trusted=trusted)
    for key in data:
        if key in _PROTECTED or key not in allowed:
            problems.add(
                "field.unknown",
                f"Isian '{key}' tidak dikenal atau tidak boleh diubah untuk {spec.label}.",
                f"Field '{key}' is unknown or read-only for {spec.label_en}.",
                key,
            )
    merged: dict[str, Any] = {}
    base_fields = spec.base.model_fields  # a computed property: read it once per call
    if current is not None:
        merged.update({f: getattr(current, f) for f in base_fields})
    merged.update({k: v for k, v in data.items() if k in base_fields})
    if not merged.get("code"):
        merged["code"] = "PLACEHOLDER"  # assigned below once the instansi is known
        auto_code = True
    else:
        auto_code = False
    for key in ("code", "name"):
        if isinstance(merged.get(key), str):
            merged[key] = merged[key].strip()
    try:
        clean = spec.base.model_validate(merged).model_dump()
    except ValidationError as exc:
        for p in problems_from_validation_error(exc, spec.base):
            problems.problems.append(p)
        clean = {k: merged.get(k) for k in base_fields}
    if not clean.get("name") and not any(p.field == "name" for p in problems.problems):
        problems.add(
            "field.missing", "Isian 'name' (Nama) wajib diisi.", "Field 'name' is required.", "name"
        )

    instansi_id, owner_id = _owner(spec, data, checker, problems, current)
    clean["instansi_id"] = instansi_id
    clean["owner_id"] = owner_id
    if instansi_id is not None:
        if auto_code:
            clean["code"] = checker.next_code(spec, instansi_id)
        elif (current is None or clean["code"] != current.code) and checker.code_exists(  # type: ignore[attr-defined]
            spec,
            instansi_id,
            clean["code"],
            exclude_id=current.id if current else None,  # type: ignore[attr-defined]
        ):
            problems.add(
                "code.duplicate",
                f"Kode '{clean['code']}' sudah dipakai {spec.label} lain di instansi ini. "
                "Pilih kode lain atau kosongkan agar dibuat otomatis.",
                f"Code '{clean['code']}' is already used by another {spec.label_en} in this "
                "instansi. Choose another code or leave it empty to have one assigned.",
                "code",
                clean["code"],
            )
    for field in spec.unit_fields:
        if field in data or current is None:
            clean[field] = _unit(field, data.get(field), instansi_id, checker, problems)
        else:
            clean[field] = getattr(current, field)
    for field, category in spec.lookup_fields.items():
        value = clean.get(field)
        if value is not None and (current is None or value != getattr(current, field)):
            known = checker.lookup_values(category)
            if value not in known:
                problems.add(
                    "lookup.unknown",
                    f"Nilai '{value}' tidak dikenal untuk '{field}'. Pilihan: "
                    f"{', '.join(sorted(known))}.",
                    f"Unknown value '{value}' for '{field}'. Choose one of: "
                    f"{', '.join(sorted(known))}.",
                    field,
                    value,
                )
    if spec.is_domain:
        clean["reference_code"] = rules.check_reference_code(
            spec,
            clean.get("reference_code"),
            instansi_id,
            checker,
            problems,
            previous=getattr(current, "reference_code", None) if current else None,
        )
    rules.check_kind(spec, clean, data, checker, problems, current)
    return clean


def _owner(
    spec: KindSpec,
    data: Mapping[str, Any],
    checker: Checker,
    problems: ProblemList,
    current: SQLModel | None,
) -> tuple[int | None, int | None]:
    instansi_id = data.get("instansi_id", current.instansi_id if current else None)  # type: ignore[attr-defined]
    owner_id = data.get("owner_id", current.owner_id if current else None)  # type: ignore[attr-defined]
    if current is not None and instansi_id != current.instansi_id:  # type: ignore[attr-defined]
        problems.add(
            "instansi.immutable",
            "Instansi sebuah item tidak dapat diubah; ekspor lalu impor ke instansi lain.",
            "An item's instansi cannot change; export it and import it into the other one.",
            "instansi_id",
            instansi_id,
        )
        return current.instansi_id, current.owner_id  # type: ignore[attr-defined]
    if owner_id is None:
        problems.add(
            "owner.missing",
            f"Isian 'owner_id' (OPD pemilik) wajib diisi untuk {spec.label}.",
            f"Field 'owner_id' (owning unit) is required for {spec.label_en}.",
            "owner_id",
        )
        return instansi_id, None
    org = checker.organisation(owner_id)
    if org is None:
        problems.add(
            "owner.unknown",
            f"OPD pemilik dengan id {owner_id} tidak ada.",
            f"Owning unit with id {owner_id} does not exist.",
            "owner_id",
            owner_id,
        )
        return instansi_id, None
    if instansi_id is None:
        instansi_id = org.instansi_id
    elif checker.instansi(instansi_id) is None:
        problems.add(
            "instansi.unknown",
            f"Instansi dengan id {instansi_id} tidak ada.",
            f"Instansi with id {instansi_id} does not exist.",
            "instansi_id",
            instansi_id,
        )
        return None, owner_id
    if org.instansi_id != instansi_id:
        problems.add(
            "owner.other_instansi",
            f"OPD '{org.code} {org.name}' bukan bagian dari instansi item ini.",
            f"Unit '{org.code} {org.name}' does not belong to this item's instansi.",
            "owner_id",
            owner_id,
        )
    elif org.retired_at is not None and (current is None or current.owner_id != owner_id):  # type: ignore[attr-defined]
        problems.add(
            "owner.retired",
            f"OPD '{org.code} {org.name}' sudah tidak aktif; pilih OPD yang masih ada.",
            f"Unit '{org.code} {org.name}' is retired; choose an existing unit.",
            "owner_id",
            owner_id,
        )
    return instansi_id, owner_id


def _unit(
    field: str, org_id: Any, instansi_id: int | None, checker: Checker, problems: ProblemList
) -> int | None:
    if org_id is None:
        return None
    org = checker.organisation(org_id)
    if org is None or (instansi_id is not None and org.instansi_id != instansi_id):
        problems.add(
            "unit.unknown",
            f"Unit dengan id {org_id} untuk '{field}' tidak ada di instansi ini.",
            f"Unit with id {org_id} for '{field}' does not exist in this instansi.",
            field,
            org_id,
        )
        return None
    return org_id


def create_item(
    session: Session,
    actor: Actor,
    kind: str,
    data: Mapping[str, Any],
    *,
    checker: Checker | None = None,
) -> SQLModel:
    """Register a new item. Raises :class:`InvalidInput` listing every problem."""
    spec = get_kind(kind)
    with transaction(session):
        checker = checker or Checker(session)
        _require_signed_in(actor, "create", spec)
        problems = ProblemList()
        trusted = is_trusted(actor)
        data = rules.default_owner(spec.key, data, checker, actor)
        clean = prepare(spec, data, checker, problems, trusted=trusted)
        authorize(actor, checker, spec, clean, None, "create")
        problems.raise_if_any()
        if not trusted:
            rules.set_confirmations(spec.key, clean, None, checker, actor)
        extras = rules.pop_extras(spec.key, clean, data)
        obj = spec.model(**clean)
        session.add(obj)
        session.flush()
        rules.write_extras(session, spec.key, obj, extras)
        checker.note_code(spec, obj.instansi_id, obj.code)  # type: ignore[attr-defined]
        index_item(session, spec, obj)
        record_change(
            session, actor, "create", spec.key, obj, None, full_snapshot(session, spec, obj)
        )
        return obj


def update_item(
    session: Session,
    actor: Actor,
    kind: str,
    item_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> SQLModel:
    """Change some fields of an item. With ``expected_version``, a write based on a stale
    read is refused with :class:`StaleVersion` carrying the current state."""
    spec = get_kind(kind)
    with transaction(session):
        obj = get_item(session, kind, item_id)
        _require_version(session, spec, obj, expected_version)
        before = full_snapshot(session, spec, obj)
        checker = Checker(session)
        _require_signed_in(actor, "update", spec, obj)
        authorize(actor, checker, spec, before, obj, "update")
        problems = ProblemList()
        trusted = is_trusted(actor)
        clean = prepare(spec, changes, checker, problems, current=obj, trusted=trusted)
        authorize(actor, checker, spec, clean, obj, "update")
        problems.raise_if_any()
        if not trusted:
            rules.set_confirmations(spec.key, clean, before, checker, actor, changes)
        extras = rules.pop_extras(spec.key, clean, changes)
        for key, value in clean.items():
            if getattr(obj, key) != value:
                setattr(obj, key, value)
        extras_changed = rules.write_extras(session, spec.key, obj, extras)
        if not session.is_modified(obj) and not extras_changed:
            return obj
        obj.updated_at = utcnow()  # type: ignore[attr-defined]
        _flush_checked(session, spec, obj, expected_version or before["version"])
        index_item(session, spec, obj)
        record_change(
            session, actor, "update", spec.key, obj, before, full_snapshot(session, spec, obj)
        )
        return obj


def retire_item(
    session: Session,
    actor: Actor,
    kind: str,
    item_id: int,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> SQLModel:
    """Withdraw an item from the catalogue without deleting it or its history."""
    spec = get_kind(kind)
    with transaction(session):
        obj = get_item(session, kind, item_id)
        _require_signed_in(actor, "retire", spec, obj)
        authorize(actor, Checker(session), spec, snapshot(obj), obj, "retire")
        _require_version(session, spec, obj, expected_version)
        if obj.retired_at is not None:  # type: ignore[attr-defined]
            return obj
        before = full_snapshot(session, spec, obj)
        obj.retired_at = utcnow()  # type: ignore[attr-defined]
        obj.status = LifecycleStatus.RETIRED  # type: ignore[attr-defined]
        obj.updated_at = utcnow()  # type: ignore[attr-defined]
        _flush_checked(session, spec, obj, before["version"])
        record_change(
            session, actor, "retire", spec.key, obj, before, full_snapshot(session, spec, obj), note
        )
        return obj


def restore_item(
    session: Session,
    actor: Actor,
    kind: str,
    item_id: int,
    *,
    expected_version: int | None = None,
) -> SQLModel:
    """Bring a retired item back with the status it had before it was retired."""
    spec = get_kind(kind)
    with transaction(session):
        obj = get_item(session, kind, item_id)
        _require_signed_in(actor, "restore", spec, obj)
        authorize(actor, Checker(session), spec, snapshot(obj), obj, "restore")
        _require_version(session, spec, obj, expected_version)
        if obj.retired_at is None:  # type: ignore[attr-defined]
            return obj
        before = full_snapshot(session, spec, obj)
        last_retire = session.execute(
            select(ChangeRecord.before)
            .where(
                ChangeRecord.object_kind == spec.key,
                ChangeRecord.object_id == item_id,
                ChangeRecord.action == "retire",
            )
            .order_by(ChangeRecord.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        previous = (last_retire or {}).get("status") or LifecycleStatus.INACTIVE.value
        obj.retired_at = None  # type: ignore[attr-defined]
        obj.status = previous  # type: ignore[attr-defined]
        obj.updated_at = utcnow()  # type: ignore[attr-defined]
        _flush_checked(session, spec, obj, before["version"])
        record_change(
            session, actor, "restore", spec.key, obj, before, full_snapshot(session, spec, obj)
        )
        return obj


def _require_version(session: Session, spec: KindSpec, obj: SQLModel, expected: int | None) -> None:
    if expected is not None and obj.version != expected:  # type: ignore[attr-defined]
        raise StaleVersion(spec.label, obj.code, expected, full_snapshot(session, spec, obj))  # type: ignore[attr-defined]


def _require_signed_in(actor: Actor, action: str, spec: KindSpec, obj: Any = None) -> None:
    if not actor.principal.can_write_somewhere():
        raise deny(
            actor,
            action,
            f"Akun ini tidak memiliki hak mengubah {spec.label}.",
            f"This account has no right to change a {spec.label_en}.",
            kind=spec.key,
            object_id=getattr(obj, "id", None),
            instansi_id=getattr(obj, "instansi_id", None),
        )


def authorize(
    actor: Actor,
    checker: Checker,
    spec: KindSpec,
    values: Mapping[str, Any],
    current: Any,
    action: str,
) -> None:
    """May the actor write an item with these values (instansi, owner, sides)?"""
    if actor.principal is SYSTEM:
        return
    object_id = getattr(current, "id", None)
    if spec.key == "integration":
        rules.require_integration_side(actor, checker, values, action, object_id)
        return
    require_item_write(
        actor,
        checker,
        spec.label,
        spec.label_en,
        values.get("instansi_id"),
        values.get("owner_id"),
        action=action,
        kind=spec.key,
        object_id=object_id,
    )
    was_internal = bool(getattr(current, "is_internal", False)) if current is not None else False
    if bool(values.get("is_internal")) != was_internal:
        require_curator(
            actor,
            values.get("instansi_id"),
            "mark_internal",
            "menandai item sebagai internal",
            "mark an item internal",
        )


def _flush_checked(session: Session, spec: KindSpec, obj: SQLModel, expected: int) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        current = session.get(spec.model, obj.id)  # type: ignore[attr-defined]
        raise StaleVersion(
            spec.label,
            obj.code,  # type: ignore[attr-defined]
            expected,
            full_snapshot(session, spec, current) if current else {},
        ) from exc


def full_snapshot(session: Session, spec: KindSpec, obj: SQLModel) -> dict[str, Any]:
    """Column values plus the kind's linked values (e.g. data sets an integration carries)."""
    extra: dict[str, Any] | None = None
    if spec.key == "integration":
        ids = session.execute(
            select(IntegrationDataSet.data_set_id)
            .where(IntegrationDataSet.integration_id == obj.id)  # type: ignore[attr-defined]
            .order_by(IntegrationDataSet.data_set_id)
        ).scalars()
        extra = {"data_set_ids": list(ids)}
    return snapshot(obj, extra)


__all__ = [
    "InvalidInput",
    "create_item",
    "editable_fields",
    "full_snapshot",
    "get_item",
    "prepare",
    "restore_item",
    "retire_item",
    "update_item",
]
