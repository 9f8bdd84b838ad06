"""Item forms: the inputs a person sees, and turning what a browser posts back into the
values a service takes (the inputs and their choices are built in ``web.pages.pickers``).

The services validate everything that matters; this module only turns text into the
types they expect (numbers, dates, ids), so that a typo in a number is reported next to
its input instead of reaching a rule that cannot read it.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from catalog.access import Principal, can_see
from catalog.errors import Forbidden, NotFound, Problem
from catalog.kinds import KindSpec
from catalog.models import Application, Instansi, Organisation
from web.labels import FIELD_LABELS

# Labels of inputs that web/labels.py names without the "_id" or not at all.
EXTRA_LABELS = {
    "data_set_ids": "Data yang dipertukarkan",
    "retired_at": "Dihentikan",
    "provider_confirmed_at": "Dikonfirmasi penyedia pada",
    "consumer_confirmed_at": "Dikonfirmasi penerima pada",
    "type": "Jenis relasi",
    "source_id": "Item asal",
    "target_id": "Item tujuan",
    "source_kind": "Jenis item asal",
    "target_kind": "Jenis item tujuan",
    "note": "Catatan",
}
_CODE = re.compile(r"^[A-Za-z]{3}(?:\.[0-9A-Za-z]+)+$")


def label_of(name: str) -> str:
    """Indonesian label (a message id) of a field or column name."""
    return (
        FIELD_LABELS.get(name)
        or FIELD_LABELS.get(name.removesuffix("_id"))
        or EXTRA_LABELS.get(name)
        or name
    )


def core_type(annotation: Any) -> Any:
    """``int`` for ``int | None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if args else annotation
    return annotation


def enum_of(spec: KindSpec, name: str) -> type[StrEnum] | None:
    info = spec.base.model_fields.get(name)
    core = core_type(info.annotation) if info is not None else None
    return core if isinstance(core, type) and issubclass(core, StrEnum) else None


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # text textarea lines number date checkbox select multiselect reference
    value: Any = ""
    # (group label or "", [(value, text)]); one group without a label for plain selects.
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    required: bool = False
    blank: str | None = None  # text of the empty option of a select, if it has one
    maxlength: int | None = None
    nullable: bool = True
    problems: list[Problem] = field(default_factory=list)

    def option_text(self, value: Any) -> str:
        wanted = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        texts = [t for _, opts in self.groups for v, t in opts if v in wanted]
        return ", ".join(texts) if texts else ("" if value in (None, "", []) else str(value))


@dataclass
class ItemForm:
    spec: KindSpec
    instansi: Instansi
    fields: list[FormField]
    references: list[tuple[str, str]] = field(default_factory=list)
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)  # not tied to one input

    def get(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def attach(self, problems: Iterable[Problem]) -> None:
        """Each problem next to its input; the others at the top of the form."""
        for p in problems:
            target = self.get(p.field) if p.field else None
            (target.problems if target else self.problems).append(p)

    @property
    def has_problems(self) -> bool:
        return bool(self.problems) or any(f.problems for f in self.fields)

    def fill(self, values: Mapping[str, Any]) -> None:
        """Show stored values (an item's columns, or a change record's snapshot)."""
        for f in self.fields:
            if f.name in values:
                f.value = to_form_value(f, values[f.name], self.references)

    def read(self, posted: Any) -> None:
        """Show what the browser sent, exactly as typed."""
        for f in self.fields:
            if f.widget == "checkbox":
                f.value = f.name in posted
            elif f.widget == "multiselect":
                f.value = [str(v) for v in posted.getlist(f.name)]
            else:
                # Browsers send line breaks as CRLF; the catalogue stores plain newlines.
                f.value = str(posted.get(f.name, "")).replace("\r\n", "\n")

    def parse(self, *, editing: bool) -> tuple[dict[str, Any], list[Problem]]:
        """The values to give a service, and the inputs that could not be read."""
        data: dict[str, Any] = {}
        problems: list[Problem] = []
        for f in self.fields:
            try:
                value = _parse(f, self.references)
            except ValueError as exc:
                problems.append(_problem(f, str(exc)))
                continue
            if value is None and not f.nullable:
                continue  # keep the default (new item) or the stored value (edit)
            if f.name == "code" and not value and editing:
                continue  # an emptied code keeps the old one rather than getting a new one
            data[f.name] = value
        return data, problems

    def differences(self, current: Mapping[str, Any]) -> list[tuple[FormField, str, str]]:
        """Inputs whose typed value differs from the stored one: (input, stored, typed)."""
        out = []
        for f in self.fields:
            if f.name not in current:
                continue
            stored = to_form_value(f, current[f.name], self.references)
            if _same(f, stored, f.value):
                continue
            out.append((f, _shown(f, stored), _shown(f, f.value)))
        return out


def _same(f: FormField, a: Any, b: Any) -> bool:
    if f.widget == "checkbox":
        return bool(a) == bool(b)
    if f.widget == "multiselect":
        return sorted(a or []) == sorted(b or [])
    if f.widget == "reference":
        return _reference_code(str(a)) == _reference_code(str(b))
    return str(a or "").strip() == str(b or "").strip()


def _shown(f: FormField, value: Any) -> str:
    if f.widget == "checkbox":
        return "✓" if value else "—"
    if f.widget in ("select", "multiselect"):
        return f.option_text(value)
    return str(value or "")


def to_form_value(f: FormField, value: Any, references: list[tuple[str, str]]) -> Any:
    if f.widget == "checkbox":
        return bool(value)
    if f.widget == "multiselect":
        return [str(v) for v in value or []]
    if f.widget == "lines":
        return "\n".join(value or [])
    if value is None:
        return ""
    if f.widget == "reference":
        names = dict(references)
        return f"{value} — {names[value]}" if value in names else str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _reference_code(text: str) -> str:
    head = text.split("—")[0].strip()
    return head.split()[0].upper() if head else ""


def _parse(f: FormField, references: list[tuple[str, str]]) -> Any:
    raw = f.value
    if f.widget == "checkbox":
        return bool(raw)
    if f.widget == "multiselect":
        return sorted({_id(v) for v in raw if v})
    text = str(raw).strip()
    if f.widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if f.name in ("name", "code"):
        return text  # the service names a missing name; an empty code gets one assigned
    if not text:
        return None
    if f.widget == "number":
        digits = re.sub(r"[\s.]", "", text.removeprefix("Rp").strip())
        if not re.fullmatch(r"-?\d+", digits):
            raise ValueError("number")
        return int(digits)
    if f.widget == "date":
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("date") from exc
    if f.widget == "reference":
        return resolve_reference(text, references)
    if f.widget == "select" and f.name.endswith("_id"):
        return _id(text)
    return text


def _id(text: str) -> int:
    if not str(text).isdigit():
        raise ValueError("choice")
    return int(text)


def resolve_reference(text: str, references: list[tuple[str, str]]) -> str:
    """A code as typed or picked ("RAA.02.02 — name"), or the one code whose name
    contains the words typed: the picker is searchable by name even without a browser
    that shows suggestions."""
    code = _reference_code(text)
    if _CODE.match(code):
        return code
    words = text.lower().split()
    found = [(c, n) for c, n in references if all(w in n.lower() for w in words)]
    exact = [(c, n) for c, n in found if n.lower() == text.lower()]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0][0]
    shown = "; ".join(f"{c} — {n}" for c, n in found[:5])
    raise ValueError(f"reference:{len(found)}:{shown}")


_MESSAGES = {
    "number": ("harus berupa bilangan bulat", "must be a whole number"),
    "date": ("harus tanggal berformat TTTT-BB-HH", "must be a date in YYYY-MM-DD format"),
    "choice": ("bukan pilihan yang sah", "is not a valid choice"),
}


def _problem(f: FormField, reason: str) -> Problem:
    if reason.startswith("reference:"):
        _, count, shown = reason.split(":", 2)
        if count == "0":
            return Problem(
                "reference.not_found",
                f"Tidak ada kode referensi yang kode atau namanya cocok dengan '{f.value}'.",
                f"No reference code matches '{f.value}' by code or name.",
                f.name,
                f.value,
            )
        return Problem(
            "reference.ambiguous",
            f"Ada {count} kode referensi yang cocok dengan '{f.value}': {shown}. Pilih satu.",
            f"{count} reference codes match '{f.value}': {shown}. Choose one.",
            f.name,
            f.value,
        )
    text, text_en = _MESSAGES[reason]
    return Problem(
        f"form.{reason}",
        f"Isian '{f.name}' ({f.label}) {text}, bukan '{f.value}'.",
        f"Field '{f.name}' ({f.label}) {text_en}, not '{f.value}'.",
        f.name,
        f.value,
    )


async def posted_form(request: Request) -> FormData:
    """The posted form, read before a (synchronous) page handler runs."""
    return await request.form()


FormDep = Annotated[FormData, Depends(posted_form)]


# -- what a person may do ------------------------------------------------------------------


def no_write_right(what: str, what_en: str) -> Forbidden:
    return Forbidden(
        f"Akun ini tidak berhak {what}.",
        f"This account may not {what_en}.",
        field="permission",
        value="write",
    )


def require_writer(principal: Principal) -> None:
    if principal.can_write_somewhere():
        return
    if not principal.is_authenticated:
        raise Forbidden(
            "Masuk terlebih dahulu untuk mengisi katalog.",
            "Sign in first to add to the catalogue.",
            field="permission",
            value="write",
        )
    raise no_write_right("mengisi katalog", "add to the catalogue")


def is_curator(principal: Principal, instansi_id: int) -> bool:
    return principal.is_admin or principal.writable_all or instansi_id in principal.writable


def _unit_writable(session: Session, principal: Principal, instansi_id: int, org_id: Any) -> bool:
    org = session.get(Organisation, org_id) if org_id is not None else None
    return principal.can_write(instansi_id, org.path if org is not None else None)


def may_write(session: Session, principal: Principal, spec: KindSpec, obj: Any) -> bool:
    """Whether to offer the person the edit form and buttons of an item: the same rule
    the services apply (an integration also to the operators of either side)."""
    if principal is None or not principal.can_write_somewhere():
        return False
    if _unit_writable(session, principal, obj.instansi_id, obj.owner_id):
        return True
    return spec.key == "integration" and bool(writable_sides(session, principal, obj))


def writable_sides(session: Session, principal: Principal, integ: Any) -> list[str]:
    """The sides of an integration ("provider", "consumer") the person represents."""
    sides = []
    for side in ("provider", "consumer"):
        app = session.get(Application, getattr(integ, f"{side}_id") or -1)
        if app is not None and _unit_writable(session, principal, app.instansi_id, app.owner_id):
            sides.append(side)
    return sides


def visible_item(session: Session, principal: Principal, spec: KindSpec, item_id: int) -> Any:
    """The item, or NotFound when it does not exist or the person may not see it."""
    obj = session.get(spec.model, item_id)
    if obj is None or not can_see(principal, spec.key, obj):
        raise NotFound(
            f"{spec.label} dengan id {item_id} tidak ditemukan.",
            f"{spec.label_en} with id {item_id} not found.",
            field="id",
            value=item_id,
        )
    return obj


__all__ = [
    "FormDep",
    "FormField",
    "ItemForm",
    "core_type",
    "enum_of",
    "is_curator",
    "label_of",
    "may_write",
    "no_write_right",
    "require_writer",
    "visible_item",
    "writable_sides",
]
