"""Integration notes of the applications sheet → proposed integration rows.

The notes are read by :mod:`catalog.exchange.notes`; what is built here is the row each
clear match becomes: an integration with status left at its default (proposed), confirmed
by neither side, found again on re-import by a source key made of the application's source
key and the target. What the matcher cannot place becomes a notice, never a row.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from catalog.enums import InstansiKind
from catalog.exchange.columns import SHEET_BY_KEY
from catalog.exchange.mapping.names import squash
from catalog.exchange.mapping.spec import FROM_MAPPING, MappingSpec
from catalog.exchange.mapping.tables import Context
from catalog.exchange.notes import Matcher, Target
from catalog.exchange.readers import ReadResult, Row, Where


def integration_rows(
    session: Session, mapping: MappingSpec, apps: list[tuple[Row, Context]], result: ReadResult
) -> list[Row]:
    """Proposed integrations from the notes of the applications read (``apps``); what
    cannot be placed goes into ``result.notices``."""
    notes = mapping.notes
    assert notes is not None
    matcher = Matcher()
    _national_targets(session, matcher)
    own: dict[int, Target] = {}
    for row, _ctx in apps:
        code = str(row.values.get("code") or "")
        if not code:
            continue
        name = str(row.values.get("name") or code)
        target = Target(code, name)
        own[id(row)] = target
        phrases = [name, row.values.get("acronym")]
        for phrase in notes.strip_from_names:
            core = squash(re.sub(re.escape(phrase), " ", name, flags=re.IGNORECASE))
            if core and core != name:
                phrases.append(core)
        matcher.add(target, *phrases)
    proposals: dict[tuple[str, str], dict[str, Any]] = {}
    unmatched: list[str] = []
    for row, ctx in apps:
        me = own.get(id(row))
        if me is None:
            continue
        for column in notes.columns:
            alias, _, name = column.partition(".")
            if column not in ctx.record.table.headers and alias in ctx.joined:
                records = sorted(ctx.joined[alias], key=lambda r: r.number)
            else:
                records, name = [ctx.record], column
            for record in records:
                text = record.cells.get(name, "")
                where = record.table.where(record.number, name)
                for clause in matcher.read(text, exclude=[me]):
                    for target in clause.targets:
                        entry = proposals.setdefault(
                            (target.ref, me.ref),
                            {
                                "row": row,
                                "target": target,
                                "me": me,
                                "where": where,
                                "column": name,
                                "quotes": [],
                            },
                        )
                        quote = (where.describe(), clause.sentence)
                        if quote not in entry["quotes"]:
                            entry["quotes"].append(quote)
                    if clause.unmatched:
                        why = (
                            "beberapa aplikasi sama cocoknya ("
                            + "; ".join(", ".join(t.label for t in c) for c in clause.ambiguous)
                            + ")"
                            if clause.ambiguous
                            else "tidak ada aplikasi katalog yang disebut"
                        )
                        notice = (
                            f'{where.describe()} (aplikasi "{me.label}"): catatan integrasi '
                            f'tidak diusulkan, {why}: "{_quote(clause.sentence)}" / '
                            "integration note without a clear catalogue match; no "
                            "integration proposed."
                        )
                        if notice not in unmatched:
                            unmatched.append(notice)
    out = [_proposal(mapping, entry) for entry in proposals.values()]
    result.notices.extend(unmatched)
    result.notices.append(
        f"{len(out)} usulan integrasi (status proposed, belum dikonfirmasi kedua pihak) "
        f"dibuat dari catatan bebas kolom {', '.join(notes.columns)}; {len(unmatched)} "
        f"catatan tanpa padanan jelas dicantumkan di atas. / {len(out)} proposed, "
        f"unconfirmed integrations derived from free-text notes; {len(unmatched)} notes "
        "without a clear match listed above."
    )
    return out


def _proposal(mapping: MappingSpec, entry: dict[str, Any]) -> Row:
    row: Row = entry["row"]
    target: Target = entry["target"]
    me: Target = entry["me"]
    where: Where = entry["where"]
    column: str = entry["column"]
    quotes = "\n".join(f'- {place}: "{_quote(text)}"' for place, text in entry["quotes"])
    description = (
        "Diusulkan otomatis dari catatan integrasi bebas di inventaris lama (bukan fakta "
        "yang sudah diperiksa); belum dikonfirmasi penyedia maupun penerima. / Derived "
        "automatically from a free-text integration note; unconfirmed.\n" + quotes
    )
    source = str(row.values.get("source_key") or me.ref)
    values: dict[str, Any] = {
        "instansi": mapping.instansi["code"],
        "name": f"{target.label} → {me.label}"[:300],
        "description": description,
        "owner": row.values.get("owner"),
        # No status cell: the integration default is "proposed", and a later decision
        # (planned, active…) made in the catalogue is not undone by a re-import.
        "mechanism": "other",
        "confirmed_by_provider": False,
        "confirmed_by_consumer": False,
        "provider": target.ref,
        "consumer": me.ref,
        "source_key": f"catatan-integrasi:{source}:{target.ref}"[:128],
    }
    headers = {k: column for k in values}
    headers["owner"] = row.headers.get("owner", "owner")
    headers["instansi"] = FROM_MAPPING
    return Row(SHEET_BY_KEY["integrations"], values, where, headers)


def _national_targets(session: Session, matcher: Matcher) -> None:
    from catalog.models import Application, Instansi

    rows = session.execute(
        select(Application.code, Application.name, Application.acronym, Instansi.code)
        .join(Instansi, Application.instansi_id == Instansi.id)
        .where(Instansi.kind == InstansiKind.PUSAT, Application.retired_at.is_(None))
        .order_by(Instansi.code, Application.code)
    ).all()
    for code, name, acronym, inst in rows:
        matcher.add(Target(f"{inst}/{code}", name, national=True), name, acronym)


def _quote(text: str, limit: int = 300) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
