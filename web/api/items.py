"""List and detail endpoints for every kind, registered from the kind table.

No postponed annotations here: FastAPI must see the real per-kind types of the closures."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import ValidationError

from catalog.access import Principal
from catalog.errors import InvalidInput
from catalog.kinds import KINDS, KindSpec
from catalog.queries.items import ItemFilter, get_detail, list_items
from catalog.queries.scope import list_scope
from catalog.validation import problems_from_validation_error
from schemas.common import PageLinks
from schemas.filters import LIST_PARAMS, ListParams, kind_filters
from schemas.items import DETAIL, PUBLIC
from schemas.pages import PageOut
from web.api.exchange import list_download
from web.api.presenters import Presenter
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()


def page_links(request: Request, page: int, pages: int, html_path: str | None = None) -> PageLinks:
    params = dict(request.query_params)

    def at(n: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'page': n})}"

    query = f"?{urlencode(params)}" if params else ""
    return PageLinks(
        self=at(page),
        next=at(page + 1) if page < pages else None,
        prev=at(page - 1) if page > 1 else None,
        html=f"{html_path}{query}" if html_path else None,
    )


def item_filter(
    session: Any, spec: KindSpec, params: ListParams, principal: Principal
) -> ItemFilter:
    inst, org = list_scope(session, params.instansi, params.opd)
    return ItemFilter(
        principal=principal,
        instansi_id=inst.id if inst else None,
        owner_id=org.id if org else None,
        reference=params.reference,
        status=params.status,
        q=params.q,
        include_retired=params.include_retired,
        fields=kind_filters(spec.key, params),
    )


def list_params(
    request: Request, model: type[ListParams], *, skip: tuple[str, ...] = ()
) -> tuple[ListParams, dict[str, str]]:
    """A list's filters read from the query string by the list's model (which refuses
    unknown parameters), and the raw values given; empty values count as not given."""
    raw = {k: v for k, v in request.query_params.items() if k not in ("lang", *skip) and v != ""}
    try:
        return model.model_validate(raw), raw
    except ValidationError as exc:
        raise InvalidInput.from_problems(problems_from_validation_error(exc, model)) from exc


def _register(spec: KindSpec) -> None:
    params_model = LIST_PARAMS[spec.key]
    public = PUBLIC[spec.key]
    detail_model = DETAIL[spec.key]

    def list_endpoint(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        params: Annotated[params_model, Query()],  # type: ignore[valid-type]
    ) -> PageOut[public]:  # type: ignore[valid-type]
        flt = item_filter(session, spec, params, principal)
        page = list_items(
            session, spec.key, flt, page=params.page, per_page=params.per_page, sort=params.sort
        )
        return PageOut[public](  # type: ignore[valid-type]
            items=Presenter(session, spec.key).public(page.items),
            total=page.total,
            page=page.page,
            per_page=page.per_page,
            pages=page.pages,
            links=page_links(request, page.page, page.pages, f"/{spec.page_path}"),
        )

    def detail_endpoint(
        response: Response,
        session: SessionDep,
        principal: PrincipalDep,
        item_id: Annotated[int, Path(description="Id item")],
    ) -> detail_model:  # type: ignore[valid-type]
        detail = get_detail(session, spec.key, item_id, principal=principal)
        # The version, for If-Match on the next update.
        response.headers["ETag"] = f'"{detail.item.version}"'
        return Presenter(session, spec.key).detail(detail)

    router.add_api_route(
        f"/{spec.api_path}",
        list_endpoint,
        methods=["GET"],
        response_model=PageOut[public],  # type: ignore[valid-type]
        name=f"api_{spec.key}_list",
        summary=f"Daftar {spec.label} / {spec.label_en_plural}",
        tags=[spec.label_en_plural],
    )

    def export_endpoint(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        fmt: Annotated[
            str,
            Query(
                alias="format",
                description="xlsx, csv, json, yaml, dcat, evidence; the other parameters are "
                "the list's filters",
            ),
        ] = "xlsx",
    ) -> FileResponse:
        params, _raw = list_params(request, params_model, skip=("format",))
        flt = item_filter(session, spec, params, principal)
        return list_download(request, session, spec.key, flt, fmt)

    # Before the detail route, which would take "ekspor" for an id.
    router.add_api_route(
        f"/{spec.api_path}/export",
        export_endpoint,
        methods=["GET"],
        response_class=FileResponse,
        name=f"api_{spec.key}_export",
        summary=f"Unduh daftar {spec.label} tersaring / Download the filtered list",
        description="Semua halaman daftar dengan saringan yang sama, sebagai berkas (XLSX dan "
        "CSV dapat diimpor kembali). / Every page of the list with the same filters, as a file.",
        tags=[spec.label_en_plural],
    )
    router.add_api_route(
        f"/{spec.api_path}/{{item_id}}",
        detail_endpoint,
        methods=["GET"],
        response_model=detail_model,
        name=f"api_{spec.key}_detail",
        summary=f"Rincian {spec.label} / {spec.label_en} detail",
        tags=[spec.label_en_plural],
    )


for _spec in KINDS.values():
    _register(_spec)
