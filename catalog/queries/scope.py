"""Finding the instansi and units people refer to by code (or id)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from catalog.enums import InstansiKind
from catalog.errors import InvalidInput, NotFound
from catalog.models import Instansi, Organisation


def find_instansi(session: Session, ref: str | int) -> Instansi:
    text = str(ref).strip()
    obj = session.execute(select(Instansi).where(Instansi.code == text)).scalar_one_or_none()
    if obj is None:
        obj = session.execute(
            select(Instansi).where(func.lower(Instansi.code) == text.lower())
        ).scalar_one_or_none()
    if obj is None and text.isdigit():
        obj = session.get(Instansi, int(text))
    if obj is None:
        raise NotFound(
            f"Instansi '{text}' tidak ditemukan. Lihat daftar dengan: katalog instansi list",
            f"Instansi '{text}' not found. List them with: katalog instansi list",
            field="instansi",
            value=text,
        )
    return obj


def local_instansi_ids(session: Session, limit: int = 2) -> list[int]:
    return list(
        session.execute(
            select(Instansi.id)
            .where(Instansi.kind != InstansiKind.PUSAT)
            .order_by(Instansi.id)
            .limit(limit)
        ).scalars()
    )


def local_instansi(session: Session, limit: int = 60) -> list[Instansi]:
    """Local (non-central) instansi by code, for choosing one on a page."""
    return list(
        session.execute(
            select(Instansi)
            .where(Instansi.kind != InstansiKind.PUSAT)
            .order_by(Instansi.code)
            .limit(limit)
        ).scalars()
    )


def default_instansi(session: Session) -> Instansi | None:
    """The only local (non-central) instansi, when the catalogue holds exactly one."""
    ids = local_instansi_ids(session)
    return session.get(Instansi, ids[0]) if len(ids) == 1 else None


def resolve_instansi(
    session: Session, ref: str | int | None, *, required: bool = False
) -> Instansi | None:
    if ref not in (None, ""):
        return find_instansi(session, ref)  # type: ignore[arg-type]
    found = default_instansi(session)
    if found is None and required:
        raise InvalidInput(
            "Sebutkan instansinya (--instansi KODE): katalog ini memuat lebih dari satu "
            "instansi lokal, atau belum ada sama sekali.",
            "Name the instansi (--instansi CODE): this catalogue holds more than one local "
            "instansi, or none yet.",
            field="instansi",
        )
    return found


def get_organisation(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound(
            f"Unit dengan id {org_id} tidak ditemukan.",
            f"Unit with id {org_id} not found.",
            field="id",
            value=org_id,
        )
    return org


def find_organisation(session: Session, instansi_id: int | None, ref: str | int) -> Organisation:
    text = str(ref).strip()
    stmt = select(Organisation).where(Organisation.code == text)
    if instansi_id is not None:
        stmt = stmt.where(Organisation.instansi_id == instansi_id)
    rows = list(session.execute(stmt.limit(2)).scalars())
    if len(rows) == 1:
        return rows[0]
    if not rows and text.isdigit():
        obj = session.get(Organisation, int(text))
        if obj is not None and (instansi_id is None or obj.instansi_id == instansi_id):
            return obj
    if len(rows) > 1:
        raise InvalidInput(
            f"Kode OPD '{text}' dipakai di beberapa instansi; sebutkan instansinya.",
            f"Unit code '{text}' exists in several instansi; name the instansi.",
            field="opd",
            value=text,
        )
    raise NotFound(
        f"OPD '{text}' tidak ditemukan" + (" di instansi ini." if instansi_id else "."),
        f"Unit '{text}' not found" + (" in this instansi." if instansi_id else "."),
        field="opd",
        value=text,
    )


ALL = ("semua", "all", "*")


def list_scope(
    session: Session, instansi: str | None, opd: str | None
) -> tuple[Instansi | None, Organisation | None]:
    """Scope of a list: the named instansi, every instansi ('semua'), or by default the
    only local one; and optionally one unit subtree."""
    inst: Instansi | None
    if instansi and instansi.strip().lower() in ALL:
        inst = None
    else:
        inst = resolve_instansi(session, instansi)
    org = find_organisation(session, inst.id if inst else None, opd) if opd else None
    if org is not None and inst is None:
        inst = session.get(Instansi, org.instansi_id)
    return inst, org
