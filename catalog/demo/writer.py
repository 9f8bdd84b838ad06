"""Writing a planned instansi through the bulk service (same validation, same change log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.demo.plan import InstansiPlan, Planned
from catalog.errors import InvalidInput
from catalog.models import Application, DataSet
from catalog.services.bulk import BulkWriter
from catalog.services.context import Actor

# Items are written so that every reference points at something already written.
ORDER = (
    "infrastructure",
    "application",
    "dataset",
    "service",
    "process",
    "security",
    "integration",
)
KIND_OF_PREFIX = {
    "app": "application",
    "ds": "dataset",
    "svc": "service",
    "proc": "process",
    "inf": "infrastructure",
    "sec": "security",
    "int": "integration",
    "nat-app": "application",
    "nat-ds": "dataset",
}


def kind_of(key: str) -> str:
    return KIND_OF_PREFIX[key.split(":", 1)[0]]


class DemoWriter:
    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.bulk = BulkWriter(session, actor)
        # National items are in the catalogue already (seeded); codes are unique enough.
        self.national: dict[str, int] = {}
        for code, app_id in session.execute(
            select(Application.code, Application.id).where(Application.national_role != "none")
        ):
            self.national[f"nat-app:{code}"] = app_id
        national_apps = list(self.national.values())
        for code, ds_id in session.execute(
            select(DataSet.code, DataSet.id).where(
                DataSet.authoritative_application_id.in_(national_apps)
            )
        ):
            self.national[f"nat-ds:{code}"] = ds_id

    def write(self, plan: InstansiPlan, instansi_id: int) -> None:
        ids: dict[str, int] = dict(self.national)
        pending = list(plan.units.units)
        while pending:
            ready = [u for u in pending if u.parent is None or u.parent in ids]
            if not ready:
                raise InvalidInput(
                    "Rencana unit demo memiliki induk yang tidak ada.",
                    "The demo unit plan has a missing parent.",
                )
            rows = [
                {
                    "instansi_id": instansi_id,
                    "parent_id": ids[u.parent] if u.parent else None,
                    "code": u.code,
                    "name": u.name,
                    "short_name": u.short,
                    "kind": u.kind,
                }
                for u in ready
            ]
            for unit, new_id in zip(ready, self.bulk.organisations(rows), strict=True):
                assert new_id is not None
                ids[unit.key] = new_id
            done = {u.key for u in ready}
            pending = [u for u in pending if u.key not in done]
        for kind in ORDER:
            items = plan.items.get(kind, [])
            if not items:
                continue
            rows = [self._row(item, ids, instansi_id) for item in items]
            for item, new_id in zip(items, self.bulk.items(kind, rows), strict=True):
                assert new_id is not None
                ids[item.key] = new_id
        self.bulk.relations(
            [(t, kind_of(a), ids[a], kind_of(b), ids[b]) for t, a, b in plan.relations]
        )

    @staticmethod
    def _row(item: Planned, ids: dict[str, int], instansi_id: int) -> dict[str, Any]:
        row = {**item.fields, "instansi_id": instansi_id}
        for field, key in item.refs.items():
            row[field] = ids[key]
        if item.kind == "integration":
            row["data_set_ids"] = [ids[k] for k in item.carries]
        return row
