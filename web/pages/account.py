"""Signing in and out, and the integrations waiting for the signed-in person's word."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from catalog.errors import Forbidden
from catalog.kinds import KINDS
from catalog.queries.integrations import pending_confirmations
from catalog.services.accounts import BadCredentials, TooManyAttempts, authenticate
from catalog.services.integrations import confirm_integration
from web.api.presenters import Presenter
from web.auth import CSRF_FIELD, PrincipalDep, actor_for, check_csrf, sign_in, sign_out
from web.deps import SessionDep
from web.pages.forms import FormDep, visible_item
from web.pages.render import flash, render

router = APIRouter()
# A local path only: "//evil.example" and "/\\evil.example" are other sites to a browser.
_LOCAL = re.compile(r"^/(?![/\\])[^\s]*$")


def local_path(target: str | None, default: str = "/") -> str:
    """Where to go after signing in: a path on this site, never another site.

    >>> local_path("/aplikasi/3?lang=en")
    '/aplikasi/3?lang=en'
    >>> local_path("https://evil.example/"), local_path("//evil.example")
    ('/', '/')
    """
    return target if target and _LOCAL.match(target) else default


def login_url(request: Request) -> str:
    """The sign-in page, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/masuk?" + urlencode({"next": here})


@router.get("/masuk", response_class=HTMLResponse, name="page_login")
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(
        request,
        "login.html",
        {"next": local_path(next), "username": ""},
        json_url="/api/v1/me",
    )


@router.post("/masuk", response_class=HTMLResponse, name="page_login_submit")
def login(request: Request, session: SessionDep, posted: FormDep) -> Response:
    check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
    username = str(posted.get("username") or "")
    target = local_path(str(posted.get("next") or ""))
    try:
        user, principal = authenticate(
            session,
            username,
            str(posted.get("password") or ""),
            address=request.client.host if request.client else None,
        )
    except (BadCredentials, TooManyAttempts) as exc:
        # The same words for an unknown name and a wrong password (BadCredentials says so).
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        )
        response = render(
            request,
            "login.html",
            {"next": target, "username": username, "error": exc},
            status_code=exc.status,
        )
        if headers:
            response.headers.update(headers)
        return response
    sign_in(request, user)
    request.state.user, request.state.principal = user, principal
    flash(request, "Anda sudah masuk.")
    return RedirectResponse(target, status_code=303)


@router.post("/keluar", name="page_logout")
def logout(request: Request, posted: FormDep) -> Response:
    check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/konfirmasi", response_class=HTMLResponse, name="page_pending")
def pending(request: Request, session: SessionDep, principal: PrincipalDep) -> HTMLResponse:
    if not principal.is_authenticated:
        raise Forbidden(
            "Masuk terlebih dahulu untuk melihat integrasi yang menunggu konfirmasi Anda.",
            "Sign in first to see the integrations awaiting your confirmation.",
            field="permission",
            value="confirm",
        )
    rows = pending_confirmations(session, principal)
    return render(
        request,
        "pending.html",
        {"rows": Presenter(session, "integration").public(rows)},
        json_url="/api/v1/integrations/pending",
    )


@router.post(f"/{KINDS['integration'].page_path}/{{item_id}}/konfirmasi", name="page_confirm")
def confirm(
    request: Request, session: SessionDep, principal: PrincipalDep, item_id: int, posted: FormDep
) -> Response:
    check_csrf(request, posted.get(CSRF_FIELD))  # type: ignore[arg-type]
    visible_item(session, principal, KINDS["integration"], item_id)
    confirm_integration(session, actor_for(request, principal, "web"), item_id)
    flash(request, "Integrasi dikonfirmasi.")
    detail = f"/{KINDS['integration'].page_path}/{item_id}"
    return RedirectResponse(local_path(str(posted.get("next") or ""), detail), status_code=303)


__all__ = ["local_path", "login_url", "router"]
