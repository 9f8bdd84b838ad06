"""Who changed what and when: an item's history and the instansi-wide change feed.

Both show each change field by field (before → after) with the names of the units,
applications and data sets that the stored ids point to, fetched once per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal, can_see
from catalog.enums import label
from catalog.errors import InvalidInput
from catalog.kinds import KINDS, KindSpec
from catalog.models import ChangeRecord, Instansi, Organisation
from catalog.queries.history import HistoryEntry, change_feed, field_changes, item_history
from catalog.queries.items import instansi_by_id, items_by_id, organisations_by_id
from catalog.relation_types import RELATION_TYPES
from catalog.validation import problems_from_validation_error
from schemas.writes import FeedParams
from web.api.account import feed_filter
from web.api.writes import require_reader
from web.auth import PrincipalDep
from web.deps import SessionDep
from web.i18n import request_language
from web.pages.forms import enum_of, label_of, visible_item
from web.pages.items import lookup_labels
from web.pages.render import render

router = APIRouter()

ACTIONS = {
    "create": "Dicatat",
    "update": "Diubah",
    "retire": "Dihentikan",
    "restore": "Dipulihkan",
    "link": "Relasi ditambahkan",
    "unlink": "Relasi dilepas",
    "confirm": "Dikonfirmasi",
    "grant": "Peran diberikan",
    "revoke": "Peran dicabut",
    "activate": "Diaktifkan",
    "deactivate": "Dinonaktifkan",
    "disable": "Dinonaktifkan",
    "set_password": "Kata sandi diganti",
}
ORG_FIELDS = frozenset(
    {
        "owner_id",
        "executing_unit_id",
        "producer_id",
        "steward_id",
        "developer_unit_id",
        "operator_unit_id",
        "parent_id",
    }
)
ITEM_FIELDS = {
    "provider_id": "application",
    "consumer_id": "application",
    "authoritative_application_id": "application",
    "intermediary_id": "infrastructure",
    "data_set_ids": "dataset",
}
# Kinds of change record besides the item kinds, for the feed's kind filter.
OTHER_KINDS = {
    "relation": "Relasi",
    "organisation": "OPD dan unit kerja",
    "review": "Putusan tinjauan temuan",
}


class Names:
    """Readable values of one page of change records (one query per table)."""

    def __init__(
        self, session: Session, records: Iterable[ChangeRecord], principal: Principal, lang: str
    ):
        self.principal = principal
        self.lang = lang
        orgs: set[int] = set()
        items: dict[str, set[int]] = defaultdict(set)
        for r in records:
            for snap in (r.before, r.after):
                for name, value in (snap or {}).items():
                    if name in ORG_FIELDS and isinstance(value, int):
                        orgs.add(value)
                    kind = ITEM_FIELDS.get(name)
                    for v in value if isinstance(value, list) else [value]:
                        if kind and isinstance(v, int):
                            items[kind].add(v)
                if r.object_kind == "relation" and snap:
                    items[snap["source_kind"]].add(snap["source_id"])
                    items[snap["target_kind"]].add(snap["target_id"])
        self.orgs = organisations_by_id(session, orgs)
        self.items = {k: items_by_id(session, k, ids) for k, ids in items.items() if k in KINDS}
        self.lookups = lookup_labels(session)

    def item(self, kind: str, item_id: Any) -> dict[str, Any]:
        obj = self.items.get(kind, {}).get(item_id)
        if obj is None or not can_see(self.principal, kind, obj):
            return {"name": f"#{item_id}", "code": "", "url": None, "kind": kind}
        url = f"/{KINDS[kind].page_path}/{item_id}"
        return {"name": obj.name, "code": obj.code, "url": url, "kind": kind}

    def value(self, kind: str, field: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        if field in ORG_FIELDS:
            org = self.orgs.get(value)
            return org.name if org is not None else f"#{value}"
        if field in ITEM_FIELDS:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(self.item(ITEM_FIELDS[field], i)["name"] for i in ids)
        spec = KINDS.get(kind)
        enum = enum_of(spec, field) if spec is not None else None
        if enum is not None:
            return label(value, enum, self.lang)
        category = spec.lookup_fields.get(field) if spec is not None else None
        pair = self.lookups.get((category, str(value))) if category else None
        if pair is not None:
            return pair[1] if self.lang == "en" else pair[0]
        if isinstance(value, bool):
            yes, no = ("Yes", "No") if self.lang == "en" else ("Ya", "Tidak")
            return yes if value else no
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def relation(self, record: ChangeRecord) -> dict[str, Any] | None:
        """Both ends and the verb of a relation that was made or unmade."""
        snap = record.after or record.before
        if record.object_kind != "relation" or not snap:
            return None
        rt = RELATION_TYPES.get(snap["type"])
        verb = (rt.label_en if self.lang == "en" else rt.label) if rt else snap["type"]
        return {
            "source": self.item(snap["source_kind"], snap["source_id"]),
            "verb": verb,
            "target": self.item(snap["target_kind"], snap["target_id"]),
        }


def _context(
    session: Session, principal: Principal, entries: list[HistoryEntry], lang: str
) -> dict[str, Any]:
    return {
        "entries": entries,
        "names": Names(session, [e.record for e in entries], principal, lang),
        "action_label": lambda a: ACTIONS.get(a, a),
        "label_of": label_of,
    }


def _history_page(spec: KindSpec) -> Any:
    def history(
        request: Request, session: SessionDep, principal: PrincipalDep, item_id: int
    ) -> HTMLResponse:
        obj = visible_item(session, principal, spec, item_id)
        require_reader(principal, obj.instansi_id)
        entries = item_history(session, spec.key, item_id)
        return render(
            request,
            "history.html",
            {
                "spec": spec,
                "item": obj,
                **_context(session, principal, entries, request_language(request)),
            },
            json_url=f"/api/v1/{spec.api_path}/{item_id}/history",
        )

    return history


for _spec in KINDS.values():
    router.add_api_route(
        f"/{_spec.page_path}/{{item_id}}/riwayat",
        _history_page(_spec),
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"page_{_spec.key}_history",
    )


@router.get("/perubahan", response_class=HTMLResponse, name="page_changes")
def changes(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    raw = {k: v for k, v in request.query_params.items() if k != "lang" and v.strip() != ""}
    if "instansi" not in raw and len(principal.readable) == 1:
        # The one instansi this person reads: nothing to choose.
        inst = session.get(Instansi, next(iter(principal.readable)))
        raw["instansi"] = inst.code if inst is not None else ""
    try:
        params = FeedParams.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput.from_problems(problems_from_validation_error(exc, FeedParams)) from exc
    flt = feed_filter(session, principal, params)
    page = change_feed(session, flt, page=params.page, per_page=params.per_page)
    entries = [HistoryEntry(r, field_changes(r)) for r in page.items]
    query = urlencode({k: v for k, v in raw.items() if k != "page"})
    suffix = f"?{query}" if query else ""
    units = []
    if flt.instansi_id is not None:
        units = list(
            session.execute(
                select(Organisation)
                .where(
                    Organisation.instansi_id == flt.instansi_id,
                    Organisation.parent_id.is_(None),
                )
                .order_by(Organisation.name)
            ).scalars()
        )
    kinds = [(k, s.label) for k, s in KINDS.items()] + list(OTHER_KINDS.items())
    return render(
        request,
        "changes.html",
        {
            "page": page,
            "params": params,
            "units": units,
            "kinds": kinds,
            "instansi": instansi_by_id(session, [flt.instansi_id]).get(flt.instansi_id or -1),
            "csv_url": f"/api/v1/changes.csv{suffix}",
            **_context(session, principal, entries, request_language(request)),
        },
        json_url=f"/api/v1/changes{suffix}",
    )


__all__ = ["ACTIONS", "Names", "router"]
