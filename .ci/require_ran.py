"""Fail when tests of a group were skipped or absent in a JUnit report.

usage: require_ran.py REPORT GROUP [GROUP…] — a group matches the test cases whose name
or module contains it: 'postgres' (the parametrised backend id, or the test name),
'browser' (tests/test_browser.py).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def check(report: str, group: str) -> int:
    cases = [
        c
        for c in ET.parse(report).iter("testcase")
        if group in c.get("name", "") or group in c.get("classname", "")
    ]
    skipped = [c for c in cases if c.find("skipped") is not None]
    ran = len(cases) - len(skipped)
    print(f"{group}: {ran} tests ran, {len(skipped)} skipped")
    if not cases or skipped:
        for c in skipped[:20]:
            reason = c.find("skipped").get("message", "")  # type: ignore[union-attr]
            print(f"  skipped: {c.get('classname')}::{c.get('name')}: {reason}")
        print(f"FAIL: the {group} tests must run in CI")
        return 1
    return 0


def main(report: str, *groups: str) -> int:
    return max(check(report, g) for g in groups)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *sys.argv[2:]))
