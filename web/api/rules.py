"""The table of analysis rules."""

from __future__ import annotations

from fastapi import APIRouter

from catalog.analysis.engine import load_rules
from catalog.analysis.rules import FAMILIES, RULES
from schemas.findings import RuleOut

router = APIRouter()


@router.get("/rules", response_model=list[RuleOut], summary="Tabel aturan / Rules")
def rules() -> list[RuleOut]:
    """Setiap aturan analisis: id, tingkat, apa yang diperiksa, mengapa penting menurut SPBE,
    dan cara menyelesaikannya. / Every analysis rule."""
    load_rules()
    order = list(FAMILIES)
    return [
        RuleOut(
            id=r.id,
            family=r.family,
            severity=r.severity,  # type: ignore[arg-type]
            title=r.title,
            title_en=r.title_en,
            why=r.why,
            why_en=r.why_en,
            clear=r.clear,
            clear_en=r.clear_en,
        )
        for r in sorted(RULES.values(), key=lambda r: (order.index(r.family), r.id))
    ]


__all__ = ["router"]
