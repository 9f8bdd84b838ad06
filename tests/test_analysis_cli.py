"""katalog analyze as a person at a terminal (or a script) uses it: formats, filters, bad
input, and the findings cache."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select
from sqlmodel import Session
from test_reviews import Small, build_small
from typer.testing import CliRunner

from catalog.analysis.rules import RULES
from catalog.cli import app
from catalog.db import make_engine
from catalog.models import AnalysisRun
from catalog.services import update_item
from catalog.services.context import Actor
from schemas.findings import SCHEMA_PATH, findings_schema

runner = CliRunner()


def run(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", db, "analyze", *args], catch_exceptions=False)


def as_json(db: str, *args: str) -> dict:
    result = run(db, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def small(sqlite_url: str) -> tuple[str, Small]:
    engine = make_engine(sqlite_url)
    yield sqlite_url, build_small(engine)
    engine.dispose()


def test_json_output_follows_the_published_schema(small) -> None:  # type: ignore[no-untyped-def]
    db, world = small
    body = as_json(db)
    # The committed schema is the one the code generates, and the output validates.
    assert json.loads(Path(SCHEMA_PATH).read_text()) == findings_schema()
    jsonschema.validate(body, findings_schema())
    assert set(body) == {"findings", "summary"}
    summary = body["summary"]
    assert summary["total"] == len(body["findings"]) > 0
    assert sum(summary["by_severity"].values()) == summary["total"]
    assert summary["scope"]["instansi"] == [world.instansi.code]
    rules = {f["rule"] for f in body["findings"]}
    assert "duplicate.application" in rules
    duplicate = next(f for f in body["findings"] if f["rule"] == "duplicate.application")
    assert {s["code"] for s in duplicate["subjects"]} == {
        world.simpeg.code,
        world.sim_kepeg.code,
    }
    assert duplicate["message"] != duplicate["message_en"] and duplicate["evidence"]


def test_demo_city_json_validates_and_names_several_families(demo_city_engine) -> None:  # type: ignore[no-untyped-def]
    db = demo_city_engine.url.render_as_string(hide_password=False)
    body = as_json(db)
    jsonschema.validate(body, findings_schema())
    assert len(body["summary"]["by_family"]) >= 4
    assert body["summary"]["analysed"] == 1 and body["summary"]["from_cache"] == 0


def test_text_and_csv_say_the_same_as_json(small) -> None:  # type: ignore[no-untyped-def]
    db, world = small
    body = as_json(db)
    text = run(db)
    assert text.exit_code == 0
    assert f"Ringkasan / summary: {body['summary']['total']} temuan" in text.stdout
    for f in body["findings"]:
        assert f"[{f['severity'].upper()}] {f['rule']}" in text.stdout
    table = run(db, "--format", "csv")
    assert table.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["rule"], r["key"]) for r in rows] == [
        (f["rule"], f["key"]) for f in body["findings"]
    ]
    assert all(r["instansi"] == world.instansi.code for r in rows)


def test_rule_and_family_filters(small) -> None:  # type: ignore[no-untyped-def]
    db, _ = small
    everything = as_json(db)["findings"]
    by_id = as_json(db, "--rule", "duplicate.application")["findings"]
    assert by_id == [f for f in everything if f["rule"] == "duplicate.application"] != []
    family = as_json(db, "--rule", "coverage")["findings"]
    assert family == [f for f in everything if f["family"] == "coverage"] != []
    both = as_json(db, "-r", "coverage", "-r", "duplicate.application")["findings"]
    assert len(both) == len(family) + len(by_id)


def test_opd_filter_keeps_findings_about_that_units_items(small) -> None:  # type: ignore[no-untyped-def]
    db, world = small
    everything = as_json(db)["findings"]
    mine = as_json(db, "--opd", world.bkpsdm.code)
    assert mine["summary"]["scope"]["opd"] == world.bkpsdm.code
    expected = [
        f for f in everything if any(s.get("owner") == world.bkpsdm.code for s in f["subjects"])
    ]
    # Findings about the unit itself name the unit, not an item it owns.
    about_unit = [
        f
        for f in everything
        if any(
            s["kind"] == "organisation" and s["code"] == world.bkpsdm.code for s in f["subjects"]
        )
    ]
    assert mine["findings"] == [f for f in everything if f in expected or f in about_unit]
    assert mine["findings"] and len(mine["findings"]) < len(everything)


def test_output_file(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = small
    target = tmp_path / "temuan.json"
    result = run(db, "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "Ditulis ke" in result.stderr and "Written to" in result.stderr
    jsonschema.validate(json.loads(target.read_text()), findings_schema())


def test_rule_table(small) -> None:  # type: ignore[no-untyped-def]
    db, _ = small
    result = run(db, "--rules")
    assert result.exit_code == 0
    for rule in RULES.values():
        assert rule.id in result.stdout and rule.title in result.stdout
    table = json.loads(run(db, "--rules", "--format", "json").stdout)
    assert {r["id"] for r in table} == set(RULES)
    assert all(r["why"] and r["clear"] and r["title_en"] for r in table)


@pytest.mark.parametrize(
    ("args", "field", "indonesian", "english"),
    [
        (["--instansi", "99.99"], "99.99", "tidak ditemukan", "not found"),
        (
            ["--rule", "duplicate.nothing"],
            "duplicate.nothing",
            "Aturan tidak dikenal",
            "Unknown rule",
        ),
        (["--opd", "ZZ-TIDAK-ADA"], "ZZ-TIDAK-ADA", "tidak ditemukan", "not found"),
    ],
)
def test_bad_input_says_what_is_wrong_in_both_languages(
    small, args, field, indonesian, english
) -> None:  # type: ignore[no-untyped-def]
    db, _ = small
    result = run(db, *args)
    assert result.exit_code != 0 and result.stdout == ""
    assert field in result.stderr
    assert indonesian in result.stderr and english in result.stderr


def test_a_second_run_serves_the_cache_until_the_catalogue_changes(small) -> None:  # type: ignore[no-untyped-def]
    db, world = small
    first = as_json(db)
    assert (first["summary"]["analysed"], first["summary"]["from_cache"]) == (1, 0)
    engine = make_engine(db)
    with Session(engine) as s:
        computed = s.execute(select(AnalysisRun.computed_at)).scalar_one()
    second = as_json(db)
    assert (second["summary"]["analysed"], second["summary"]["from_cache"]) == (0, 1)
    assert second["findings"] == first["findings"]
    with Session(engine) as s:
        assert s.execute(select(AnalysisRun.computed_at)).scalar_one() == computed
        update_item(
            s,
            Actor(name="penyusun", source="test"),
            "application",
            world.other.id,
            {"name": "Portal Aduan Warga"},
        )
    third = as_json(db)
    assert third["summary"]["analysed"] == 1
    renamed = [
        s["name"] for f in third["findings"] for s in f["subjects"] if s["code"] == world.other.code
    ]
    assert renamed and set(renamed) == {"Portal Aduan Warga"}
    forced = as_json(db, "--recompute")
    assert (forced["summary"]["analysed"], forced["summary"]["from_cache"]) == (1, 0)
    with Session(engine) as s:
        assert s.execute(select(AnalysisRun.computed_at)).scalar_one() > computed
    engine.dispose()


def test_reviewed_findings_are_hidden_unless_asked_for(small) -> None:  # type: ignore[no-untyped-def]
    from catalog.services.reviews import decide

    db, _ = small
    duplicate = as_json(db, "--rule", "duplicate")["findings"][0]
    engine = make_engine(db)
    with Session(engine) as s:
        decide(
            s,
            Actor(name="arsitek", source="cli"),
            key=duplicate["key"],
            verdict="shared_application",
            reason="Satu aplikasi bersama, dicatat dua kali.",
        )
    engine.dispose()
    hidden = as_json(db, "--rule", "duplicate")
    assert hidden["findings"] == [] and hidden["summary"]["reviewed_hidden"] == 1
    shown = as_json(db, "--rule", "duplicate", "--include-reviewed")["findings"]
    assert [f["state"] for f in shown] == ["reviewed"]
    assert shown[0]["review"]["verdict"] == "shared_application"
    assert "dicatat dua kali" in run(db, "--include-reviewed").stdout


def test_the_katalog_script_keeps_the_analysis_heap_to_exit_and_nothing_else_does(
    small, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # The script (one command per process) freezes what the analysis built, so that the
    # collector does not walk it again before exit; run in a longer-lived process (here,
    # the test's) the same command leaves the collector's generations alone.
    import gc

    from catalog.cli import common

    db, _ = small
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    as_json(db)
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(common, "_process_ends_with_command", False)
    common.one_command_process()
    try:
        as_json(db, "--recompute")
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
