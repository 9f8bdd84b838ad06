"""Listing findings: one page, every match streamed, one by its key hash; each checked
against what the viewer may see now."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from catalog.access import SYSTEM, Principal, is_restricted
from catalog.kinds import KINDS
from catalog.models import Instansi
from catalog.queries.findings.filters import ALL, ORDER, D, F, FindingFilter, filtered
from catalog.queries.findings.rows import FindingRow, row_of
from catalog.queries.items import Page, paginate


def list_findings(
    session: Session, flt: FindingFilter, *, page: int = 1, per_page: int = 50
) -> Page:
    """One page of findings (:class:`FindingRow`), most severe first."""
    stmt = filtered(session, flt, F.id)
    result = paginate(session, stmt, list(ORDER), page, per_page, key=F.id)
    ids = list(result.items)
    rows = _rows_by_id(session, ids)
    result.items = still_visible(session, flt.principal, [rows[i] for i in ids if i in rows])
    return result


def _rows_by_id(session: Session, ids: Sequence[int]) -> dict[int, FindingRow]:
    if not ids:
        return {}
    stmt = (
        select(F, D)
        .outerjoin(
            D,
            and_(D.key_hash == F.key_hash, D.instansi_id == F.instansi_id, D.is_current.is_(True)),
        )
        .where(F.id.in_(list(ids)))
    )
    return {f.id: row_of(f, d) for f, d in session.execute(stmt)}


_ROW_COLUMNS = (
    F.id,
    F.instansi_id,
    F.rule,
    F.family,
    F.severity,
    F.key_hash,
    F.evidence_hash,
    F.score,
    F.body,
)


def iter_findings(session: Session, flt: FindingFilter) -> Iterator[FindingRow]:
    """Every matching finding, in list order, streamed (CLI output, downloads)."""
    # Plain columns, not AnalysisFinding objects: a national listing streams ~50,000 rows
    # and building an ORM object for each costs more than the rest of the listing.
    stmt = filtered(session, flt, *_ROW_COLUMNS, D).order_by(*ORDER)
    rows = (
        FindingRow(
            id=v[0],
            instansi_id=v[1],
            rule=v[2],
            family=v[3],
            severity=v[4],
            key_hash=v[5],
            evidence_hash=v[6],
            score=v[7],
            raw_body=v[8],
            review=v[9],
        )
        for v in session.execute(stmt.execution_options(yield_per=2000))
    )
    if flt.principal.is_admin or flt.principal.read_all:
        yield from rows
        return
    batch: list[FindingRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 500:
            yield from still_visible(session, flt.principal, batch)
            batch = []
    yield from still_visible(session, flt.principal, batch)


def still_visible(
    session: Session, principal: Principal, rows: list[FindingRow]
) -> list[FindingRow]:
    """The rows whose subjects the principal may see *now*. The cache's flags were set
    when the finding was computed; an item made internal since must not show in a list
    served from an older cache (national lists do not wait for every instansi)."""
    if principal.is_admin or principal.read_all or not rows:
        return rows
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for s in row.subjects:
            if s.get("kind") in KINDS:
                wanted[s["kind"]].add(int(s["id"]))
    hidden: set[tuple[str, int]] = set()
    for kind, ids in wanted.items():
        model: Any = KINDS[kind].model
        columns = [model.id, model.instansi_id, model.is_internal]
        if kind == "dataset":
            columns.append(model.classification)
        for values in session.execute(select(*columns).where(model.id.in_(sorted(ids)))):
            item = dict(values._mapping)
            if is_restricted(kind, item) and not principal.can_read_instansi(item["instansi_id"]):
                hidden.add((kind, item["id"]))
    if not hidden:
        return rows
    return [r for r in rows if not any((s.get("kind"), s.get("id")) in hidden for s in r.subjects)]


def get_finding(
    session: Session, instansi_id: int, key_hash: str, principal: Principal = SYSTEM
) -> FindingRow | None:
    """The cached finding with this key in this instansi, if the principal may see it."""
    flt = FindingFilter(
        principal=principal, instansi_ids=[instansi_id], key_hash=key_hash, state=ALL
    )
    stmt = filtered(session, flt, F, D).order_by(*ORDER).limit(1)
    found = session.execute(stmt).first()
    if found is None:
        return None
    rows = still_visible(session, principal, [row_of(found[0], found[1])])
    return rows[0] if rows else None


def instansi_codes(session: Session, ids: Collection[int] | None = None) -> dict[int, str]:
    stmt = select(Instansi.id, Instansi.code)
    if ids is not None and len(ids) <= 500:
        stmt = stmt.where(Instansi.id.in_(sorted(ids)))
    return {i: c for i, c in session.execute(stmt)}


__all__ = ["get_finding", "instansi_codes", "iter_findings", "list_findings", "still_visible"]
