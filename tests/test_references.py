"""Reference architecture as versioned data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlmodel import Session

from catalog.errors import Conflict, InvalidInput
from catalog.models import ChangeRecord, ReferenceNode, ReferenceSet
from catalog.references import SHIPPED_REFERENCE, parse_reference_bytes, parse_reference_file
from catalog.services import create_instansi, create_item, create_organisation
from catalog.services.references import (
    active_reference_set,
    add_local_node,
    install_reference_set,
)


def count(session: Session, scheme: str, level: int) -> int:
    active = active_reference_set(session)
    return session.execute(
        select(func.count()).where(
            ReferenceNode.set_id == active.id,
            ReferenceNode.scheme == scheme,
            ReferenceNode.level == level,
        )
    ).scalar_one()


def test_shipped_set_loads_with_the_expected_counts(session: Session) -> None:
    active = active_reference_set(session)
    assert active.key == "perpres-132-2022"
    assert "Perpres 132/2022" in active.title
    assert (count(session, "RAB", 1), count(session, "RAB", 2)) == (9, 45)
    assert count(session, "RAL", 2) == 53
    assert count(session, "RAD", 1) == 10
    # Confidence is kept per list.
    assert active.schemes["RAB"]["confidence"] == {"L1": "high", "L2": "high", "L3": "medium"}
    node = session.execute(
        select(ReferenceNode).where(ReferenceNode.code == "RAB.04.01.01")
    ).scalar_one()
    assert node.confidence == "medium" and node.parent_code == "RAB.04.01"


def _unit(session, actor, code="51.71"):
    inst = create_instansi(session, actor, {"code": code, "name": f"Kota {code}", "kind": "kota"})
    return create_organisation(
        session, actor, {"instansi_id": inst.id, "code": "030801", "name": "Diskominfo"}
    )


@pytest.mark.parametrize(
    ("kind", "code", "problem"),
    [
        ("application", "RAA.09", "reference.unknown"),
        ("application", "RAL.01.25", "reference.wrong_scheme"),
        ("service", "RAB.04.01", "reference.wrong_scheme"),
        ("dataset", "RAD-04", "reference.format"),
        ("process", "RAB.04.99.01", "reference.unknown"),
    ],
)
def test_bad_codes_are_refused_with_a_clear_message(session, actor, kind, code, problem) -> None:
    unit = _unit(session, actor)
    changes = session.execute(select(func.count()).select_from(ChangeRecord)).scalar_one()
    with pytest.raises(InvalidInput) as err:
        create_item(
            session, actor, kind, {"owner_id": unit.id, "name": "X", "reference_code": code}
        )
    assert err.value.problems[0].code == problem
    assert err.value.problems[0].field == "reference_code"
    assert code.upper() in err.value.message and code.upper() in err.value.message_en
    # Nothing was written.
    assert session.execute(select(func.count()).select_from(ChangeRecord)).scalar_one() == changes


def test_right_scheme_codes_are_accepted(session, actor) -> None:
    unit = _unit(session, actor)
    for kind, code in [
        ("application", "RAA.02.02"),
        ("service", "ral.01.25"),
        ("dataset", "RAD.04.01"),
        ("process", "RAB.04.01.01"),
    ]:
        item = create_item(
            session, actor, kind, {"owner_id": unit.id, "name": "X", "reference_code": code}
        )
        assert item.reference_code == code.upper()


def test_local_codes_hang_under_a_national_node(session, actor) -> None:
    unit = _unit(session, actor)
    node = add_local_node(
        session, actor, unit.instansi_id, "RAB.09.06.01.07", "Pengelolaan Cuti ASN"
    )
    assert node.is_local and node.set_id is None and node.level == 4
    item = create_item(
        session,
        actor,
        "process",
        {"owner_id": unit.id, "name": "Cuti", "reference_code": "RAB.09.06.01.07"},
    )
    assert item.reference_code == "RAB.09.06.01.07"
    with pytest.raises(InvalidInput, match="level 4"):
        add_local_node(session, actor, unit.instansi_id, "RAB.09.77", "Terlalu tinggi")
    with pytest.raises(InvalidInput, match=r"RAB\.09\.99\.99"):
        add_local_node(session, actor, unit.instansi_id, "RAB.09.99.99.01", "Tanpa induk")
    # Another instansi cannot use this instansi's local code.
    other = _unit(session, actor, code="51.03")
    with pytest.raises(InvalidInput):
        create_item(
            session,
            actor,
            "process",
            {"owner_id": other.id, "name": "Cuti", "reference_code": "RAB.09.06.01.07"},
        )


def _next_version(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load(SHIPPED_REFERENCE.read_text(encoding="utf-8"))
    doc["set"]["version"] = "2027-01"
    mutate(doc)
    path = tmp_path / "next.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_a_new_set_reports_retired_codes_and_keeps_items(session, actor, tmp_path) -> None:
    unit = _unit(session, actor)
    app = create_item(
        session,
        actor,
        "service",
        {"owner_id": unit.id, "name": "Layanan IPTEK", "reference_code": "RAL.01.33"},
    )
    gone = create_item(
        session,
        actor,
        "process",
        {"owner_id": unit.id, "name": "Riset", "reference_code": "RAB.06.03.01"},
    )

    def mutate(doc):  # the IPTEK split: RAL.01.33 retired, RAB.06.03.01 dropped entirely
        doc["RAL"]["retired"] = [["RAL.01.33", "RAL.01.45"]]
        doc["RAL"]["L2"].append(["RAL.01.45", "Ilmu Pengetahuan"])
        doc["RAB"]["L3"] = [e for e in doc["RAB"]["L3"] if e[0] != "RAB.06.03.01"]

    result = install_reference_set(
        session, actor, parse_reference_file(_next_version(tmp_path, mutate))
    )
    assert result.created and result.activated
    affected = {(a.kind, a.reference_code, a.reason, a.replaced_by) for a in result.affected}
    assert affected == {
        ("service", "RAL.01.33", "retired", "RAL.01.45"),
        ("process", "RAB.06.03.01", "unknown", None),
    }
    # Items are untouched and can still be edited without reclassifying them.
    from catalog.services import update_item

    session.refresh(app)
    assert app.reference_code == "RAL.01.33"
    edited = update_item(session, actor, "service", app.id, {"description": "masih berjalan"})
    assert edited.reference_code == "RAL.01.33"
    # But nobody can newly assign a retired code.
    with pytest.raises(InvalidInput, match=r"RAL\.01\.45"):
        create_item(
            session,
            actor,
            "service",
            {"owner_id": unit.id, "name": "Baru", "reference_code": "RAL.01.33"},
        )
    assert gone.reference_code == "RAB.06.03.01"
    sets = session.execute(select(ReferenceSet).order_by(ReferenceSet.id)).scalars().all()
    assert [s.is_active for s in sets] == [False, True]


def test_loading_is_idempotent_and_versioned(session, actor, tmp_path) -> None:
    parsed = parse_reference_file(SHIPPED_REFERENCE)
    again = install_reference_set(session, actor, parsed)
    assert not again.created
    changed = SHIPPED_REFERENCE.read_bytes().replace(b"Pertahanan dan Luar Negeri", b"Pertahanan")
    with pytest.raises(Conflict, match="version"):
        install_reference_set(session, actor, parse_reference_bytes(changed, "x.yaml"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"set: {key: x}\n", "set"),
        (b"set: {key: x, version: 1}\nRAB:\n  L1:\n    - [RAB.1, Bad]\n", "RAB.1"),
        (b"set: {key: x, version: 1}\nRAB:\n  L2:\n    - [RAB.01.01, Orphan]\n", "RAB.01"),
        (b"set: [unclosed\n", "YAML"),
    ],
)
def test_bad_reference_files_are_explained(content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_reference_bytes(content, "bad.yaml")
    assert message in str(err.value)
