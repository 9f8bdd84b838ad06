"""Who is asking: session cookies for people, bearer tokens for scripts, CSRF tokens.

Sessions live in a signed cookie (no server-side store), so any server process that
shares the secret recognises them. The cookie carries the user id and the account's
``session_epoch``: changing the password or disabling the account ends every session.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from catalog.access import ANONYMOUS, Principal, principal_for
from catalog.errors import Forbidden, Unauthenticated
from catalog.models import User
from catalog.services.accounts import user_for_token
from catalog.services.context import Actor
from web.deps import SessionDep

SESSION_USER = "uid"
SESSION_EPOCH = "epoch"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
WORKER = str(os.getpid())


def request_id(request: Request) -> str:
    rid = getattr(request.state, "request_id", None)
    if rid is None:
        given = request.headers.get("x-request-id", "")
        rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.state.request_id = rid
    return rid


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def identify(request: Request, session: Session) -> tuple[User | None, Principal]:
    """The signed-in user and their principal (anonymous when nobody is)."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return request.state.user, cached
    user: User | None = None
    token = _bearer(request)
    if token is not None:
        user = user_for_token(session, token)
        request.state.auth = "token"
        if user is None:
            # A script with a wrong token should hear so, not be treated as the public.
            raise Unauthenticated(
                "Token API tidak dikenal, sudah dicabut, kedaluwarsa, atau akunnya nonaktif.",
                "The API token is unknown, revoked or expired, or its account is disabled.",
                field="Authorization",
            )
    else:
        request.state.auth = "cookie"
        uid = request.session.get(SESSION_USER)
        if isinstance(uid, int):
            found = session.get(User, uid)
            if (
                found is not None
                and found.is_active
                and found.session_epoch == request.session.get(SESSION_EPOCH)
            ):
                user = found
            else:
                request.session.pop(SESSION_USER, None)
    principal = principal_for(session, user) if user is not None else ANONYMOUS
    request.state.user = user
    request.state.principal = principal
    return user, principal


def current_principal(request: Request, session: SessionDep) -> Principal:
    return identify(request, session)[1]


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def sign_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_EPOCH] = user.session_epoch
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)


def sign_out(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get(SESSION_CSRF)
    if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
        raise Forbidden(
            "Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu coba lagi.",
            "The form expired or is not valid (CSRF token). Reload the page and try again.",
            field=CSRF_FIELD,
            code="csrf",
        )


def actor_for(request: Request, principal: Principal, source: str) -> Actor:
    user = getattr(request.state, "user", None)
    return Actor(
        name=user.full_name if user is not None else "publik",
        source=source,
        user_id=user.id if user is not None else None,
        request_id=request_id(request),
        principal=principal,
        address=request.client.host if request.client else None,
    )


def api_writer(request: Request, session: SessionDep) -> Actor:
    """The actor of an API write. Cookie-authenticated writes (from a browser) must
    echo the CSRF token in a header; token-authenticated ones (scripts) need not."""
    _, principal = identify(request, session)
    if request.state.auth == "cookie" and principal.is_authenticated:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return actor_for(request, principal, "api")


ApiWriterDep = Annotated[Actor, Depends(api_writer)]
