"""Write endpoints: create, update (PATCH with a version), retire, restore, history,
relations, integration confirmation. Every route resolves codes to ids, calls one
service (which checks permission and validity) and answers with the item's detail."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from sqlmodel import Session

from catalog.errors import InvalidInput, PreconditionRequired
from catalog.kinds import KINDS, KindSpec
from catalog.models import Relation
from catalog.queries.history import item_history
from catalog.queries.items import get_detail
from catalog.queries.scope import find_instansi, find_organisation
from catalog.services import create_item, link, restore_item, retire_item, unlink, update_item
from catalog.services.integrations import confirm_integration
from schemas.items import DETAIL
from schemas.writes import (
    CREATE,
    UNIT_CODE_FIELDS,
    UPDATE,
    FieldChangeOut,
    HistoryOut,
    RelationCreate,
    RelationOut,
    VersionIn,
)
from web.api.presenters import Presenter, api_url
from web.auth import ApiWriterDep, PrincipalDep, identify
from web.deps import SessionDep

router = APIRouter()


def resolve_codes(
    session: Session, spec: KindSpec, body: dict[str, Any], current: Any = None
) -> dict[str, Any]:
    """Turn ``instansi``/``owner``/unit codes into ids (ids given directly win)."""
    data = dict(body)
    inst_code = data.pop("instansi", None)
    instansi_id = data.get("instansi_id") or (current.instansi_id if current is not None else None)
    if inst_code and data.get("instansi_id") is None:
        instansi_id = find_instansi(session, inst_code).id
        data["instansi_id"] = instansi_id
    for id_field, code_field in UNIT_CODE_FIELDS.items():
        code = data.pop(code_field, None)
        if code and data.get(id_field) is None:
            data[id_field] = find_organisation(session, instansi_id, code).id
    return data


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    if if_match:
        text = if_match.strip().removeprefix("W/").strip('"')
        if not text.isdigit():
            raise InvalidInput(
                f"Header If-Match '{if_match}' bukan nomor versi.",
                f"If-Match header '{if_match}' is not a version number.",
                field="If-Match",
                value=if_match,
            )
        return int(text)
    return body_version


def detail_response(
    request: Request, response: Response, session: Session, spec: KindSpec, item_id: int
) -> Any:
    _, principal = identify(request, session)
    detail = get_detail(session, spec.key, item_id, principal=principal)
    response.headers["ETag"] = f'"{detail.item.version}"'
    return Presenter(session, spec.key).detail(detail)


CREATE_APPLICATION_DOC = (
    "Mendaftarkan aplikasi. Dengan `?check_similar=true`, pencocok duplikasi analisis "
    "dijalankan dulu (seperti kotak *sudah ada aplikasi serupa…* di formulir): bila ada "
    "aplikasi instansi yang sama atau Aplikasi Umum nasional yang mirip, jawabannya 409 "
    "`similar_applications` dengan kandidat berperingkat beserta skor dan buktinya di "
    "`similar`, dan tidak ada yang disimpan; kirim ulang tanpa `check_similar` untuk "
    "tetap mendaftarkan. Tanpa menyimpan apa pun: `POST /api/v1/applications/similar`.\n\n"
    "Registers an application. With `?check_similar=true` the analysis duplicate matcher "
    "runs first (like the form's *similar applications* box): if applications of the same "
    "instansi or national Aplikasi Umum look alike, the answer is 409 `similar_applications` "
    "with ranked candidates, their score and evidence in `similar`, and nothing is "
    "saved; post again without `check_similar` to register anyway. To only check: "
    "`POST /api/v1/applications/similar`."
)


def refuse_if_similar(session: Session, actor: Any, data: dict[str, Any]) -> None:
    """The registration-time check of the API: a Conflict naming the look-alikes."""
    from catalog.errors import Conflict
    from catalog.models import Organisation
    from catalog.queries.similar import DRAFT_FIELDS, candidate_summary, similar_applications

    owner = session.get(Organisation, data["owner_id"]) if data.get("owner_id") else None
    fixed = ("name", "acronym", "reference_code", "owner_id")
    found = similar_applications(
        session,
        name=str(data.get("name") or ""),
        acronym=data.get("acronym"),
        reference_code=data.get("reference_code"),
        instansi_id=owner.instansi_id if owner is not None else data.get("instansi_id"),
        owner_id=data.get("owner_id"),
        principal=actor.principal,
        **{k: data[k] for k in DRAFT_FIELDS if k not in fixed and data.get(k)},
    )
    if found:
        names = ", ".join(c.application.name for c in found[:3])
        raise Conflict(
            f"Sudah ada aplikasi serupa ({names}); tidak ada yang disimpan. Periksa "
            "kandidatnya, lalu kirim ulang tanpa check_similar untuk tetap mendaftarkan.",
            f"Similar applications exist ({names}); nothing was saved. Check the "
            "candidates, then post again without check_similar to register anyway.",
            field="name",
            value=data.get("name"),
            code="similar_applications",
            details={"similar": [candidate_summary(c) for c in found]},
        )


def _register(spec: KindSpec) -> None:
    create_model, update_model, detail_model = CREATE[spec.key], UPDATE[spec.key], DETAIL[spec.key]

    def create(
        request: Request,
        response: Response,
        session: SessionDep,
        actor: ApiWriterDep,
        body: create_model,  # type: ignore[valid-type]
    ) -> detail_model:  # type: ignore[valid-type]
        data = resolve_codes(session, spec, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        item = create_item(session, actor, spec.key, data)
        response.status_code = 201
        response.headers["Location"] = api_url(spec.key, item.id)  # type: ignore[attr-defined]
        return detail_response(request, response, session, spec, item.id)  # type: ignore[attr-defined]

    def create_application(
        request: Request,
        response: Response,
        session: SessionDep,
        actor: ApiWriterDep,
        body: create_model,  # type: ignore[valid-type]
        check_similar: Annotated[
            bool,
            Query(
                description="Periksa aplikasi serupa dulu; bila ada: 409 dan tidak disimpan / "
                "check for similar applications first; if any: 409, nothing saved"
            ),
        ] = False,
    ) -> detail_model:  # type: ignore[valid-type]
        if check_similar:
            data = resolve_codes(session, spec, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
            refuse_if_similar(session, actor, data)
        return create(request, response, session, actor, body)

    def update(
        request: Request,
        response: Response,
        session: SessionDep,
        actor: ApiWriterDep,
        item_id: Annotated[int, Path()],
        body: update_model,  # type: ignore[valid-type]
        if_match: Annotated[str | None, Header()] = None,
    ) -> detail_model:  # type: ignore[valid-type]
        data = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        version = expected_version(if_match, data.pop("version", None))
        if version is None:
            raise PreconditionRequired(
                "Sertakan versi item yang Anda ubah (header If-Match atau isian 'version'), "
                "agar perubahan orang lain tidak tertimpa.",
                "Send the version of the item you are changing (If-Match header or 'version' "
                "field), so that nobody's change is overwritten.",
                field="version",
            )
        from catalog.services.items import get_item

        current = get_item(session, spec.key, item_id)
        update_item(
            session,
            actor,
            spec.key,
            item_id,
            resolve_codes(session, spec, data, current),
            expected_version=version,
        )
        return detail_response(request, response, session, spec, item_id)

    def retire(
        request: Request,
        response: Response,
        session: SessionDep,
        actor: ApiWriterDep,
        item_id: Annotated[int, Path()],
        body: VersionIn | None = None,
        if_match: Annotated[str | None, Header()] = None,
    ) -> detail_model:  # type: ignore[valid-type]
        retire_item(
            session,
            actor,
            spec.key,
            item_id,
            note=body.note if body else None,
            expected_version=expected_version(if_match, body.version if body else None),
        )
        return detail_response(request, response, session, spec, item_id)

    def restore(
        request: Request,
        response: Response,
        session: SessionDep,
        actor: ApiWriterDep,
        item_id: Annotated[int, Path()],
        body: VersionIn | None = None,
        if_match: Annotated[str | None, Header()] = None,
    ) -> detail_model:  # type: ignore[valid-type]
        restore_item(
            session,
            actor,
            spec.key,
            item_id,
            expected_version=expected_version(if_match, body.version if body else None),
        )
        return detail_response(request, response, session, spec, item_id)

    def history(
        session: SessionDep, principal: PrincipalDep, item_id: Annotated[int, Path()]
    ) -> list[HistoryOut]:
        detail = get_detail(session, spec.key, item_id, principal=principal)
        require_reader(principal, detail.item.instansi_id)
        return [history_out(e) for e in item_history(session, spec.key, item_id)]

    base = f"/{spec.api_path}"
    tags = [spec.label_en_plural]
    router.add_api_route(
        base,
        create_application if spec.key == "application" else create,
        methods=["POST"],
        status_code=201,
        response_model=detail_model,
        summary=f"Daftarkan {spec.label} / Create"
        + (
            " (?check_similar=true: periksa aplikasi serupa dulu)"
            if spec.key == "application"
            else ""
        ),
        description=CREATE_APPLICATION_DOC if spec.key == "application" else None,
        responses=(
            {409: {"description": "Ada aplikasi serupa (check_similar=true) / similar exist"}}
            if spec.key == "application"
            else None
        ),
        tags=tags,
        name=f"api_{spec.key}_create",
    )
    router.add_api_route(
        f"{base}/{{item_id}}",
        update,
        methods=["PATCH"],
        response_model=detail_model,
        summary=f"Ubah {spec.label} / Update (If-Match)",
        tags=tags,
        name=f"api_{spec.key}_update",
    )
    router.add_api_route(
        f"{base}/{{item_id}}/retire",
        retire,
        methods=["POST"],
        response_model=detail_model,
        summary=f"Hentikan {spec.label} / Retire",
        tags=tags,
        name=f"api_{spec.key}_retire",
    )
    router.add_api_route(
        f"{base}/{{item_id}}/restore",
        restore,
        methods=["POST"],
        response_model=detail_model,
        summary=f"Pulihkan {spec.label} / Restore",
        tags=tags,
        name=f"api_{spec.key}_restore",
    )
    router.add_api_route(
        f"{base}/{{item_id}}/history",
        history,
        methods=["GET"],
        response_model=list[HistoryOut],
        summary=f"Riwayat {spec.label} / History",
        tags=tags,
        name=f"api_{spec.key}_history",
    )


def require_reader(principal: Any, instansi_id: int) -> None:
    """Histories show who changed what: for people with reading rights on the instansi."""
    if principal.can_read_instansi(instansi_id):
        return
    from catalog.errors import Forbidden

    raise Forbidden(
        "Riwayat perubahan hanya untuk pengguna yang berhak membaca instansi ini. Silakan masuk.",
        "The change history is for users with reading rights on this instansi. Please sign in.",
        field="permission",
        value="history",
    )


def history_out(entry: Any) -> HistoryOut:
    r = entry.record
    return HistoryOut(
        id=r.id,
        at=r.at,
        actor=r.actor_name,
        source=r.source,
        request_id=r.request_id,
        action=r.action,
        object_kind=r.object_kind,
        object_id=r.object_id,
        object_code=r.object_code,
        note=r.note,
        changes=[
            FieldChangeOut(field=c.field, before=c.before, after=c.after) for c in entry.changes
        ],
    )


for _spec in KINDS.values():
    _register(_spec)


def relation_out(rel: Relation) -> RelationOut:
    return RelationOut(
        id=rel.id,
        type=rel.type,
        source_kind=rel.source_kind,
        source_id=rel.source_id,  # type: ignore[arg-type]
        target_kind=rel.target_kind,
        target_id=rel.target_id,
        note=rel.note,
    )


@router.post(
    "/relations",
    response_model=RelationOut,
    status_code=201,
    tags=["Relasi"],
    summary="Hubungkan dua item / Link two items",
)
def create_relation(session: SessionDep, actor: ApiWriterDep, body: RelationCreate) -> RelationOut:
    rel = link(
        session,
        actor,
        body.type,
        body.source_kind,
        body.source_id,
        body.target_kind,
        body.target_id,
        note=body.note,
    )
    return relation_out(rel)


@router.delete(
    "/relations/{relation_id}", status_code=204, tags=["Relasi"], summary="Lepas hubungan / Unlink"
)
def delete_relation(
    session: SessionDep, actor: ApiWriterDep, relation_id: Annotated[int, Path()]
) -> Response:
    unlink(session, actor, relation_id)
    return Response(status_code=204)


@router.post(
    "/integrations/{item_id}/confirm",
    response_model=DETAIL["integration"],
    tags=[KINDS["integration"].label_en_plural],
    summary="Konfirmasi integrasi oleh pihak Anda / Confirm your side",
)
def confirm(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: ApiWriterDep,
    item_id: Annotated[int, Path()],
) -> Any:
    confirm_integration(session, actor, item_id)
    return detail_response(request, response, session, KINDS["integration"], item_id)
