"""The demo catalogues of the analysis benchmarks and their planted truth: building and
loading them, the truth's duplicate pairs (split ``tune`` / ``holdout`` by family), the
matcher's predicted pairs run as the product runs it (one matcher per instansi), and
pairwise precision / recall. Shared by ``analysis_quality.py`` and ``analysis_tuning.py``.
"""

from __future__ import annotations

import gc
import itertools
import json
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import WORK, katalog
from catalog.analysis.snapshot import Snapshot
from catalog.demo.truth import holdout

Pair = tuple[str, str, str]  # (instansi code, code a, code b) with a < b


def database(scale: str) -> tuple[str, Path]:
    """The demo catalogue of a scale and its truth file, built on first use."""
    folder = WORK / f"analysis-{scale}"
    db = folder / "katalog.sqlite3"
    truth = folder / "truth.json"
    url = f"sqlite:///{db}"
    if not (db.exists() and truth.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
        subprocess.run([katalog(), "--database", url, "db", "upgrade"], check=True)
        subprocess.run(
            [katalog(), "--database", url, "demo", "--scale", scale, "--truth", str(truth)],
            check=True,
        )
    return url, truth


def load(scale: str) -> tuple[Snapshot, dict[str, Any], float]:
    from sqlmodel import Session

    from catalog.db import make_engine
    from catalog.queries.snapshot import load_snapshot

    url, truth_file = database(scale)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        snapshot = load_snapshot(session)
    seconds = time.perf_counter() - started
    engine.dispose()
    return snapshot, json.loads(truth_file.read_text(encoding="utf-8")), seconds


# -- truth ------------------------------------------------------------------------------


def _pair(instansi: str, a: str, b: str) -> Pair:
    return (instansi, a, b) if a < b else (instansi, b, a)


def families(truth: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(instansi, application code) → family, from every truth section that names one."""
    out: dict[tuple[str, str], str] = {}
    for c in truth["duplicate_clusters"] + truth["channel_groups"]:
        for m in c["members"]:
            # A cluster may join two families doing one job (kecamatan websites and the
            # portal): each member names its own.
            out[(c["instansi"], m["code"])] = m.get("family", c["family"])
    for o in truth["national_overlaps"]:
        out[(o["instansi"], o["code"])] = o["family"]
    for p in truth["lookalike_pairs"]:
        for m, fam in zip(p["members"], p["families"], strict=True):
            out[(p["instansi"], m["code"])] = fam
    return out


def split_of(pair: Pair, family_of: dict[tuple[str, str], str]) -> str:
    fams = [family_of.get((pair[0], code)) for code in pair[1:]]
    return "holdout" if any(f and holdout(f) for f in fams) else "tune"


def truth_pairs(truth: dict[str, Any]) -> dict[Pair, str]:
    out: dict[Pair, str] = {}
    for c in truth["duplicate_clusters"]:
        # A pair's split is its families' (as split_of reads a predicted pair): a cluster
        # may join a tune family and a held-out one.
        members = [(m["code"], m.get("family", c["family"])) for m in c["members"]]
        for (a, fa), (b, fb) in itertools.combinations(members, 2):
            held_out = holdout(fa) or holdout(fb)
            out[_pair(c["instansi"], a, b)] = "holdout" if held_out else "tune"
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def score_pairs(
    predicted: set[Pair], truth: dict[str, Any], family_of: dict[tuple[str, str], str]
) -> dict[str, Any]:
    expected = truth_pairs(truth)
    out: dict[str, Any] = {}
    for split in ("tune", "holdout", "all"):

        def wanted(pair: Pair, split: str = split) -> bool:
            return split == "all" or split_of(pair, family_of) == split

        exp = {p for p, s in expected.items() if split == "all" or s == split}
        pred = {p for p in predicted if wanted(p)}
        out[split] = prf(len(pred & exp), len(pred - exp), len(exp - pred))
    return out


# -- running the matcher -------------------------------------------------------------------


def instansi_parts(snapshot: Snapshot) -> list[Snapshot]:
    """The per-instansi snapshots the product analyses: one matcher each
    (catalog.services.analysis splits every batch so, and the weights of words are the
    instansi's own)."""
    from catalog.services.analysis import _parts

    return [part for _, part in _parts(snapshot, sorted(snapshot.scope))]


def cluster_pairs(snapshot: Snapshot, clusters: Iterable[Any]) -> set[Pair]:
    """Every pair of members of each cluster, as truth pairs."""
    out: set[Pair] = set()
    for c in clusters:
        place = snapshot.places[c.members[0].item.instansi_id].code
        for a, b in itertools.combinations([m.item.code for m in c.members], 2):
            out.add(_pair(place, a, b))
    return out


def predicted_pairs(snapshot: Snapshot) -> tuple[set[Pair], float, int]:
    from catalog.analysis import duplicates

    duplicates.matcher_for.cache_clear()
    gc.collect()
    parts = instansi_parts(snapshot)
    started = time.perf_counter()
    out: set[Pair] = set()
    profiles = 0
    for part in parts:
        matcher = duplicates.Matcher(part)
        profiles += len(matcher.profiles)
        out |= cluster_pairs(snapshot, matcher.clusters())
    seconds = time.perf_counter() - started
    return out, seconds, profiles
