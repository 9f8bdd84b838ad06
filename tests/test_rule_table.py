"""The documented rule table is the one the code declares."""

from __future__ import annotations

from catalog.analysis.engine import load_rules
from catalog.analysis.rule_table import RULES_FILE, rule_table
from catalog.analysis.rules import FAMILIES, RULES


def test_rules_md_is_current() -> None:
    assert RULES_FILE.exists(), "run: python -m catalog.analysis.rule_table"
    assert RULES_FILE.read_text(encoding="utf-8") == rule_table(), (
        "RULES.md is out of date; run: python -m catalog.analysis.rule_table"
    )


def test_every_family_of_issue_5_has_rules_in_the_table() -> None:
    load_rules()
    table = rule_table()
    for family in FAMILIES:
        ids = [r for r in RULES.values() if r.family == family]
        assert ids, f"no rule declared for family {family!r}"
        for r in ids:
            assert f"`{r.id}`" in table
