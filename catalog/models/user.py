"""Accounts and role memberships scoped to an instansi or an OPD."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field

from catalog.enums import Role
from catalog.models.base import Model, SystemColumns, UTCDateTime, Versioned, enum_field, utcnow


class User(SystemColumns, Versioned, table=True):
    # "user" is reserved in PostgreSQL.
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("username", name="uq_app_user_username"),)

    username: str = Field(max_length=64)
    full_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    password_hash: str | None = Field(default=None, max_length=300)
    is_active: bool = Field(default=True)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Bumped when the password changes or the account is disabled: every session cookie
    # issued before carries the old value and stops working, on every server process.
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class RoleMembership(Model, table=True):
    """A role a user holds, limited to one instansi (and optionally one OPD subtree)."""

    __tablename__ = "role_membership"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "role", "instansi_id", "organisation_id", name="uq_role_membership"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    role: Role = enum_field(Role.PIMPINAN)
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiToken(Model, table=True):
    """A token for scripts. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, description="Awal token, untuk mengenalinya")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttempt(Model, table=True):
    """Failed sign-ins per key (a user name or an address), shared by every server
    process, so that guessing passwords is slowed down everywhere at once."""

    __tablename__ = "login_attempt"

    key: str = Field(primary_key=True, max_length=200)
    failures: int = Field(default=0)
    first_failure_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEvent(Model, table=True):
    """Security-relevant events that change nothing: refused writes, sign-ins."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    event: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    actor_name: str = Field(max_length=200)
    source: str = Field(max_length=32)
    request_id: str | None = Field(default=None, max_length=64)
    object_kind: str | None = Field(default=None, max_length=32)
    object_id: int | None = None
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id")
    detail: dict[str, Any] | None = Field(default=None, sa_type=JSON)
