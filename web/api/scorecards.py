"""Scorecards of an instansi and its OPD, computed with the findings."""

from __future__ import annotations

import importlib.util
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import Session

from catalog.access import Principal
from catalog.errors import NotFound
from catalog.queries.findings import cache_info, instansi_codes, stored_scorecards
from catalog.queries.scope import list_scope
from catalog.services.analysis import ensure_fresh
from schemas.findings import ScorecardOut, ScorecardsOut
from web.api.findings import cache_out
from web.auth import PrincipalDep
from web.deps import SessionDep

router = APIRouter()


def scorecards_available() -> bool:
    return importlib.util.find_spec("catalog.analysis.scorecards") is not None


def scorecards_answer(
    session: Session, principal: Principal, instansi: str | None, opd: str | None
) -> ScorecardsOut:
    """Scorecards of one instansi (analysed again first when stale; its OPD, or one) or,
    with ``semua``, of every instansi as cached (nothing is analysed)."""
    if not scorecards_available():
        raise NotFound(
            "Kartu skor belum tersedia di pemasangan ini (modul analisis kartu skor tidak ada).",
            "Scorecards are not available in this installation (no scorecard analysis).",
            field="scorecards",
        )
    inst, org = list_scope(session, instansi, opd)
    ids = [inst.id] if inst is not None else None
    refreshed: list[int] = []
    if inst is not None and ensure_fresh(session, inst.id):  # type: ignore[arg-type]
        refreshed.append(inst.id)  # type: ignore[arg-type]
    codes = instansi_codes(session)
    items = []
    for stored in stored_scorecards(session, ids):  # type: ignore[arg-type]
        if inst is None:
            units: list[dict[str, Any]] = []
        elif org is not None:
            unit = stored.unit(org)
            if unit is None:
                raise NotFound(
                    f"OPD {org.code} belum punya kartu skor (unit tanpa OPD induk?).",
                    f"Unit {org.code} has no scorecard (a unit without a parent OPD?).",
                    field="opd",
                    value=org.code,
                )
            units = [unit]
        else:
            units = list(stored.card.get("units", []))
        items.append(
            ScorecardOut(
                instansi=codes.get(stored.instansi_id, str(stored.instansi_id)),
                computed_at=stored.computed_at,
                scorecard=stored.card.get("instansi", {}),
                units=units,
            )
        )
    info = cache_info(session, ids, refreshed)
    return ScorecardsOut(items=items, cache=cache_out(info, codes))


@router.get(
    "/scorecards",
    response_model=ScorecardsOut,
    summary="Kartu skor instansi dan OPD / Scorecards (indikator 11 dan 18: perkiraan)",
)
def scorecards(
    session: SessionDep,
    principal: PrincipalDep,
    instansi: Annotated[
        str | None, Query(description="Kode instansi; 'semua' untuk semua instansi")
    ] = None,
    opd: Annotated[str | None, Query(description="Kode OPD: hanya kartu OPD ini")] = None,
) -> ScorecardsOut:
    """Kelengkapan, kesesuaian referensi, duplikasi, porsi integrasi melalui SPL dan domain
    yang tercakup, per instansi dan per OPD, dihitung bersama temuan analisis; tingkat
    indikator SPBE 11 dan 18 adalah **perkiraan** dari isi katalog. / Completeness,
    conformance, duplication, SPL share and domains per instansi and OPD; the levels of
    SPBE indicators 11 and 18 are estimates."""
    return scorecards_answer(session, principal, instansi, opd)


__all__ = ["router", "scorecards_answer", "scorecards_available"]
