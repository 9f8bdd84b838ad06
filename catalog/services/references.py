"""Installing and activating reference sets; registering local codes.

Only one set is active. Activating a new set never touches items: those whose codes the
new set no longer knows or has retired are *reported* (see :func:`reference_impact`),
and keep their codes until someone reclassifies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlmodel import Session

from catalog.enums import ReferenceStatus
from catalog.errors import Conflict, InvalidInput, NotFound, ProblemList
from catalog.kinds import KINDS, SCHEME_OF_KIND
from catalog.models import Instansi, ReferenceNode, ReferenceSet
from catalog.models.base import utcnow
from catalog.references import ParsedSet, normalise_code, split_code
from catalog.services.changes import record_change, snapshot
from catalog.services.checker import Checker
from catalog.services.context import Actor
from catalog.services.permissions import require_admin, require_curator
from catalog.services.tx import transaction


@dataclass
class AffectedItem:
    kind: str
    id: int
    code: str
    name: str
    instansi_id: int
    reference_code: str
    reason: str  # "unknown" or "retired"
    replaced_by: str | None = None


@dataclass
class InstallResult:
    reference_set: ReferenceSet
    created: bool
    activated: bool
    affected: list[AffectedItem] = field(default_factory=list)


def install_reference_set(
    session: Session, actor: Actor, parsed: ParsedSet, *, activate: bool = True
) -> InstallResult:
    """Store a parsed set (idempotent for the same key, version and content)."""
    with transaction(session):
        require_admin(actor, "load_reference_set", "memuat set referensi", "load a reference set")
        existing = session.execute(
            select(ReferenceSet).where(
                ReferenceSet.key == parsed.key, ReferenceSet.version == parsed.version
            )
        ).scalar_one_or_none()
        if existing is not None:
            if existing.checksum != parsed.checksum:
                raise Conflict(
                    f"Set referensi '{parsed.key}' versi '{parsed.version}' sudah dimuat dengan "
                    "isi berbeda. Naikkan 'version' pada blok 'set' untuk memuat perubahan.",
                    f"Reference set '{parsed.key}' version '{parsed.version}' is already loaded "
                    "with different content. Raise 'version' in the 'set' block to load changes.",
                    field="set.version",
                    value=parsed.version,
                )
            activated = False
            if activate and not existing.is_active:
                _activate(session, actor, existing)
                activated = True
            return InstallResult(
                existing,
                created=False,
                activated=activated,
                affected=reference_impact(session, existing.id) if activated else [],  # type: ignore[arg-type]
            )
        ref_set = ReferenceSet(
            key=parsed.key,
            version=parsed.version,
            title=parsed.title,
            legal_basis=parsed.legal_basis,
            notes=parsed.notes,
            checksum=parsed.checksum,
            schemes=parsed.schemes,
        )
        session.add(ref_set)
        session.flush()
        if parsed.nodes:
            session.execute(
                insert(ReferenceNode),
                [
                    {
                        "set_id": ref_set.id,
                        "instansi_id": None,
                        "scheme": n.scheme,
                        "code": n.code,
                        "name": n.name,
                        "level": n.level,
                        "parent_code": n.parent_code,
                        "confidence": n.confidence,
                        "status": ReferenceStatus.RETIRED if n.retired else ReferenceStatus.ACTIVE,
                        "replaced_by": n.replaced_by,
                        "is_local": False,
                    }
                    for n in parsed.nodes
                ],
            )
        record_change(
            session,
            actor,
            "create",
            "reference_set",
            ref_set,
            None,
            {**snapshot(ref_set), "node_count": len(parsed.nodes)},
        )
        if activate:
            _activate(session, actor, ref_set)
        return InstallResult(
            ref_set,
            created=True,
            activated=activate,
            affected=reference_impact(session, ref_set.id) if activate else [],  # type: ignore[arg-type]
        )


def activate_reference_set(session: Session, actor: Actor, set_id: int) -> InstallResult:
    with transaction(session):
        require_admin(
            actor,
            "activate_reference_set",
            "mengaktifkan set referensi",
            "activate a reference set",
        )
        ref_set = session.get(ReferenceSet, set_id)
        if ref_set is None:
            raise NotFound(
                f"Set referensi dengan id {set_id} tidak ada.",
                f"Reference set with id {set_id} does not exist.",
                field="set_id",
                value=set_id,
            )
        if not ref_set.is_active:
            _activate(session, actor, ref_set)
        return InstallResult(
            ref_set, created=False, activated=True, affected=reference_impact(session, set_id)
        )


def _activate(session: Session, actor: Actor, ref_set: ReferenceSet) -> None:
    previous = session.execute(
        select(ReferenceSet).where(ReferenceSet.is_active.is_(True))
    ).scalar_one_or_none()
    if previous is not None:
        before = snapshot(previous)
        session.execute(
            update(ReferenceSet).where(ReferenceSet.id == previous.id).values(is_active=False)
        )
        session.refresh(previous)
        record_change(
            session, actor, "deactivate", "reference_set", previous, before, snapshot(previous)
        )
    before = snapshot(ref_set)
    ref_set.is_active = True
    ref_set.activated_at = utcnow()
    session.flush()
    record_change(session, actor, "activate", "reference_set", ref_set, before, snapshot(ref_set))


def active_reference_set(session: Session) -> ReferenceSet | None:
    return session.execute(
        select(ReferenceSet).where(ReferenceSet.is_active.is_(True))
    ).scalar_one_or_none()


def reference_impact(session: Session, set_id: int) -> list[AffectedItem]:
    """Items whose reference code the given set does not know, or knows as retired."""
    nodes = {
        code: (status, replaced)
        for code, status, replaced in session.execute(
            select(ReferenceNode.code, ReferenceNode.status, ReferenceNode.replaced_by).where(
                ReferenceNode.set_id == set_id
            )
        )
    }
    local = {
        (inst, code)
        for inst, code in session.execute(
            select(ReferenceNode.instansi_id, ReferenceNode.code).where(
                ReferenceNode.set_id.is_(None)
            )
        )
    }
    affected: list[AffectedItem] = []
    for kind in SCHEME_OF_KIND:
        model = KINDS[kind].model
        rows = session.execute(
            select(model.id, model.code, model.name, model.instansi_id, model.reference_code)  # type: ignore[attr-defined]
            .where(model.reference_code.is_not(None), model.retired_at.is_(None))  # type: ignore[attr-defined]
            .order_by(model.instansi_id, model.code)  # type: ignore[attr-defined]
        )
        for item_id, code, name, inst, ref in rows:
            found = nodes.get(ref)
            if found is None:
                if (inst, ref) in local and _local_parent_known(ref, nodes):
                    continue
                affected.append(AffectedItem(kind, item_id, code, name, inst, ref, "unknown"))
            elif found[0] == ReferenceStatus.RETIRED:
                affected.append(
                    AffectedItem(kind, item_id, code, name, inst, ref, "retired", found[1])
                )
    return affected


def _local_parent_known(code: str, nodes: dict[str, tuple[str, str | None]]) -> bool:
    parts = code.split(".")
    return any(".".join(parts[:i]) in nodes for i in range(len(parts) - 1, 1, -1))


def add_local_node(
    session: Session, actor: Actor, instansi_id: int, code: str, name: str
) -> ReferenceNode:
    """Register an instansi's own code below a national node (level 4 and deeper)."""
    with transaction(session):
        require_curator(
            actor,
            instansi_id,
            "add_local_reference",
            "menambah kode referensi lokal",
            "add local reference codes",
        )
        problems = ProblemList()
        code = normalise_code(code)
        name = (name or "").strip()
        checker = Checker(session)
        if session.get(Instansi, instansi_id) is None:
            raise NotFound(
                f"Instansi dengan id {instansi_id} tidak ada.",
                f"Instansi with id {instansi_id} does not exist.",
                field="instansi_id",
                value=instansi_id,
            )
        ref_set = active_reference_set(session)
        parsed = split_code(code)
        if ref_set is None:
            raise InvalidInput(
                "Belum ada set referensi aktif; muat dulu dengan 'katalog reference load'.",
                "No reference set is active; load one first with 'katalog reference load'.",
                field="reference_set",
            )
        if not name:
            problems.add(
                "field.missing",
                "Nama kode lokal wajib diisi.",
                "The local code needs a name.",
                "name",
            )
        if parsed is None:
            problems.add(
                "reference.format",
                f"Kode '{code}' tidak berformat PREFIX.NN.NN… (mis. RAB.09.06.01.01).",
                f"Code '{code}' is not of the form PREFIX.NN.NN… (e.g. RAB.09.06.01.01).",
                "code",
                code,
            )
            problems.raise_if_any()
        assert parsed is not None
        scheme, level = parsed
        first_local = (ref_set.schemes.get(scheme) or {}).get("local_from_level")
        if not first_local:
            problems.add(
                "reference.no_local",
                f"Skema {scheme} pada set aktif belum mengizinkan kode lokal.",
                f"Scheme {scheme} in the active set does not allow local codes.",
                "code",
                code,
            )
        elif level < int(first_local):
            problems.add(
                "reference.local_level",
                f"Kode lokal {scheme} harus level {first_local} atau lebih dalam; '{code}' "
                f"adalah level {level}.",
                f"Local {scheme} codes must be level {first_local} or deeper; '{code}' is "
                f"level {level}.",
                "code",
                code,
            )
        parent = code.rpartition(".")[0]
        parent_node = checker.reference_node(parent, instansi_id)
        if parent_node is None:
            problems.add(
                "reference.local_parent",
                f"Induk '{parent}' tidak ada di set aktif maupun kode lokal instansi ini.",
                f"Parent '{parent}' is neither in the active set nor a local code of this "
                "instansi.",
                "code",
                code,
            )
        if checker.reference_node(code, instansi_id) is not None:
            problems.add(
                "reference.local_duplicate",
                f"Kode '{code}' sudah ada.",
                f"Code '{code}' already exists.",
                "code",
                code,
            )
        problems.raise_if_any()
        node = ReferenceNode(
            set_id=None,
            instansi_id=instansi_id,
            scheme=scheme,
            code=code,
            name=name,
            level=level,
            parent_code=parent,
            confidence="local",
            is_local=True,
        )
        session.add(node)
        session.flush()
        record_change(session, actor, "create", "reference_node", node, None, snapshot(node))
        return node
