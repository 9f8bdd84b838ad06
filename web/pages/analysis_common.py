"""What the analysis pages share: labels in the page's language for their templates, the
instansi and OPD a list can be scoped to, and reading the query string.

Every analysis page reads the findings cache (:mod:`catalog.services.analysis`); only a page
scoped to one instansi whose cache is stale analyses it again, which takes well under a
second.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import select
from sqlmodel import Session

from catalog.access import Principal
from catalog.analysis.engine import load_rules
from catalog.analysis.rules import FAMILIES, RULES
from catalog.enums import FindingState, InstansiKind, ReviewVerdict, label
from catalog.kinds import KINDS
from catalog.models import Instansi, Organisation
from catalog.services.reviews import verdicts_for
from web.api.findings import finding_url
from web.i18n import request_language, translator

SEVERITY_LABELS = {"high": "Tinggi", "medium": "Sedang", "low": "Rendah", "info": "Info"}
# Edge types of an impact step, as a reader says them ("needs it because it …").
VIA_LABELS = {
    "supported_by": "didukung layanan",
    "delivered_by": "dijalankan aplikasi",
    "reads": "membaca data",
    "produces": "diproduksi aplikasi",
    "uses_data": "memakai data",
    "hosted_on": "berjalan di",
    "depends_on": "bergantung pada",
    "part_of": "bagian dari",
    "channel_of": "kanal dari",
    "from": "integrasi dari penyedia",
    "to": "menerima integrasi",
    "via": "integrasi melalui",
    "carries": "integrasi membawa data",
}


def subject_url(subject: dict[str, Any]) -> str | None:
    kind = subject.get("kind")
    if kind in KINDS:
        return f"/{KINDS[kind].page_path}/{subject['id']}"
    if kind == "organisation":
        return f"/opd/{subject['id']}"
    return None


def template_helpers(request: Request) -> dict[str, Any]:
    """What the analysis templates share: labels in the page's language."""
    lang = request_language(request)
    gettext = translator(lang)
    load_rules()

    def rule_title(rule_id: str) -> str:
        rule = RULES.get(rule_id)
        if rule is None:
            return rule_id
        return rule.title_en if lang == "en" else rule.title

    def family_title(family: str) -> str:
        pair = FAMILIES.get(family)
        return (pair[1] if lang == "en" else pair[0]) if pair else family

    return {
        "rule_title": rule_title,
        "family_title": family_title,
        "severity_label": lambda s: gettext(SEVERITY_LABELS.get(s, s)),
        "state_label": lambda s: label(s, FindingState, lang),
        "verdict_label": lambda v: label(v, ReviewVerdict, lang),
        "via_label": lambda v: gettext(VIA_LABELS.get(v, v)),
        "subject_url": subject_url,
        "text_of": lambda f, name: f.body.get(f"{name}_en" if lang == "en" else name, ""),
        "verdicts_for": lambda family: [
            (v.value, label(v, ReviewVerdict, lang)) for v in verdicts_for(family)
        ],
        "finding_url": finding_url,
        "lang": lang,
    }


def instansi_choices(session: Session, principal: Principal | None) -> list[Instansi]:
    """The regional instansi a list can be scoped to."""
    stmt = select(Instansi).where(Instansi.kind != InstansiKind.PUSAT).order_by(Instansi.code)
    return list(session.execute(stmt.limit(600)).scalars())


def top_units(session: Session, instansi: Instansi | None) -> list[Organisation]:
    """The OPD of an instansi (its units without a parent), by name."""
    if instansi is None:
        return []
    return list(
        session.execute(
            select(Organisation)
            .where(Organisation.instansi_id == instansi.id, Organisation.parent_id.is_(None))
            .order_by(Organisation.name)
        ).scalars()
    )


def query_string(request: Request, *skip: str) -> str:
    """The page's filters, for links and the JSON twin (without the language)."""
    return urlencode(
        [
            (k, v)
            for k, v in request.query_params.multi_items()
            if k not in ("lang", *skip) and v != ""
        ]
    )


def page_number(value: str | None, default: int) -> int:
    """A page number from the query string; a bad one is the default."""
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        return default


__all__ = [
    "SEVERITY_LABELS",
    "VIA_LABELS",
    "instansi_choices",
    "page_number",
    "query_string",
    "subject_url",
    "template_helpers",
    "top_units",
]
