"""Building an item form from the kind table: its inputs, their widgets and choices
(units, applications, SPL, data sets, lookup values, reference codes).

Each choice list is one query on a few columns. Retired choices are left out unless the
item already holds them, so that an edit shows (and keeps) what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import or_, select
from sqlmodel import Session

from catalog.access import Principal, visible_clause
from catalog.enums import InfraType, NationalRole, choices
from catalog.kinds import KindSpec
from catalog.models import (
    Application,
    DataSet,
    InfrastructureItem,
    Instansi,
    LookupValue,
    Organisation,
    ReferenceNode,
    ReferenceSet,
)
from catalog.services.items import editable_fields
from web.pages.forms import FormField, ItemForm, core_type, enum_of, is_curator, label_of

Options = list[tuple[str, str]]

TEXTAREAS = frozenset(
    {
        "description",
        "purpose",
        "function",
        "goal",
        "indicator",
        "result",
        "follow_up",
        "specification",
        "legal_basis",
        "output",
    }
)
APP_FIELDS = frozenset({"provider_id", "consumer_id", "authoritative_application_id"})
# Inputs in the order a person fills them in; the rest follow in the model's order.
FIRST = (
    "name",
    "code",
    "acronym",
    "aliases",
    "owner_id",
    "provider_id",
    "consumer_id",
    "consumer_external",
    "intermediary_id",
    "data_set_ids",
    "reference_code",
    "status",
    "description",
)
# The import key is set by imports; the instansi follows from the owner.
NOT_TYPED = frozenset({"source_key", "instansi_id"})


@dataclass
class Keep:
    """Ids an item already refers to, offered even when retired."""

    owner: int | None = None
    units: set[int] = field(default_factory=set)
    apps: set[int] = field(default_factory=set)
    infra: set[int] = field(default_factory=set)
    datasets: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, spec: KindSpec, current: Mapping[str, Any]) -> Keep:
        def ids(*names: str) -> set[int]:
            return {current[n] for n in names if isinstance(current.get(n), int)}

        return cls(
            owner=current.get("owner_id"),
            units=ids("owner_id", *spec.unit_fields),
            apps=ids("provider_id", "consumer_id", "authoritative_application_id"),
            infra=ids("intermediary_id"),
            datasets=set(current.get("data_set_ids") or []),
        )


def _kept(column: Any, retired: Any, keep: set[int]) -> Any:
    return or_(retired.is_(None), column.in_(keep)) if keep else retired.is_(None)


class Pickers:
    def __init__(
        self, session: Session, principal: Principal, instansi: Instansi, lang: str, keep: Keep
    ) -> None:
        self.session = session
        self.principal = principal
        self.instansi = instansi
        self.lang = lang
        self.keep = keep
        self._units: list[tuple[int, str, str, bool]] | None = None

    def _unit_rows(self) -> list[tuple[int, str, str, bool]]:
        if self._units is None:
            rows = self.session.execute(
                select(
                    Organisation.id, Organisation.name, Organisation.path, Organisation.retired_at
                )
                .where(
                    Organisation.instansi_id == self.instansi.id,
                    _kept(Organisation.id, Organisation.retired_at, self.keep.units),
                )
                .order_by(Organisation.path)
            )
            self._units = [(i, n, p, r is not None) for i, n, p, r in rows]
        return self._units

    def _unit_option(self, org_id: int, name: str, path: str, retired: bool) -> tuple[str, str]:
        # Sub-units are indented under their OPD: the list is ordered by tree path.
        depth = path.count("/") - 2
        text = "\u2003" * depth + name
        if retired:
            text += " (tidak aktif)" if self.lang != "en" else " (retired)"
        return str(org_id), text

    def units(self) -> Options:
        return [self._unit_option(*row) for row in self._unit_rows()]

    def owners(self) -> Options:
        """Units the person may register items for (plus the item's own owner)."""
        inst = self.instansi.id
        return [
            self._unit_option(i, n, p, r)
            for i, n, p, r in self._unit_rows()
            if i == self.keep.owner or (not r and self.principal.can_write(inst, p))  # type: ignore[arg-type]
        ]

    def applications(self) -> list[tuple[str, Options]]:
        """The instansi's applications, then the national ones every region may link to."""
        rows = self.session.execute(
            select(Application.id, Application.name, Application.code, Application.instansi_id)
            .where(
                or_(
                    Application.instansi_id == self.instansi.id,
                    Application.national_role != NationalRole.NONE,
                    Application.id.in_(self.keep.apps),
                ),
                _kept(Application.id, Application.retired_at, self.keep.apps),
                visible_clause(self.principal, "application", Application),
            )
            .order_by(Application.name)
        ).all()
        own = [(str(i), f"{n} · {c}") for i, n, c, inst in rows if inst == self.instansi.id]
        others = [(str(i), f"{n} · {c}") for i, n, c, inst in rows if inst != self.instansi.id]
        # Group labels are message ids: the template translates them.
        return [("Aplikasi instansi ini", own), ("Aplikasi nasional dan lainnya", others)]

    def spl(self) -> Options:
        model: Any = InfrastructureItem
        rows = self.session.execute(
            select(model.id, model.name, model.code)
            .where(
                or_(
                    (model.instansi_id == self.instansi.id) & (model.infra_type == InfraType.SPL),
                    model.id.in_(self.keep.infra),
                ),
                _kept(model.id, model.retired_at, self.keep.infra),
            )
            .order_by(model.name)
        )
        return [(str(i), f"{n} · {c}") for i, n, c in rows]

    def datasets(self) -> Options:
        model: Any = DataSet
        rows = self.session.execute(
            select(model.id, model.name, model.code)
            .where(
                or_(model.instansi_id == self.instansi.id, model.id.in_(self.keep.datasets)),
                _kept(model.id, model.retired_at, self.keep.datasets),
                visible_clause(self.principal, "dataset", model),
            )
            .order_by(model.name)
        )
        return [(str(i), f"{n} · {c}") for i, n, c in rows]

    def lookup(self, category: str, current: Any) -> Options:
        """Active values of a lookup category, plus a retired one the item holds."""
        rows = self.session.execute(
            select(LookupValue)
            .where(
                LookupValue.category == category,
                or_(LookupValue.is_active.is_(True), LookupValue.value == str(current or "")),
            )
            .order_by(LookupValue.sort_order, LookupValue.label)
        ).scalars()
        out = []
        for r in rows:
            text = r.label_en if self.lang == "en" else r.label
            if not r.is_active:
                text += " (tidak aktif)" if self.lang != "en" else " (inactive)"
            out.append((r.value, text))
        return out

    def references(self, scheme: str) -> Options:
        """Codes of the active reference set and the instansi's local codes of a scheme."""
        active = select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True)).scalar_subquery()
        rows = self.session.execute(
            select(ReferenceNode.code, ReferenceNode.name)
            .where(
                ReferenceNode.scheme == scheme,
                ReferenceNode.status == "active",
                or_(
                    ReferenceNode.set_id == active,
                    (ReferenceNode.set_id.is_(None))
                    & (ReferenceNode.instansi_id == self.instansi.id),
                ),
            )
            .order_by(ReferenceNode.code)
        )
        return [(c, n) for c, n in rows]


# -- the form of a kind ---------------------------------------------------------------------


def form_fields(spec: KindSpec, *, curator: bool) -> list[str]:
    """The inputs of a kind's form. Marking an item internal is for the instansi's
    architects; others do not see the box (the service would refuse it anyway)."""
    names = editable_fields(spec) - NOT_TYPED
    if not curator:
        names.discard("is_internal")
    model_order = [*spec.base.model_fields, *spec.unit_fields, *sorted(names)]
    ordered = [n for n in FIRST if n in names]
    ordered += [n for n in dict.fromkeys(model_order) if n in names and n not in ordered]
    if "is_internal" in ordered:  # a rarely used switch: last
        ordered.remove("is_internal")
        ordered.append("is_internal")
    return ordered


def build_form(
    session: Session,
    principal: Principal,
    spec: KindSpec,
    instansi: Instansi,
    lang: str,
    current: Mapping[str, Any] | None = None,
) -> ItemForm:
    """An empty form (defaults filled in) or one showing ``current`` values. Choices
    that are no longer offered (a retired unit or lookup value) stay selectable when the
    item already holds them, so that saving an unrelated change does not fail."""
    current = current or {}
    names = form_fields(spec, curator=is_curator(principal, instansi.id))  # type: ignore[arg-type]
    keep = Keep.of(spec, current)
    fields = [_field(spec, name) for name in names]
    form = ItemForm(spec, instansi, fields, version=current.get("version"))
    pick = Pickers(session, principal, instansi, lang, keep)
    for f in fields:
        if f.widget == "reference":
            form.references = pick.references(spec.scheme)  # type: ignore[arg-type]
        elif f.widget in ("select", "multiselect"):
            f.groups = _choices(spec, f.name, pick, current.get(f.name))
            f.blank = _blank(spec, f)
            if f.name == "owner_id" and f.required and len(f.groups[0][1]) == 1:
                f.blank = None  # one unit to choose from: nothing to choose
    if current:
        form.fill(current)
    else:
        form.fill(_defaults(spec, names))
        owner = form.get("owner_id")
        if owner is not None and owner.blank is None and owner.groups[0][1]:
            owner.value = owner.groups[0][1][0][0]
    return form


def _field(spec: KindSpec, name: str) -> FormField:
    info = spec.base.model_fields.get(name)
    core = core_type(info.annotation) if info is not None else None
    nullable = info is None or info.default is None or name in ("name", "code")
    if name in ("aliases", "former_urls"):
        widget = "lines"
    elif name in TEXTAREAS:
        widget = "textarea"
    elif name == "reference_code":
        widget = "reference"
    elif name == "data_set_ids":
        widget = "multiselect"
    elif (
        name in ("owner_id", "intermediary_id")
        or name in spec.unit_fields
        or name in APP_FIELDS
        or name in spec.lookup_fields
        or enum_of(spec, name)
    ):
        widget = "select"
    elif core is bool:
        widget = "checkbox"
    elif core is int:
        widget = "number"
    elif core is date:
        widget = "date"
    else:
        widget = "text"
    maxlength = None
    for meta in getattr(info, "metadata", []) if info is not None else []:
        maxlength = getattr(meta, "max_length", None) or maxlength
    required = (
        name == "name"
        or name == "provider_id"
        or (name == "owner_id" and spec.key != "integration")
    )
    return FormField(
        name, label_of(name), widget, required=required, maxlength=maxlength, nullable=nullable
    )


def _defaults(spec: KindSpec, names: list[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        info = spec.base.model_fields.get(name)
        if info is not None and info.default not in (None, PydanticUndefined):
            out[name] = info.default
    return out


def _blank(spec: KindSpec, f: FormField) -> str | None:
    if f.widget == "multiselect" or enum_of(spec, f.name):
        return None
    if f.name == "owner_id":
        return "(otomatis: OPD aplikasi Anda)" if spec.key == "integration" else "— pilih —"
    if f.name == "intermediary_id":
        return "Tanpa SPL (titik ke titik)"
    return "—"


def _choices(spec: KindSpec, name: str, pick: Pickers, current: Any) -> list[tuple[str, Options]]:
    enum = enum_of(spec, name)
    if enum is not None:
        return [("", choices(enum, pick.lang))]
    if name == "owner_id":
        return [("", pick.owners())]
    if name in spec.unit_fields:
        return [("", pick.units())]
    if name in APP_FIELDS:
        return pick.applications()
    if name == "intermediary_id":
        return [("", pick.spl())]
    if name == "data_set_ids":
        return [("", pick.datasets())]
    return [("", pick.lookup(spec.lookup_fields[name], current))]


__all__ = ["Keep", "Pickers", "build_form", "form_fields"]
