"""The command line starts without importing what only some commands need.

Every command module is imported to build ``katalog --help``, and every command checks
the database's schema revision before it runs. Neither may pull in alembic, the web
server, the exchange writers or the YAML parser: each command imports its own heavy
dependencies when it runs. These checks run in a fresh interpreter, since this one has
imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer.main

from catalog.cli import app

ROOT = Path(__file__).resolve().parents[1]

# What help and the everyday schema check must not import (module or package names).
NOT_AT_START = (
    "alembic",
    "uvicorn",
    "fastapi",
    "yaml",
    "openpyxl",
    "xlsxwriter",
    "networkx",
    "sqlalchemy",
    "catalog.exchange",
    "catalog.models",
    "catalog.services",
    "catalog.migrate",
)
# ...and what the schema check of a command on a current database must not import.
NOT_FOR_SCHEMA_CHECK = ("alembic", "uvicorn", "fastapi", "catalog.exchange")

_PROBE = """
import json, sys
from typer.testing import CliRunner
from catalog.cli import app
runner = CliRunner()
runs = [runner.invoke(app, args) for args in json.loads(sys.argv[1])]
print(json.dumps({
    "runs": [[r.exit_code, r.output] for r in runs],
    "modules": sorted(sys.modules),
}))
"""


def probe(*argv: list[str]) -> tuple[list[tuple[int, str]], set[str]]:
    """Run these command lines in one fresh interpreter: exit codes, output, and every
    module that was imported."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return [tuple(r) for r in out["runs"]], set(out["modules"])


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


def command_paths() -> list[list[str]]:
    """Every group and command, e.g. [], ['db'], ['db', 'upgrade']."""
    paths: list[list[str]] = []

    def walk(cmd, path: list[str]) -> None:  # type: ignore[no-untyped-def]
        paths.append(path)
        for name, child in (getattr(cmd, "commands", None) or {}).items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_help_of_every_command_imports_nothing_heavy() -> None:
    paths = command_paths()
    assert ["analyze"] in paths and ["db", "upgrade"] in paths and ["serve"] in paths
    runs, modules = probe(*([*p, "--help"] for p in paths))
    for path, (code, output) in zip(paths, runs, strict=True):
        assert code == 0, f"katalog {' '.join(path)} --help: {output}"
        assert "Usage" in output
    assert loaded(modules, NOT_AT_START) == []


def test_the_probe_sees_what_a_command_imports(sqlite_url: str, tmp_path: Path) -> None:
    # The checks here are only worth something if the probe notices a command's imports.
    out = tmp_path / "template.json"
    runs, modules = probe(
        ["--database", sqlite_url, "export-template", "--format", "json", "-o", str(out)]
    )
    assert runs[0][0] == 0, runs[0][1]
    assert out.exists()
    assert "catalog.exchange" in loaded(modules, NOT_AT_START)


def test_a_command_on_a_current_database_skips_alembic(sqlite_url: str) -> None:
    runs, modules = probe(["--database", sqlite_url, "lookup", "list", "app_platform"])
    code, output = runs[0]
    assert code == 0, output
    assert "app_platform" in output
    assert "sqlalchemy" in modules and "catalog.migrate" in modules
    assert loaded(modules, NOT_FOR_SCHEMA_CHECK) == []


def test_analyze_on_a_current_database_skips_alembic(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    runs, modules = probe(
        ["--database", sqlite_url, "analyze", "--format", "json", "--output", str(out)]
    )
    code, output = runs[0]
    assert code == 0, output
    assert set(json.loads(out.read_text(encoding="utf-8"))) == {"findings", "summary"}
    assert loaded(modules, NOT_FOR_SCHEMA_CHECK) == []


def test_an_outdated_database_is_still_refused(tmp_path: Path) -> None:
    from catalog import migrate
    from catalog.db import make_engine
    from catalog.schema_version import HEAD_REVISION

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    eng = make_engine(url)
    migrate.upgrade(eng, "0001")
    eng.dispose()
    runs, modules = probe(["--database", url, "lookup", "list"])
    code, output = runs[0]
    assert code == 1
    assert f"revisi 0001, sedangkan kode ini membutuhkan {HEAD_REVISION}" in output
    assert "katalog db upgrade" in output
    assert "alembic" in modules  # the precise message comes from alembic, as before
