"""Linking and unlinking items with typed relations."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from catalog.access import SYSTEM
from catalog.errors import Conflict, InvalidInput, NotFound, ProblemList
from catalog.kinds import KINDS
from catalog.models import Relation
from catalog.relation_types import RELATION_TYPES
from catalog.services.changes import record_change, snapshot
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.permissions import require_item_write
from catalog.services.tx import transaction


def check_relation(
    type_name: str,
    source_kind: str,
    source_id: int,
    target_kind: str,
    target_id: int,
    checker: Checker,
    problems: ProblemList,
) -> int | None:
    """Validate one relation; return the instansi it belongs to (its source's)."""
    rt = RELATION_TYPES.get(type_name)
    if rt is None:
        problems.add(
            "relation.type_unknown",
            f"Jenis relasi '{type_name}' tidak dikenal. Pilihan: {', '.join(RELATION_TYPES)}.",
            f"Unknown relation type '{type_name}'. Choose one of: {', '.join(RELATION_TYPES)}.",
            "type",
            type_name,
        )
        return None
    if source_kind not in rt.sources or target_kind not in rt.targets:
        problems.add(
            "relation.kinds",
            f"Relasi '{type_name}' menghubungkan {'/'.join(sorted(rt.sources))} ke "
            f"{'/'.join(sorted(rt.targets))}, bukan {source_kind} ke {target_kind}.",
            f"Relation '{type_name}' links {'/'.join(sorted(rt.sources))} to "
            f"{'/'.join(sorted(rt.targets))}, not {source_kind} to {target_kind}.",
            "type",
            type_name,
        )
        return None
    source_inst = checker.item_instansi(source_kind, source_id)
    if source_inst is None:
        problems.add(
            "relation.source_unknown",
            f"{KINDS[source_kind].label} dengan id {source_id} tidak ada.",
            f"{KINDS[source_kind].label_en} with id {source_id} does not exist.",
            "source_id",
            source_id,
        )
    if checker.item_instansi(target_kind, target_id) is None:
        problems.add(
            "relation.target_unknown",
            f"{KINDS[target_kind].label} dengan id {target_id} tidak ada.",
            f"{KINDS[target_kind].label_en} with id {target_id} does not exist.",
            "target_id",
            target_id,
        )
    if source_kind == target_kind and source_id == target_id:
        problems.add(
            "relation.self",
            "Sebuah item tidak dapat direlasikan dengan dirinya sendiri.",
            "An item cannot be related to itself.",
            "target_id",
            target_id,
        )
    return source_inst


def link(
    session: Session,
    actor: Actor,
    type_name: str,
    source_kind: str,
    source_id: int,
    target_kind: str,
    target_id: int,
    *,
    note: str | None = None,
) -> Relation:
    with transaction(session):
        problems = ProblemList()
        checker = Checker(session)
        instansi_id = check_relation(
            type_name, source_kind, source_id, target_kind, target_id, checker, problems
        )
        problems.raise_if_any()
        require_source_write(actor, checker, source_kind, source_id, "link")
        existing = _find(session, type_name, source_kind, source_id, target_kind, target_id)
        if existing is not None:
            raise Conflict(
                "Relasi itu sudah tercatat.",
                "That relation is already recorded.",
                field="type",
                value=type_name,
            )
        rel = Relation(
            type=type_name,
            source_kind=source_kind,
            source_id=source_id,
            target_kind=target_kind,
            target_id=target_id,
            instansi_id=instansi_id,
            note=note,
        )
        session.add(rel)
        session.flush()
        record_change(session, actor, "link", "relation", rel, None, snapshot(rel))
        return rel


def unlink(session: Session, actor: Actor, relation_id: int) -> None:
    with transaction(session):
        rel = session.get(Relation, relation_id)
        if rel is None:
            raise NotFound(
                f"Relasi dengan id {relation_id} tidak ada.",
                f"Relation with id {relation_id} does not exist.",
                field="id",
                value=relation_id,
            )
        require_source_write(actor, Checker(session), rel.source_kind, rel.source_id, "unlink")
        before = snapshot(rel)
        record_change(session, actor, "unlink", "relation", rel, before, None)
        session.delete(rel)
        session.flush()


def require_source_write(
    actor: Actor, checker: Checker, kind: str, item_id: int, action: str
) -> None:
    """A relation belongs to its source: whoever may change the source may link it."""
    if actor.principal is SYSTEM:
        return
    spec = KINDS[kind]
    require_item_write(
        actor,
        checker,
        spec.label,
        spec.label_en,
        checker.item_instansi(kind, item_id),
        checker.item_owner(kind, item_id),
        action=action,
        kind="relation",
        object_id=item_id,
    )


def _find(
    session: Session,
    type_name: str,
    source_kind: str,
    source_id: int,
    target_kind: str,
    target_id: int,
) -> Relation | None:
    return session.execute(
        select(Relation).where(
            Relation.type == type_name,
            Relation.source_kind == source_kind,
            Relation.source_id == source_id,
            Relation.target_kind == target_kind,
            Relation.target_id == target_id,
        )
    ).scalar_one_or_none()


__all__ = ["InvalidInput", "check_relation", "link", "unlink"]
