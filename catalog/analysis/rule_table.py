"""Write the rule table (``RULES.md`` at the project root) from the rule declarations.

Run ``python -m catalog.analysis.rule_table`` after adding or changing a rule;
``tests/test_rule_table.py`` fails while the committed file and the declarations differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from catalog.analysis.engine import load_rules
from catalog.analysis.rules import rule_table_markdown

#: Where the table lives: beside README.md, so that it is read on the project's front page.
RULES_FILE = Path(__file__).resolve().parents[2] / "RULES.md"


def rule_table() -> str:
    """The table of every rule of every family module present, as Markdown."""
    load_rules()
    return rule_table_markdown() + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else RULES_FILE
    target.write_text(rule_table(), encoding="utf-8")
    print(f"{target}")


if __name__ == "__main__":
    main()
