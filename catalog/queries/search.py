"""Full-text search over every kind, on SQLite (FTS5) and PostgreSQL (tsvector).

Words are matched as prefixes ("kepeg" finds "Kepegawaian"), all words must match, and
anything that is not a letter or digit is dropped, so user input can never break or
inject into the query syntax.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table, text
from sqlmodel import Session

from catalog.access import ANONYMOUS, SYSTEM, Principal, search_visible_clause
from catalog.models import SearchEntry

_WORD = re.compile(r"\w+", re.UNICODE)
_fts = table("search_fts", column("rowid"), column("rank"))


def query_words(q: str | None, limit: int = 8) -> list[str]:
    """The words of a query, lower-cased, at most ``limit`` of them.

    >>> query_words("SIMPEG; DROP TABLE--  e-Kinerja")
    ['simpeg', 'drop', 'table', 'e', 'kinerja']
    """
    return [w.lower() for w in _WORD.findall(q or "")][:limit]


def fts5_expression(words: list[str]) -> str:
    """
    >>> fts5_expression(["sistem", "kepeg"])
    '"sistem"* "kepeg"*'
    """
    return " ".join(f'"{w}"*' for w in words)


def tsquery_expression(words: list[str]) -> str:
    """
    >>> tsquery_expression(["sistem", "kepeg"])
    'sistem:* & kepeg:*'
    """
    return " & ".join(f"{w}:*" for w in words)


def matching_entries(
    session: Session, q: str, kind: str | None = None, principal: Principal = ANONYMOUS
) -> Select | None:
    """``SELECT search_entry.id, kind, item_id, instansi_id, rank`` for a query, best first;
    ``None`` when the query has no words."""
    words = query_words(q)
    if not words:
        return None
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        stmt = (
            select(
                SearchEntry.id,
                SearchEntry.kind,
                SearchEntry.item_id,
                SearchEntry.instansi_id,
                _fts.c.rank.label("rank"),
            )
            .select_from(_fts)
            .join(SearchEntry, SearchEntry.id == _fts.c.rowid)
            .where(text("search_fts MATCH :fts").bindparams(fts=fts5_expression(words)))
        )
    else:
        vector = func.to_tsvector(literal_column("'simple'"), SearchEntry.body)
        query = func.to_tsquery(literal_column("'simple'"), tsquery_expression(words))
        stmt = select(
            SearchEntry.id,
            SearchEntry.kind,
            SearchEntry.item_id,
            SearchEntry.instansi_id,
            (-func.ts_rank(vector, query)).label("rank"),
        ).where(vector.op("@@")(query))
    if kind is not None:
        stmt = stmt.where(SearchEntry.kind == kind)
    return stmt.where(search_visible_clause(principal, SearchEntry))


def item_ids_matching(session: Session, q: str, kind: str) -> ColumnElement[bool] | None:
    """A subquery of the ids of one kind that match a query, for list filters."""
    # The list that uses this subquery applies the visibility rule itself.
    stmt = matching_entries(session, q, kind, SYSTEM)
    if stmt is None:
        return None
    return stmt.with_only_columns(SearchEntry.item_id)  # type: ignore[return-value]
