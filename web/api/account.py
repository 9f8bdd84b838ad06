"""Signing in, who am I, pending confirmations, the change feed, similar applications.

Registered before the per-kind routes so that ``/integrations/pending`` is not taken for
an integration id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from catalog.errors import InvalidInput
from catalog.kinds import KINDS
from catalog.queries.history import FeedFilter, change_feed, feed_rows, field_changes
from catalog.queries.integrations import pending_confirmations
from catalog.queries.scope import find_organisation, list_scope
from catalog.queries.similar import DRAFT_FIELDS, candidate_summary, similar_applications
from catalog.services.accounts import TooManyAttempts, authenticate
from schemas.pages import PageOut
from schemas.writes import FeedParams, HistoryOut, LoginIn, MeOut, SimilarIn
from web.api.items import page_links
from web.api.presenters import Presenter
from web.api.writes import history_out, require_reader
from web.auth import PrincipalDep, csrf_token, identify, sign_in, sign_out
from web.deps import SessionDep

router = APIRouter()


def me_out(request: Request, principal: Any) -> MeOut:
    user = getattr(request.state, "user", None)
    return MeOut(
        id=user.id if user else None,
        username=user.username if user else "",
        full_name=user.full_name if user else "publik",
        roles=[{"role": r, "instansi_id": i, "organisation_id": o} for r, i, o in principal.roles],
        csrf_token=csrf_token(request) if user and request.state.auth == "cookie" else None,
    )


@router.post(
    "/auth/login",
    response_model=MeOut,
    tags=["Akun"],
    summary="Masuk (cookie sesi) / Sign in (session cookie)",
)
def login(request: Request, session: SessionDep, body: LoginIn) -> Any:
    try:
        user, principal = authenticate(
            session,
            body.username,
            body.password,
            address=request.client.host if request.client else None,
        )
    except TooManyAttempts as exc:
        return JSONResponse(
            exc.to_dict(), status_code=429, headers={"Retry-After": str(exc.retry_after)}
        )
    sign_in(request, user)
    request.state.user, request.state.principal, request.state.auth = user, principal, "cookie"
    return me_out(request, principal)


@router.post("/auth/logout", status_code=204, tags=["Akun"], summary="Keluar / Sign out")
def logout(request: Request) -> None:
    sign_out(request)


@router.get("/me", response_model=MeOut, tags=["Akun"], summary="Siapa saya / Who am I")
def me(request: Request, session: SessionDep) -> MeOut:
    _, principal = identify(request, session)
    return me_out(request, principal)


@router.get(
    "/integrations/pending",
    tags=[KINDS["integration"].label_en_plural],
    summary="Integrasi menunggu konfirmasi Anda / Awaiting your confirmation",
)
def pending(session: SessionDep, principal: PrincipalDep) -> list[Any]:
    rows = pending_confirmations(session, principal)
    return Presenter(session, "integration").public(rows)


def feed_filter(session: Any, principal: Any, params: FeedParams) -> FeedFilter:
    inst, org = list_scope(session, params.instansi, params.opd)
    if inst is None and not (principal.is_admin or principal.read_all):
        raise InvalidInput(
            "Sebutkan instansinya (parameter instansi).",
            "Name the instansi (instansi parameter).",
            field="instansi",
        )
    if inst is not None:
        require_reader(principal, inst.id)
    if (
        params.kind
        and params.kind not in KINDS
        and params.kind
        not in (
            "relation",
            "organisation",
            "instansi",
            "reference_set",
            "reference_node",
            "lookup_value",
            "user",
            "role_membership",
            "api_token",
            "review",
            "withdraw_review",
        )
    ):
        raise InvalidInput(
            f"Jenis '{params.kind}' tidak dikenal.",
            f"Unknown kind '{params.kind}'.",
            field="kind",
            value=params.kind,
        )
    return FeedFilter(
        instansi_id=inst.id if inst else None,
        actor=params.actor,
        owner_id=org.id if org else None,
        kind=params.kind,
        since=params.since,
        until=params.until,
        include_accounts=principal.is_admin,
    )


@router.get(
    "/changes",
    response_model=PageOut[HistoryOut],
    tags=["Riwayat"],
    summary="Umpan perubahan instansi / Change feed",
)
def changes(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    params: Annotated[FeedParams, Query()],
) -> PageOut[HistoryOut]:
    flt = feed_filter(session, principal, params)
    page = change_feed(session, flt, page=params.page, per_page=params.per_page)
    from catalog.queries.history import HistoryEntry

    items = [history_out(HistoryEntry(r, field_changes(r))) for r in page.items]
    return PageOut[HistoryOut](
        items=items,
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        links=page_links(request, page.page, page.pages, "/perubahan"),
    )


@router.get(
    "/changes.csv",
    tags=["Riwayat"],
    summary="Umpan perubahan sebagai CSV / as CSV",
    response_class=StreamingResponse,
)
def changes_csv(
    session: SessionDep, principal: PrincipalDep, params: Annotated[FeedParams, Query()]
) -> StreamingResponse:
    flt = feed_filter(session, principal, params)

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "waktu",
                "pelaku",
                "sumber",
                "id_permintaan",
                "aksi",
                "jenis",
                "id",
                "kode",
                "isian",
                "sebelum",
                "sesudah",
            ]
        )
        for record in feed_rows(session, flt):
            changes = field_changes(record) or [None]
            for c in changes:
                writer.writerow(
                    [
                        record.at.isoformat(),
                        record.actor_name,
                        record.source,
                        record.request_id or "",
                        record.action,
                        record.object_kind,
                        record.object_id,
                        record.object_code or "",
                        c.field if c else "",
                        "" if c is None or c.before is None else c.before,
                        "" if c is None or c.after is None else c.after,
                    ]
                )
            yield out.getvalue()
            out.seek(0)
            out.truncate(0)

    # A byte-order mark so that spreadsheet programs read the UTF-8 correctly.
    return StreamingResponse(
        iter(["\ufeff", *rows()]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="perubahan.csv"'},
    )


@router.post(
    "/applications/similar",
    tags=[KINDS["application"].label_en_plural],
    summary=(
        "Pemeriksaan saat pendaftaran: aplikasi serupa dan Aplikasi Umum yang tumpang tindih, "
        "berperingkat dengan buktinya; tidak menyimpan apa pun / Registration-time check: "
        "ranked similar applications and overlapping national systems with their evidence; "
        "never saves"
    ),
)
def similar(
    session: SessionDep,
    principal: PrincipalDep,
    body: SimilarIn,
    instansi: Annotated[str | None, Query()] = None,
) -> list[dict[str, Any]]:
    inst, _ = list_scope(session, instansi, None)
    instansi_id = inst.id if inst else None
    if body.owner_id is not None and instansi_id is None:
        instansi_id = find_organisation(session, None, str(body.owner_id)).instansi_id
    found = similar_applications(
        session,
        name=body.name,
        acronym=body.acronym,
        reference_code=body.reference_code,
        instansi_id=instansi_id,
        owner_id=body.owner_id,
        principal=principal,
        **{
            k: v
            for k, v in body.model_dump().items()
            if k in DRAFT_FIELDS and k not in _FIXED and v
        },
    )
    return [candidate_summary(c) for c in found]


# The draft fields passed by name above; the rest go through as further fields.
_FIXED = ("name", "acronym", "reference_code", "owner_id")
