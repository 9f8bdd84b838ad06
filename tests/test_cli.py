"""The katalog command line, as a person at a terminal uses it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from catalog import migrate
from catalog.cli import app

runner = CliRunner()


def run(*args: str, db: str | None = None):  # type: ignore[no-untyped-def]
    prefix = ["--database", db] if db else []
    return runner.invoke(app, [*prefix, *args], catch_exceptions=False)


def commands(group=app):  # type: ignore[no-untyped-def]
    """Every command path, e.g. ('reference', 'load')."""
    import typer.main

    click_group = typer.main.get_command(group)
    out = []

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, (*path, name))
        else:
            out.append(path)

    walk(click_group, ())
    return out


def test_root_help_explains_itself() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Katalog SPBE" in result.output and "KATALOG_DATABASE_URL" in result.output


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help(path) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    # A sentence of its own, in Indonesian with English beside it.
    text = " ".join(result.output.split())
    assert " / " in text, f"{' '.join(path)} --help lacks a bilingual description"


def test_db_upgrade_reference_and_units(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = run("db", "upgrade", db=db)
    assert result.exit_code == 0, result.output
    assert "perpres-132-2022" in result.output
    assert run("db", "current", db=db).output.startswith(migrate.head_revision())
    assert run("db", "check", db=db).exit_code == 0
    listing = run("reference", "list", db=db).output
    assert "RAB 9/45/304" in listing and "RAL 2/53/302" in listing and "RAD 10/49/304" in listing
    assert "Kesehatan" in run("reference", "show", "RAL.01.25", db=db).output
    assert (
        run(
            "instansi", "add", "51.71", "Pemerintah Kota Denpasar", "--kind", "kota", db=db
        ).exit_code
        == 0
    )
    # With one local instansi, --instansi may be left out.
    assert run("opd", "add", "030801", "Diskominfo", "--kind", "dinas", db=db).exit_code == 0
    assert (
        run("opd", "add", "03080101", "Bidang Aplikasi", "--parent", "030801", db=db).exit_code == 0
    )
    tree = run("opd", "list", db=db).output
    assert "030801" in tree and "  03080101" in tree
    local = run("reference", "add-local", "RAB.09.06.01.01", "Cuti ASN", db=db)
    assert local.exit_code == 0, local.output
    assert (
        "RAB.09.06.01.01"
        in run("reference", "show", "RAB.09.06.01", "--instansi", "51.71", db=db).output
    )


def test_db_upgrade_gives_national_systems_their_former_addresses(tmp_path) -> None:
    # A catalogue seeded before the national entries carried their former addresses (or
    # one where they were cleared) gets them from the next `db upgrade`; an address
    # someone added stays, and a second upgrade changes nothing.
    from sqlalchemy import update
    from sqlmodel import Session, select

    from catalog.db import make_engine
    from catalog.models import Application

    db = f"sqlite:///{tmp_path / 'former.sqlite3'}"
    assert run("db", "upgrade", db=db).exit_code == 0
    engine = make_engine(db)
    dapodik = (Application.code == "DAPODIK") & (Application.national_role == "sector")
    with Session(engine) as s:
        shipped = s.exec(select(Application.former_urls).where(dapodik)).one()
        assert "https://dapo.dikdasmen.kemdikbud.go.id" in shipped
        s.execute(update(Application).where(dapodik).values(former_urls=["https://dapodik.lama"]))
        s.commit()
    again = run("db", "upgrade", db=db)
    assert "alamat lama ditambahkan ke 1 aplikasi" in again.output
    with Session(engine) as s:
        assert s.exec(select(Application.former_urls).where(dapodik)).one() == [
            "https://dapodik.lama",
            *shipped,
        ]
    assert "alamat lama" not in run("db", "upgrade", db=db).output
    engine.dispose()


def test_errors_are_bilingual_with_nonzero_exit(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'err.sqlite3'}"
    run("db", "upgrade", db=db)
    bad_kind = run("opd", "add", "030801", "X", "--instansi", "99.99", db=db)
    assert bad_kind.exit_code == 1
    assert "Galat" in bad_kind.output and "Error" in bad_kind.output and "99.99" in bad_kind.output
    assert run("reference", "show", "RAB.99", db=db).exit_code == 1
    missing = run("reference", "load", str(tmp_path / "tidak-ada.yaml"), db=db)
    assert missing.exit_code == 1 and "tidak-ada.yaml" in missing.output


def test_empty_database_is_named(tmp_path) -> None:
    result = run("instansi", "list", db=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result.exit_code == 1 and "katalog db upgrade" in result.output


def test_malformed_and_unreachable_database_urls() -> None:
    bad = run("db", "current", db="not a url::")
    assert bad.exit_code == 1 and "not a url::" in bad.output
    unreachable = run("db", "current", db="postgresql://nobody@127.0.0.1:1/none")
    assert unreachable.exit_code == 1
    assert "tidak dapat dihubungi" in unreachable.output and "Cannot reach" in unreachable.output


def test_serve_prepares_an_empty_database_and_starts_uvicorn(tmp_path, monkeypatch) -> None:
    calls = {}

    def fake_run(app, **kwargs):  # type: ignore[no-untyped-def]
        calls.update(app=app, **kwargs)

    monkeypatch.setattr("uvicorn.run", fake_run)
    db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    result = run("serve", "--port", "8765", "--workers", "2", "--demo", db=db)
    assert result.exit_code == 0, result.output
    assert calls["app"] == "web.app:create_app" and calls["factory"] is True
    assert calls["port"] == 8765 and calls["workers"] == 2
    listing = run("instansi", "list", "--kind", "kota", db=db).output
    assert "Kota" in listing  # the demo city was generated
    # A second start finds the catalogue ready and does not generate again.
    assert run("serve", "--demo", db=db).exit_code == 0


def test_serve_refuses_an_outdated_schema(tmp_path, monkeypatch) -> None:
    from catalog import migrate
    from catalog.db import make_engine

    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)
    path = tmp_path / "old.sqlite3"
    migrate.upgrade(make_engine(f"sqlite:///{path}"), "0001")
    result = run("serve", db=f"sqlite:///{path}")
    assert result.exit_code == 1 and "katalog db upgrade" in result.output


def test_demo_writes_the_planted_truth(tmp_path) -> None:
    import json

    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    truth = tmp_path / "truth.json"
    result = run("demo", "--scale", "city", "--seed", "3", "--truth", str(truth), db=db)
    assert result.exit_code == 0, result.output
    data = json.loads(truth.read_text(encoding="utf-8"))
    assert data["seed"] == 3 and data["duplicate_clusters"] and data["integration_gaps"]
    again = run("demo", "--scale", "city", "--seed", "3", db=db)
    assert again.exit_code == 1 and "demo" in again.output
    bad = run("demo", "--scale", "galaxy", db=db)
    assert bad.exit_code == 2  # rejected by the option parser, with the choices shown


def test_cli_writes_are_in_the_history(tmp_path) -> None:
    from sqlalchemy import select
    from sqlmodel import Session

    from catalog.db import make_engine
    from catalog.models import ChangeRecord

    db = f"sqlite:///{tmp_path / 'hist.sqlite3'}"
    run("db", "upgrade", db=db)
    run("instansi", "add", "51.71", "Kota Denpasar", db=db)
    run("opd", "add", "030801", "Diskominfo", db=db)
    with Session(make_engine(db)) as s:
        records = (
            s.execute(
                select(ChangeRecord).where(ChangeRecord.source == "cli").order_by(ChangeRecord.id)
            )
            .scalars()
            .all()
        )
    assert [(r.action, r.object_kind) for r in records] == [
        ("create", "instansi"),
        ("create", "organisation"),
    ]
    assert records[1].before is None and records[1].after["code"] == "030801"


def test_db_revision_reminds_to_move_the_head_constant(sqlite_url, monkeypatch) -> None:
    from types import SimpleNamespace

    import alembic.command

    calls = {}

    def fake_revision(config, **kwargs):  # type: ignore[no-untyped-def]
        # Autogenerating for real would write into catalog/migrations/versions.
        calls.update(kwargs, location=config.get_main_option("script_location"))
        return SimpleNamespace(revision="0099")

    monkeypatch.setattr(alembic.command, "revision", fake_revision)
    result = run("db", "revision", "-m", "tambah kolom", db=sqlite_url)
    assert result.exit_code == 0, result.output
    assert calls["message"] == "tambah kolom" and calls["autogenerate"] is True
    assert calls["location"] == str(migrate.MIGRATIONS_DIR)
    text = " ".join(result.output.split())
    assert "HEAD_REVISION" in text and "catalog/schema_version.py" in text and "(0099)" in text
