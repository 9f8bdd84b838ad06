"""User accounts, role memberships, API tokens and signing in.

Passwords are hashed with Argon2id (pwdlib). API tokens are random, shown once, and
stored as SHA-256 digests (they carry 256 bits of entropy, so a slow hash adds nothing).
Failed sign-ins are counted per user name and per address in the database, so every
server process slows down the same guesser.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pwdlib import PasswordHash
from sqlalchemy import delete, select
from sqlmodel import Session

from catalog.access import Principal, principal_for
from catalog.enums import Role
from catalog.errors import CatalogError, InvalidInput, NotFound, ProblemList
from catalog.models import ApiToken, AuditEvent, LoginAttempt, Organisation, RoleMembership, User
from catalog.models.base import utcnow
from catalog.services.changes import record_change, snapshot
from catalog.services.context import Actor
from catalog.services.permissions import require_admin
from catalog.services.tx import transaction

_hasher = PasswordHash.recommended()


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this keeps unknown user names as slow as wrong passwords. Made on
    first use: hashing costs ~0.3 s, which every CLI command would otherwise pay."""
    return _hasher.hash("katalog-spbe-dummy-password")


TOKEN_PREFIX = "kspbe_"
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
FREE_FAILURES = 5
WINDOW = timedelta(minutes=15)
MAX_LOCK = timedelta(minutes=15)


class TooManyAttempts(CatalogError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, seconds: int) -> None:
        super().__init__(
            f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {seconds} detik.",
            f"Too many failed sign-in attempts. Try again in {seconds} seconds.",
            details={"retry_after": seconds},
        )
        self.retry_after = seconds


class BadCredentials(CatalogError):
    status = 401
    code = "bad_credentials"

    def __init__(self) -> None:
        # The same words whether the user exists or not.
        super().__init__(
            "Nama pengguna atau kata sandi salah.",
            "Wrong user name or password.",
        )


def _user_snapshot(user: User) -> dict[str, Any]:
    data = snapshot(user)
    data.pop("password_hash", None)
    return data


def find_user(session: Session, username: str) -> User:
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(
            f"Pengguna '{username}' tidak ada.",
            f"User '{username}' does not exist.",
            field="username",
            value=username,
        )
    return user


def _check_password(password: str, problems: ProblemList) -> None:
    if len(password) < MIN_PASSWORD:
        problems.add(
            "password.short",
            f"Kata sandi minimal {MIN_PASSWORD} karakter.",
            f"The password needs at least {MIN_PASSWORD} characters.",
            "password",
        )


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    *,
    email: str | None = None,
) -> User:
    with transaction(session):
        require_admin(actor, "create_user", "menambah pengguna", "add users")
        username = username.strip().lower()
        problems = ProblemList()
        if not USERNAME_RE.match(username):
            problems.add(
                "username.format",
                "Nama pengguna 2–64 karakter: huruf kecil, angka, titik, garis bawah, "
                "tanda hubung.",
                "User names are 2–64 characters: lower-case letters, digits, dot, underscore, "
                "hyphen.",
                "username",
                username,
            )
        elif session.execute(select(User.id).where(User.username == username)).first():
            problems.add(
                "username.taken",
                f"Nama pengguna '{username}' sudah dipakai.",
                f"User name '{username}' is taken.",
                "username",
                username,
            )
        if not full_name.strip():
            problems.add(
                "field.missing", "Nama lengkap wajib diisi.", "Full name is required.", "full_name"
            )
        _check_password(password, problems)
        problems.raise_if_any()
        user = User(
            username=username,
            full_name=full_name.strip(),
            email=(email or "").strip() or None,
            password_hash=_hasher.hash(password),
        )
        session.add(user)
        session.flush()
        record_change(session, actor, "create", "user", user, None, _user_snapshot(user))
        return user


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> User:
    with transaction(session):
        if actor.user_id != user_id:
            require_admin(
                actor,
                "set_password",
                "mengganti kata sandi pengguna lain",
                "change another user's password",
            )
        user = _get(session, user_id)
        problems = ProblemList()
        _check_password(password, problems)
        problems.raise_if_any()
        before = _user_snapshot(user)
        user.password_hash = _hasher.hash(password)
        user.session_epoch += 1
        user.updated_at = utcnow()
        session.flush()
        record_change(session, actor, "set_password", "user", user, before, _user_snapshot(user))
        return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Disable (or re-enable) an account; a disabled account's sessions and tokens stop
    working at once."""
    with transaction(session):
        require_admin(actor, "disable_user", "menonaktifkan pengguna", "disable users")
        user = _get(session, user_id)
        if user.is_active == active:
            return user
        before = _user_snapshot(user)
        user.is_active = active
        user.session_epoch += 1
        user.updated_at = utcnow()
        session.flush()
        record_change(
            session,
            actor,
            "enable" if active else "disable",
            "user",
            user,
            before,
            _user_snapshot(user),
        )
        return user


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(
            f"Pengguna dengan id {user_id} tidak ada.",
            f"User with id {user_id} does not exist.",
            field="user_id",
            value=user_id,
        )
    return user


def grant_role(
    session: Session,
    actor: Actor,
    user_id: int,
    role: Role,
    *,
    instansi_id: int | None = None,
    organisation_id: int | None = None,
) -> RoleMembership:
    with transaction(session):
        require_admin(actor, "grant_role", "memberi peran", "grant roles")
        user = _get(session, user_id)
        problems = ProblemList()
        if organisation_id is not None:
            org = session.get(Organisation, organisation_id)
            if org is None:
                problems.add(
                    "role.unit",
                    f"Unit {organisation_id} tidak ada.",
                    f"Unit {organisation_id} does not exist.",
                    "opd",
                    organisation_id,
                )
            else:
                instansi_id = org.instansi_id
        if role == Role.OPERATOR and organisation_id is None:
            problems.add(
                "role.operator_unit",
                "Peran operator selalu terikat pada satu OPD: sebutkan --opd.",
                "The operator role is always tied to one unit: give --opd.",
                "opd",
            )
        if role == Role.ADMIN and (instansi_id or organisation_id):
            problems.add(
                "role.admin_scope",
                "Peran admin berlaku untuk seluruh katalog, tanpa instansi atau OPD.",
                "The admin role covers the whole catalogue, without instansi or unit.",
                "role",
                str(role),
            )
        problems.raise_if_any()
        existing = session.execute(
            select(RoleMembership).where(
                RoleMembership.user_id == user.id,
                RoleMembership.role == role,
                RoleMembership.instansi_id.is_(None)
                if instansi_id is None
                else RoleMembership.instansi_id == instansi_id,
                RoleMembership.organisation_id.is_(None)
                if organisation_id is None
                else RoleMembership.organisation_id == organisation_id,
            )
        ).scalar_one_or_none()
        if existing is not None:
            return existing
        membership = RoleMembership(
            user_id=user.id, role=role, instansi_id=instansi_id, organisation_id=organisation_id
        )  # type: ignore[arg-type]
        session.add(membership)
        session.flush()
        record_change(
            session, actor, "grant", "role_membership", membership, None, snapshot(membership)
        )
        return membership


def revoke_roles(session: Session, actor: Actor, user_id: int, role: Role | None = None) -> int:
    with transaction(session):
        require_admin(actor, "revoke_role", "mencabut peran", "revoke roles")
        stmt = select(RoleMembership).where(RoleMembership.user_id == user_id)
        if role is not None:
            stmt = stmt.where(RoleMembership.role == role)
        rows = list(session.execute(stmt).scalars())
        for m in rows:
            record_change(session, actor, "revoke", "role_membership", m, snapshot(m), None)
            session.delete(m)
        session.flush()
        return len(rows)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewToken:
    token: str
    record: ApiToken


def create_token(
    session: Session, actor: Actor, user_id: int, name: str, *, days: int | None = None
) -> NewToken:
    with transaction(session):
        if actor.user_id != user_id:
            require_admin(
                actor,
                "create_token",
                "membuat token untuk pengguna lain",
                "create tokens for other users",
            )
        user = _get(session, user_id)
        if not name.strip():
            raise InvalidInput("Beri nama token.", "Give the token a name.", field="name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = ApiToken(
            user_id=user.id,  # type: ignore[arg-type]
            name=name.strip()[:100],
            prefix=token[: len(TOKEN_PREFIX) + 6],
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(days=days) if days else None,
        )
        session.add(record)
        session.flush()
        after = snapshot(record)
        after.pop("token_hash", None)
        record_change(session, actor, "create", "api_token", record, None, after)
        return NewToken(token, record)


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    with transaction(session):
        record = session.get(ApiToken, token_id)
        if record is None:
            raise NotFound(
                f"Token {token_id} tidak ada.",
                f"Token {token_id} does not exist.",
                field="token_id",
                value=token_id,
            )
        if actor.user_id != record.user_id:
            require_admin(
                actor, "revoke_token", "mencabut token pengguna lain", "revoke other users' tokens"
            )
        if record.revoked_at is None:
            before = snapshot(record)
            record.revoked_at = utcnow()
            session.flush()
            before.pop("token_hash", None)
            after = snapshot(record)
            after.pop("token_hash", None)
            record_change(session, actor, "revoke", "api_token", record, before, after)
        return record


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a token belongs to (None for unknown, revoked or expired tokens)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = session.execute(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    now = utcnow()
    if record is None or record.revoked_at is not None:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    # Note the last use at most once a minute, so reads do not turn into writes.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now
        session.commit()
    return user


# -- signing in ----------------------------------------------------------------------------


def _keys(username: str, address: str | None) -> list[str]:
    keys = [f"user:{username.strip().lower()}"]
    if address:
        keys.append(f"addr:{address}")
    return keys


def _locked_for(session: Session, keys: list[str], now: datetime) -> int:
    rows = session.execute(select(LoginAttempt).where(LoginAttempt.key.in_(keys))).scalars()
    wait = 0
    for row in rows:
        if row.locked_until and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    return wait


def _note_failure(session: Session, keys: list[str], now: datetime) -> None:
    for key in keys:
        row = session.get(LoginAttempt, key)
        if row is None or now - row.first_failure_at > WINDOW:
            if row is not None:
                session.delete(row)
                session.flush()
            row = LoginAttempt(key=key, failures=0, first_failure_at=now)
            session.add(row)
        row.failures += 1
        extra = row.failures - FREE_FAILURES
        if extra > 0:
            # 2, 4, 8 … seconds, at most a quarter of an hour.
            row.locked_until = now + min(MAX_LOCK, timedelta(seconds=2**extra))


def authenticate(
    session: Session, username: str, password: str, *, address: str | None = None
) -> tuple[User, Principal]:
    """Check a user name and password; raises :class:`BadCredentials` (same message for
    unknown users and wrong passwords) or :class:`TooManyAttempts`."""
    now = utcnow()
    keys = _keys(username, address)
    wait = _locked_for(session, keys, now)
    if wait:
        raise TooManyAttempts(wait)
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    valid = False
    if user is not None and user.password_hash:
        valid = _hasher.verify(password, user.password_hash)
    else:
        _hasher.verify(password, _dummy_hash())
    if not valid or user is None or not user.is_active:
        _note_failure(session, keys, now)
        session.add(
            AuditEvent(
                event="login_failed",
                actor_id=None,
                actor_name=username[:200],
                source="web",
                detail={"address": address},
            )
        )
        session.commit()
        raise BadCredentials()
    session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
    user.last_login_at = now
    session.add(
        AuditEvent(
            event="login",
            actor_id=user.id,
            actor_name=user.username,
            source="web",
            detail={"address": address},
        )
    )
    session.commit()
    return user, principal_for(session, user)
