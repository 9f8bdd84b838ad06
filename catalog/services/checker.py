"""The questions validation asks of the database, answered with caching for bulk runs.

A single create asks a handful of small queries; the demo generator and the importer
validate hundreds of thousands of rows with one :class:`Checker` in bulk mode, which
loads each answer set once and remembers what the run itself has inserted.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select
from sqlmodel import Session

from catalog.kinds import KINDS, KindSpec
from catalog.models import (
    InfrastructureItem,
    Instansi,
    LookupValue,
    Organisation,
    ReferenceNode,
    ReferenceSet,
)


class Checker:
    def __init__(self, session: Session, *, bulk: bool = False) -> None:
        self.session = session
        self.bulk = bulk
        self._instansi: dict[int, Instansi | None] = {}
        self._orgs: dict[int, Organisation | None] = {}
        self._lookups: dict[str, set[str]] = {}
        self._active_set_id: int | bool | None = False
        self._nodes: dict[str, ReferenceNode] | None = None
        self._local_nodes: dict[tuple[int, str], ReferenceNode | None] = {}
        self._codes: dict[tuple[str, int], set[str]] = {}
        self._code_counters: dict[tuple[str, int], int] = {}
        self._item_instansi: dict[str, dict[int, int | None]] = defaultdict(dict)
        self._item_owner: dict[str, dict[int, int | None]] = defaultdict(dict)
        self._infra_types: dict[int, str | None] = {}

    # -- organisation ---------------------------------------------------------------
    def instansi(self, instansi_id: int | None) -> Instansi | None:
        if instansi_id is None:
            return None
        if instansi_id not in self._instansi:
            self._instansi[instansi_id] = self.session.get(Instansi, instansi_id)
        return self._instansi[instansi_id]

    def organisation(self, org_id: int | None) -> Organisation | None:
        if org_id is None:
            return None
        if org_id not in self._orgs:
            if self.bulk:
                org = self.session.get(Organisation, org_id)
                if org is not None:
                    rows = self.session.execute(
                        select(Organisation).where(Organisation.instansi_id == org.instansi_id)
                    ).scalars()
                    for row in rows:
                        self._orgs[row.id] = row  # type: ignore[index]
                self._orgs.setdefault(org_id, org)
            else:
                self._orgs[org_id] = self.session.get(Organisation, org_id)
        return self._orgs[org_id]

    def remember_organisation(self, org: Organisation) -> None:
        assert org.id is not None
        self._orgs[org.id] = org

    # -- lookups ----------------------------------------------------------------------
    def lookup_values(self, category: str) -> set[str]:
        if category not in self._lookups:
            rows = self.session.execute(
                select(LookupValue.value).where(
                    LookupValue.category == category, LookupValue.is_active.is_(True)
                )
            ).scalars()
            self._lookups[category] = set(rows)
        return self._lookups[category]

    # -- reference codes ----------------------------------------------------------------
    def active_set_id(self) -> int | None:
        if self._active_set_id is False:
            self._active_set_id = self.session.execute(
                select(ReferenceSet.id).where(ReferenceSet.is_active.is_(True))
            ).scalar_one_or_none()
        return self._active_set_id  # type: ignore[return-value]

    def reference_node(self, code: str, instansi_id: int | None) -> ReferenceNode | None:
        set_id = self.active_set_id()
        if self.bulk:
            if self._nodes is None:
                rows = self.session.execute(
                    select(ReferenceNode).where(ReferenceNode.set_id == set_id)
                ).scalars()
                self._nodes = {n.code: n for n in rows}
            node = self._nodes.get(code)
            if node is not None or instansi_id is None:
                return node
            key = (instansi_id, code)
            if key not in self._local_nodes:
                self._local_nodes[key] = self._local_node(code, instansi_id)
            return self._local_nodes[key]
        conds = [ReferenceNode.set_id == set_id]
        if instansi_id is not None:
            conds.append(
                (ReferenceNode.set_id.is_(None)) & (ReferenceNode.instansi_id == instansi_id)
            )
        stmt = select(ReferenceNode).where(ReferenceNode.code == code, or_(*conds))
        rows = list(self.session.execute(stmt).scalars())
        # A national node wins over a local one with the same code.
        rows.sort(key=lambda n: n.set_id is None)
        return rows[0] if rows else None

    def _local_node(self, code: str, instansi_id: int) -> ReferenceNode | None:
        return self.session.execute(
            select(ReferenceNode).where(
                ReferenceNode.set_id.is_(None),
                ReferenceNode.instansi_id == instansi_id,
                ReferenceNode.code == code,
            )
        ).scalar_one_or_none()

    # -- item codes ---------------------------------------------------------------------
    def code_exists(
        self, spec: KindSpec, instansi_id: int, code: str, exclude_id: int | None = None
    ) -> bool:
        model = spec.model
        if self.bulk and exclude_id is None:
            return code in self._codes_of(spec, instansi_id)
        stmt = select(model.id).where(model.instansi_id == instansi_id, model.code == code)  # type: ignore[attr-defined]
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)  # type: ignore[attr-defined]
        return self.session.execute(stmt.limit(1)).first() is not None

    def _codes_of(self, spec: KindSpec, instansi_id: int) -> set[str]:
        key = (spec.key, instansi_id)
        if key not in self._codes:
            model = spec.model
            self._codes[key] = set(
                self.session.execute(
                    select(model.code).where(model.instansi_id == instansi_id)  # type: ignore[attr-defined]
                ).scalars()
            )
        return self._codes[key]

    def note_code(self, spec: KindSpec, instansi_id: int, code: str) -> None:
        if self.bulk:
            self._codes_of(spec, instansi_id).add(code)

    def next_code(self, spec: KindSpec, instansi_id: int) -> str:
        """The next free ``PREFIX-NNNN`` code of a kind in an instansi."""
        key = (spec.key, instansi_id)
        if key not in self._code_counters:
            model = spec.model
            count = self.session.execute(
                select(func.count()).select_from(model).where(model.instansi_id == instansi_id)  # type: ignore[attr-defined]
            ).scalar_one()
            self._code_counters[key] = count
        while True:
            self._code_counters[key] += 1
            code = f"{spec.code_prefix}-{self._code_counters[key]:04d}"
            if not self.code_exists(spec, instansi_id, code):
                return code

    # -- other items --------------------------------------------------------------------
    def item_instansi(self, kind: str, item_id: int | None) -> int | None:
        """The instansi of an item, or ``None`` when it does not exist."""
        if item_id is None:
            return None
        cache = self._item_instansi[kind]
        if item_id not in cache:
            model = KINDS[kind].model
            cache[item_id] = self.session.execute(
                select(model.instansi_id).where(model.id == item_id)  # type: ignore[attr-defined]
            ).scalar_one_or_none()
        return cache[item_id]

    def item_owner(self, kind: str, item_id: int | None) -> int | None:
        """The owning unit of an item, or ``None`` when it does not exist."""
        if item_id is None:
            return None
        cache = self._item_owner[kind]
        if item_id not in cache:
            model = KINDS[kind].model
            row = self.session.execute(
                select(model.instansi_id, model.owner_id).where(model.id == item_id)  # type: ignore[attr-defined]
            ).first()
            cache[item_id] = row[1] if row else None
            self._item_instansi[kind][item_id] = row[0] if row else None
        return cache[item_id]

    def remember_item(
        self, kind: str, item_id: int, instansi_id: int, owner_id: int | None = None
    ) -> None:
        if self.bulk:
            self._item_instansi[kind][item_id] = instansi_id
            if owner_id is not None:
                self._item_owner[kind][item_id] = owner_id

    def infra_type(self, item_id: int) -> str | None:
        if item_id not in self._infra_types:
            self._infra_types[item_id] = self.session.execute(
                select(InfrastructureItem.infra_type).where(InfrastructureItem.id == item_id)
            ).scalar_one_or_none()
        return self._infra_types[item_id]

    def remember_infra_type(self, item_id: int, infra_type: str) -> None:
        self._infra_types[item_id] = infra_type
