"""Turning rows into response shapes, fetching the names they mention in batches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from catalog.kinds import KINDS, get_kind
from catalog.models import Instansi, Organisation
from catalog.queries.items import (
    ItemDetail,
    LinkedItem,
    instansi_by_id,
    items_by_id,
    organisations_by_id,
)
from schemas.common import InstansiRef, Links, OrganisationRef, ReferenceRef
from schemas.items import DETAIL, PUBLIC, UNIT_REFS, IntegrationBrief, ItemRef, RelationOut


def api_url(kind: str, item_id: int) -> str:
    return f"/api/v1/{KINDS[kind].api_path}/{item_id}"


def page_url(kind: str, item_id: int) -> str:
    return f"/{KINDS[kind].page_path}/{item_id}"


def links(kind: str, item_id: int) -> Links:
    return Links(self=api_url(kind, item_id), html=page_url(kind, item_id))


def org_ref(org: Organisation | None) -> OrganisationRef | None:
    if org is None:
        return None
    return OrganisationRef(
        id=org.id,  # type: ignore[arg-type]
        code=org.code,
        name=org.name,
        short_name=org.short_name,
        retired=org.retired_at is not None,
    )


def instansi_ref(inst: Instansi) -> InstansiRef:
    return InstansiRef(id=inst.id, code=inst.code, name=inst.name, kind=str(inst.kind))  # type: ignore[arg-type]


def item_ref(kind: str, obj: Any, orgs: dict[int, Organisation]) -> ItemRef:
    return ItemRef(
        kind=kind,
        id=obj.id,
        code=obj.code,
        name=obj.name,
        status=str(obj.status) if getattr(obj, "status", None) else None,
        owner=org_ref(orgs.get(getattr(obj, "owner_id", None))),  # type: ignore[arg-type]
        links=links(kind, obj.id),
    )


def linked_ref(item: LinkedItem, orgs: dict[int, Organisation]) -> ItemRef:
    return ItemRef(
        kind=item.kind,
        id=item.id,
        code=item.code,
        name=item.name,
        status=item.status,
        owner=org_ref(orgs.get(item.owner_id)) if item.owner_id else None,  # type: ignore[arg-type]
        links=links(item.kind, item.id),
    )


class Presenter:
    """Builds public shapes for rows of one kind, resolving references in bulk."""

    def __init__(self, session: Session, kind: str) -> None:
        self.session = session
        self.spec = get_kind(kind)
        self.orgs: dict[int, Organisation] = {}
        self.instansi: dict[int, Instansi] = {}
        self.apps: dict[int, Any] = {}
        self.infra: dict[int, Any] = {}

    def prefetch(self, rows: Sequence[Any]) -> None:
        spec = self.spec
        org_ids: set[int | None] = set()
        for r in rows:
            org_ids.add(r.owner_id)
            org_ids.update(getattr(r, f) for f in spec.unit_fields)
        app_ids: set[int | None] = set()
        if spec.key == "dataset":
            app_ids = {r.authoritative_application_id for r in rows}
        elif spec.key == "integration":
            app_ids = {r.provider_id for r in rows} | {r.consumer_id for r in rows}
            self.infra.update(
                items_by_id(self.session, "infrastructure", {r.intermediary_id for r in rows})
            )
        self.apps.update(items_by_id(self.session, "application", app_ids))
        org_ids.update(a.owner_id for a in self.apps.values())
        org_ids.update(i.owner_id for i in self.infra.values())
        self.orgs.update(organisations_by_id(self.session, org_ids - set(self.orgs)))
        self.instansi.update(
            instansi_by_id(self.session, {r.instansi_id for r in rows} - set(self.instansi))
        )

    def _fields(self, obj: Any) -> dict[str, Any]:
        spec = self.spec
        data: dict[str, Any] = {f: getattr(obj, f) for f in spec.base.model_fields}
        data.update(
            id=obj.id,
            kind=spec.key,
            version=obj.version,
            created_at=obj.created_at,
            updated_at=obj.updated_at,
            retired_at=obj.retired_at,
            instansi=instansi_ref(self.instansi[obj.instansi_id]),
            owner=org_ref(self.orgs.get(obj.owner_id)),
            links=links(spec.key, obj.id),
        )
        for column, name in UNIT_REFS.get(spec.key, {}).items():
            data[name] = org_ref(self.orgs.get(getattr(obj, column)))
        if spec.key == "dataset":
            app = self.apps.get(obj.authoritative_application_id)
            data["authoritative_application"] = (
                item_ref("application", app, self.orgs) if app else None
            )
        if spec.key == "integration":
            for name, column, kind, pool in (
                ("provider", "provider_id", "application", self.apps),
                ("consumer", "consumer_id", "application", self.apps),
                ("intermediary", "intermediary_id", "infrastructure", self.infra),
            ):
                other = pool.get(getattr(obj, column))
                data[name] = item_ref(kind, other, self.orgs) if other else None
            data["provider_confirmed_at"] = obj.provider_confirmed_at
            data["consumer_confirmed_at"] = obj.consumer_confirmed_at
        return data

    def public(self, rows: Sequence[Any]) -> list[Any]:
        self.prefetch(rows)
        model = PUBLIC[self.spec.key]
        return [model(**self._fields(r)) for r in rows]

    def detail(self, detail: ItemDetail) -> Any:
        obj = detail.item
        self.orgs.update(detail.organisations)
        self.apps.update(detail.apps)
        self.prefetch([obj])
        data = self._fields(obj)
        data["classification"] = [
            ReferenceRef(
                code=n.code,
                name=n.name,
                level=n.level,
                confidence=n.confidence,
                status=str(n.status),
                is_local=n.is_local,
            )
            for n in detail.reference_path
        ]
        data["relations"] = [
            RelationOut(
                relation_id=v.relation_id,
                type=v.type,
                label=v.label,
                label_en=v.label_en,
                direction="out" if v.outgoing else "in",
                item=linked_ref(v.other, self.orgs),
            )
            for v in detail.relations
        ]
        data["integrations"] = self.integration_briefs(detail.integrations)
        data["integration_total"] = detail.integration_total
        if self.spec.key == "integration":
            data["data_sets"] = [linked_ref(d, self.orgs) for d in detail.data_sets]
        return DETAIL[self.spec.key](**data)

    def integration_briefs(self, integrations: Iterable[Any]) -> list[IntegrationBrief]:
        out = []
        for integ in integrations:
            provider = self.apps.get(integ.provider_id)
            consumer = self.apps.get(integ.consumer_id)
            out.append(
                IntegrationBrief(
                    id=integ.id,
                    code=integ.code,
                    name=integ.name,
                    status=str(integ.status),
                    mechanism=str(integ.mechanism),
                    via_spl=integ.intermediary_id is not None,
                    provider=item_ref("application", provider, self.orgs) if provider else None,
                    consumer=item_ref("application", consumer, self.orgs) if consumer else None,
                    consumer_external=integ.consumer_external,
                    confirmed_by_provider=integ.confirmed_by_provider,
                    confirmed_by_consumer=integ.confirmed_by_consumer,
                    links=links("integration", integ.id),
                )
            )
        return out
