"""Accounts and role memberships scoped to an instansi or an OPD."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.enums import Role
from catalog.models.base import SystemColumns, UTCDateTime, Versioned, enum_field, utcnow


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


class RoleMembership(SQLModel, table=True):
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
