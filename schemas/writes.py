"""Request bodies of the write API.

One model per kind, built from the kind's editable fields, every field optional: a
create sends what it has (the service names each missing or wrong field in Indonesian
and English), an update sends only what changes plus the version it read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from catalog.kinds import KINDS, KindSpec
from catalog.services.items import editable_fields

# Unit references may be given by id or, more conveniently for scripts, by unit code.
UNIT_CODE_FIELDS = {
    "owner_id": "owner",
    "executing_unit_id": "executing_unit",
    "producer_id": "producer",
    "steward_id": "steward",
    "developer_unit_id": "developer_unit",
    "operator_unit_id": "operator_unit",
}


class WriteBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instansi: str | None = Field(
        default=None, description="Kode instansi (bila instansi_id kosong)"
    )
    owner: str | None = Field(default=None, description="Kode OPD pemilik (bila owner_id kosong)")


def _field_type(spec: KindSpec, name: str) -> Any:
    info = spec.base.model_fields.get(name)
    if info is not None:
        return info.annotation
    if name == "data_set_ids":
        return list[int]
    return int  # ids of units, applications, infrastructure


def _write_model(spec: KindSpec, suffix: str, with_version: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name in sorted(editable_fields(spec)):
        annotation = _field_type(spec, name)
        info = spec.base.model_fields.get(name)
        description = getattr(info, "description", None) if info else None
        fields[name] = (annotation | None, Field(default=None, description=description))
    for id_field, code_field in UNIT_CODE_FIELDS.items():
        if id_field in fields and code_field not in fields and code_field not in ("owner",):
            fields[code_field] = (
                str | None,
                Field(default=None, description=f"Kode unit ({id_field})"),
            )
    if with_version:
        fields["version"] = (
            int | None,
            Field(default=None, description="Versi yang dibaca (atau If-Match)"),
        )
    name = "".join(part.title() for part in spec.key.split("_")) + suffix
    return create_model(name, __base__=WriteBase, **fields)  # type: ignore[call-overload]


CREATE: dict[str, type[BaseModel]] = {k: _write_model(s, "Create", False) for k, s in KINDS.items()}
UPDATE: dict[str, type[BaseModel]] = {k: _write_model(s, "Update", True) for k, s in KINDS.items()}


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(default=None, description="Versi yang dibaca (atau If-Match)")
    note: str | None = Field(default=None, max_length=500, description="Catatan")


class RelationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(description="Jenis relasi, mis. delivered_by")
    source_kind: str
    source_id: int
    target_kind: str
    target_id: int
    note: str | None = Field(default=None, max_length=500)


class RelationOut(BaseModel):
    id: int
    type: str
    source_kind: str
    source_id: int
    target_kind: str
    target_id: int
    note: str | None = None


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=500)


class MeOut(BaseModel):
    id: int | None
    username: str
    full_name: str
    roles: list[dict[str, Any]]
    csrf_token: str | None = None


class SimilarIn(BaseModel):
    """A draft application, as much as is known: every field sharpens the match."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300)
    acronym: str | None = Field(default=None, max_length=64)
    reference_code: str | None = Field(default=None, max_length=64)
    owner_id: int | None = None
    description: str | None = Field(default=None, max_length=5000)
    function: str | None = Field(default=None, max_length=5000)
    output: str | None = Field(default=None, max_length=5000)
    aliases: list[str] | None = None
    url: str | None = Field(default=None, max_length=500)
    platform: str | None = Field(default=None, max_length=64)


class FieldChangeOut(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class HistoryOut(BaseModel):
    id: int
    at: Any
    actor: str
    source: str
    request_id: str | None = None
    action: str
    object_kind: str
    object_id: int
    object_code: str | None = None
    note: str | None = None
    changes: list[FieldChangeOut]


class FeedParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    instansi: str | None = None
    actor: str | None = Field(default=None, max_length=100)
    opd: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=50, ge=1, le=200)
