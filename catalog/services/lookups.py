"""Editable vocabularies: install the defaults, add and retire values."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlmodel import Session

from catalog.errors import InvalidInput, NotFound
from catalog.models import LookupValue
from catalog.services.changes import record_change, snapshot
from catalog.services.context import Actor
from catalog.services.permissions import require_admin
from catalog.services.tx import transaction

DEFAULT_LOOKUPS = Path(__file__).resolve().parent.parent / "data" / "lookups.yaml"


def ensure_default_lookups(session: Session, actor: Actor) -> int:
    """Install default values that are missing; never touches values already present."""
    doc = yaml.safe_load(DEFAULT_LOOKUPS.read_text(encoding="utf-8"))
    with transaction(session):
        present = set(session.execute(select(LookupValue.category, LookupValue.value)).all())
        added = 0
        for category, values in doc.items():
            for order, (value, label, label_en) in enumerate(values):
                if (category, value) in present:
                    continue
                obj = LookupValue(
                    category=category,
                    value=value,
                    label=label,
                    label_en=label_en,
                    sort_order=order * 10,
                )
                session.add(obj)
                session.flush()
                record_change(session, actor, "create", "lookup_value", obj, None, snapshot(obj))
                added += 1
        return added


def add_lookup_value(
    session: Session, actor: Actor, category: str, value: str, label: str, label_en: str | None
) -> LookupValue:
    value = value.strip()
    if not value or len(value) > 32 or not value.replace("_", "").isalnum():
        raise InvalidInput(
            f"Nilai '{value}' tidak sah: gunakan huruf, angka dan garis bawah (maks. 32).",
            f"Value '{value}' is invalid: use letters, digits and underscores (max 32).",
            field="value",
            value=value,
        )
    with transaction(session):
        require_admin(actor, "add_lookup", "mengubah daftar pilihan", "change lookup values")
        existing = session.execute(
            select(LookupValue).where(LookupValue.category == category, LookupValue.value == value)
        ).scalar_one_or_none()
        if existing is not None:
            if existing.is_active:
                raise InvalidInput(
                    f"Nilai '{value}' sudah ada pada '{category}'.",
                    f"Value '{value}' already exists in '{category}'.",
                    field="value",
                    value=value,
                )
            before = snapshot(existing)
            existing.is_active = True
            existing.label = label
            existing.label_en = label_en or label
            session.flush()
            record_change(
                session, actor, "restore", "lookup_value", existing, before, snapshot(existing)
            )
            return existing
        order = len(
            list(session.execute(select(LookupValue.id).where(LookupValue.category == category)))
        )
        obj = LookupValue(
            category=category,
            value=value,
            label=label,
            label_en=label_en or label,
            sort_order=order * 10,
        )
        session.add(obj)
        session.flush()
        record_change(session, actor, "create", "lookup_value", obj, None, snapshot(obj))
        return obj


def retire_lookup_value(session: Session, actor: Actor, category: str, value: str) -> LookupValue:
    """Stop offering a value for new input; items that carry it keep it."""
    with transaction(session):
        require_admin(actor, "retire_lookup", "mengubah daftar pilihan", "change lookup values")
        obj = session.execute(
            select(LookupValue).where(LookupValue.category == category, LookupValue.value == value)
        ).scalar_one_or_none()
        if obj is None:
            raise NotFound(
                f"Nilai '{value}' tidak ada pada '{category}'.",
                f"Value '{value}' does not exist in '{category}'.",
                field="value",
                value=value,
            )
        if obj.is_active:
            before = snapshot(obj)
            obj.is_active = False
            session.flush()
            record_change(session, actor, "retire", "lookup_value", obj, before, snapshot(obj))
        return obj
