"""What every benchmark script shares: where things go, how to call the CLI, and a
description of the machine that goes into each result file."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"  # databases and files; ignored by git
RESULTS = ROOT / "bench" / "results"  # committed with the code they measured


def katalog() -> str:
    """The ``katalog`` command of the running virtualenv (falls back to PATH)."""
    exe = Path(sys.executable).parent / "katalog"
    return str(exe) if exe.exists() else "katalog"


def header(benchmark: str, **fields: Any) -> dict[str, Any]:
    """The first fields of a result: what ran, when, and on what."""
    return {
        "benchmark": benchmark,
        **fields,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }


def write_result(name: str, report: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return out
