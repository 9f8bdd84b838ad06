"""House rule 1: imports go web → schemas → catalog, and web → diagrams; never back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# package → packages it must never import
FORBIDDEN = {
    "catalog": {"schemas", "web", "diagrams"},
    "schemas": {"web", "diagrams"},
    "diagrams": {"web", "schemas", "catalog"},
    "web": set(),
}
# The CLI is an interface like the web app: it may draw diagrams (and only that).
EXCEPTIONS = {ROOT / "catalog" / "cli": {"diagrams"}}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_imports_go_one_way() -> None:
    wrong = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            allowed = set().union(*(EXCEPTIONS.get(p, set()) for p in path.parents))
            bad = imported_packages(path) & (forbidden - allowed)
            if bad:
                wrong.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not wrong, "layering broken:\n" + "\n".join(wrong)


def test_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from web.app import create_app\nimport schemas.items\n", encoding="utf-8")
    assert imported_packages(bad) == {"web", "schemas"}


_WRITE_IMPORTS = {"insert", "update", "delete"}
_WRITE_METHODS = {"add", "add_all", "delete", "commit", "flush", "merge", "bulk_save_objects"}


def write_calls(path: Path) -> list[str]:
    """Statement constructors imported for writing, and session methods that write."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0]
            in (
                "sqlalchemy",
                "sqlmodel",
            )
        ):
            found += [f"import {a.name}" for a in node.names if a.name in _WRITE_IMPORTS]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _WRITE_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("session", "s", "db")
        ):
            found.append(f"{node.func.value.id}.{node.func.attr}()")
    return found


def test_only_services_write() -> None:
    """Writes live in catalog/services (and the migrations); everything else only reads."""
    allowed = {ROOT / "catalog" / "services", ROOT / "catalog" / "migrations"}
    wrong = []
    for package in ("catalog", "schemas", "web", "diagrams"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if any(parent in allowed for parent in path.parents):
                continue
            hits = write_calls(path)
            if hits:
                wrong.append(f"{path.relative_to(ROOT)}: {hits}")
    assert not wrong, "writes outside catalog/services:\n" + "\n".join(wrong)


def test_write_detector_sees_a_write(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlalchemy import update, select\ndef f(session):\n    session.commit()\n",
        encoding="utf-8",
    )
    assert write_calls(bad) == ["import update", "session.commit()"]
