"""Who may read and write what.

A :class:`Principal` is what the catalogue knows about the person or script behind a
request: their roles, each scoped to an instansi (or, for admin and national roles, to
everything) and, for operators, to one unit subtree. The services ask it before every
write; the queries use :func:`visible_clause` so that lists, details, search and counts
never show the public what is restricted.

Roles:

- ``admin``: everything.
- ``arsitek`` (Tim Koordinasi SPBE): reads everything of their instansi, writes every item
  of it, reviews findings. Without an instansi: every instansi.
- ``operator``: writes the items owned by their unit and the units below it; reads
  everything of their instansi.
- ``pimpinan`` (viewer): reads everything of their instansi.
- anyone else, including anonymous visitors: reads what is public, that is items not
  marked internal and data sets that are neither *terbatas* nor *tertutup*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlmodel import Session

from catalog.enums import DataClassification, Role
from catalog.models import Organisation, RoleMembership, User

RESTRICTED_CLASSES = (DataClassification.TERBATAS.value, DataClassification.TERTUTUP.value)


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    display_name: str
    is_admin: bool = False
    # instansi ids whose restricted items this principal may read; None = all
    read_all: bool = False
    readable: frozenset[int] = frozenset()
    # instansi ids where every item may be written (arsitek); writable_all = every instansi
    writable_all: bool = False
    writable: frozenset[int] = frozenset()
    # operator scopes: (instansi id, unit path prefix)
    units: frozenset[tuple[int, str]] = frozenset()
    reviewer_of: frozenset[int] = frozenset()
    roles: tuple[tuple[str, int | None, int | None], ...] = field(default=())

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_admin

    def can_read_instansi(self, instansi_id: int | None) -> bool:
        """Whether restricted items of an instansi are visible to this principal."""
        return self.is_admin or self.read_all or instansi_id in self.readable

    def can_write(self, instansi_id: int, owner_path: str | None) -> bool:
        """Whether an item of this instansi owned by the unit at ``owner_path`` may be
        created or changed."""
        if self.is_admin or self.writable_all or instansi_id in self.writable:
            return True
        if owner_path is None:
            return False
        return any(inst == instansi_id and owner_path.startswith(path) for inst, path in self.units)

    def can_write_somewhere(self) -> bool:
        return self.is_admin or self.writable_all or bool(self.writable) or bool(self.units)

    def can_review(self, instansi_id: int) -> bool:
        return self.is_admin or self.writable_all or instansi_id in self.reviewer_of


ANONYMOUS = Principal(user_id=None, username="", display_name="publik")
SYSTEM = Principal(user_id=None, username="sistem", display_name="sistem", is_admin=True)


def principal_for(session: Session, user: User) -> Principal:
    """Gather a user's memberships into a principal (one query)."""
    rows = session.execute(
        select(RoleMembership, Organisation.path)
        .outerjoin(Organisation, Organisation.id == RoleMembership.organisation_id)
        .where(RoleMembership.user_id == user.id)
        .order_by(RoleMembership.id)
    ).all()
    is_admin = read_all = writable_all = False
    readable: set[int] = set()
    writable: set[int] = set()
    reviewer: set[int] = set()
    units: set[tuple[int, str]] = set()
    roles = []
    for membership, path in rows:
        role, inst, org = membership.role, membership.instansi_id, membership.organisation_id
        roles.append((str(role), inst, org))
        if role == Role.ADMIN:
            is_admin = True
        elif role == Role.ARSITEK:
            if inst is None:
                read_all = writable_all = True
            else:
                readable.add(inst)
                writable.add(inst)
                reviewer.add(inst)
        elif role == Role.OPERATOR and inst is not None:
            readable.add(inst)
            if path:
                units.add((inst, path))
        elif role == Role.PIMPINAN:
            if inst is None:
                read_all = True
            else:
                readable.add(inst)
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.full_name,
        is_admin=is_admin,
        read_all=read_all,
        readable=frozenset(readable),
        writable_all=writable_all,
        writable=frozenset(writable),
        units=frozenset(units),
        reviewer_of=frozenset(reviewer),
        roles=tuple(roles),
    )


def is_restricted(kind: str, item: Any) -> bool:
    """Whether the public must not see an item (a row or a dict of its values)."""
    get = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    if get("is_internal", False):
        return True
    return kind == "dataset" and str(get("classification", "")) in RESTRICTED_CLASSES


def can_see(principal: Principal, kind: str, item: Any) -> bool:
    get = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    return not is_restricted(kind, item) or principal.can_read_instansi(get("instansi_id"))


def visible_clause(principal: Principal, kind: str, model: Any) -> ColumnElement[bool]:
    """SQL condition selecting the rows of a kind the principal may see."""
    if principal.is_admin or principal.read_all:
        return true()
    public = model.is_internal.is_(False)
    if kind == "dataset":
        public = and_(public, model.classification.not_in(RESTRICTED_CLASSES))
    if principal.readable:
        return or_(public, model.instansi_id.in_(principal.readable))
    return public


def search_visible_clause(principal: Principal, entry: Any) -> ColumnElement[bool]:
    """The same rule on the full-text index, which keeps a ``restricted`` flag."""
    if principal.is_admin or principal.read_all:
        return true()
    if principal.readable:
        return or_(entry.restricted.is_(False), entry.instansi_id.in_(principal.readable))
    return entry.restricted.is_(False)


__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Principal",
    "can_see",
    "is_restricted",
    "principal_for",
    "search_visible_clause",
    "visible_clause",
]
