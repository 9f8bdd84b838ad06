"""Quality of the analysis against the demo's planted truth, and the duplicate matcher's speed.

Against the planted truth of the demo generator (``katalog demo --truth``):

- pairwise precision / recall / F1 of the duplicate clusters, at city, province and
  national scale, separately for the families used in tuning (``tune``) and the held-out
  ones (``holdout``);
- precision / recall of ``national.overlap`` (per split too; skipped with a note while
  :mod:`catalog.analysis.national` does not exist);
- look-alikes (one acronym, different jobs) put in one cluster, and channels of one product
  reported as duplicates: both must be none;
- the ``integration.*`` findings against the planted gaps, per rule: found, missed (with a
  first reading of why: the rules judge live items only, the generator plants gaps on
  inactive applications too) and invented; target: all found, none invented;
- ``data.duplicate`` against the planted data copies, pairwise;
- matcher time at each scale and the growth exponent (slope of log time over log n);
- at province scale, side by side: the naive all-pairs baseline (rapidfuzz
  ``token_set_ratio`` of name + description over every pair of the catalogue, at its best
  threshold) against the matcher; and, for reference, the same baseline restricted to
  pairs inside one instansi.

How the held-out part stays unseen: the generator marks one application family in five
as ``holdout`` (a hash of the family id, :func:`catalog.demo.truth.holdout`). Tuning
(``--tune``) only reports pairs whose applications all belong to ``tune`` families (or to no
known family), prints errors only for those; ``--fit`` fits the pair model on the tune
families' candidate pairs and ``--sweep`` prints the tune figures at several thresholds,
from which the threshold and the other constants in :mod:`catalog.analysis.duplicates`
were chosen (the tuning tools are in ``bench/analysis_tuning.py``). The holdout figures are
computed by the plain run only; they were read once, on 2026-11-29 (``bench/README.md``
says what that changed).

Run: ``python bench/analysis_quality.py`` (builds the demo catalogues under
``bench/work/analysis-*`` on first use; national takes ~3 min) → ``results/analysis-quality.json``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import json
import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import WORK, header, katalog, write_result
from catalog.analysis.snapshot import Snapshot
from catalog.demo.truth import holdout

SCALES = ("city", "province", "national")
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


NATIONAL_MISSING = (
    "catalog.analysis.national is not written yet: the Aplikasi Umum overlap check "
    "(national.find_overlaps) was skipped."
)


def national_available() -> bool:
    return importlib.util.find_spec("catalog.analysis.national") is not None


def national_overlaps(snapshot: Snapshot) -> tuple[set[tuple[str, str, str]], float]:
    from catalog.analysis import national
    from catalog.services.analysis import _parts

    parts = list(_parts(snapshot, sorted(snapshot.scope)))  # per instansi, as the product
    started = time.perf_counter()
    out = set()
    for _, part in parts:
        for o in national.find_overlaps(part):
            out.add((snapshot.places[o.local.instansi_id].code, o.local.code, o.national.code))
    seconds = time.perf_counter() - started
    return out, seconds


def score_overlaps(predicted: set[tuple[str, str, str]], truth: dict[str, Any]) -> dict[str, Any]:
    expected = {
        (o["instansi"], o["code"], o["national"]): o["family"] for o in truth["national_overlaps"]
    }
    family_of = families(truth)
    out = {}
    for split in ("tune", "holdout", "all"):

        def wanted(key: tuple[str, str, str], split: str = split) -> bool:
            fam = family_of.get((key[0], key[1]))
            s = "holdout" if fam and holdout(fam) else "tune"
            return split == "all" or s == split

        exp = {k for k in expected if wanted(k)}
        pred = {k for k in predicted if wanted(k)}
        out[split] = prf(len(pred & exp), len(pred - exp), len(exp - pred))
    return out


# -- integration gaps, data duplicates, look-alikes, channels ----------------------------

GAP_RULES = (
    "point_to_point",
    "one_sided",
    "read_without_integration",
    "shared_without_integration",
    "opd_without_spl",
)
SHOW = 10  # examples of each kind of error kept in the result


def _ref(place_code: str, ref: dict[str, str] | None) -> str | None:
    """A finding's reference to an item, as the truth names it: the code, or
    ``national:CODE`` for an item of another (central) instansi."""
    if ref is None:
        return None
    return ref["code"] if ref["instansi"] == place_code else f"national:{ref['code']}"


def gap_key(entry: dict[str, Any]) -> tuple[str, ...]:
    """What identifies one planted gap (truth entry)."""
    rule, inst = entry["rule"], entry["instansi"]
    if rule in ("point_to_point", "one_sided"):
        return (rule, inst, entry["integration"])
    if rule == "read_without_integration":
        return (rule, inst, entry["consumer"], entry["dataset"])
    if rule == "shared_without_integration":
        return (rule, inst, entry["dataset"], *sorted(entry["apps"]))
    return (rule, inst, entry["opd"])


def finding_gap_key(finding: Any) -> tuple[str, ...]:
    """The same identity read off an ``integration.*`` finding."""
    rule = finding.rule.removeprefix("integration.")
    ev = finding.evidence
    inst = finding.subjects[0].instansi
    if rule in ("point_to_point", "one_sided"):
        return (rule, inst, ev["integration"])
    if rule == "read_without_integration":
        inst = ev["reader"]["instansi"]
        return (rule, inst, ev["reader"]["code"], _ref(inst, ev["dataset"]) or "?")
    if rule == "shared_without_integration":
        inst = ev["dataset"]["instansi"]
        apps = sorted(_ref(inst, a) or "?" for a in ev["applications"])
        return (rule, inst, ev["dataset"]["code"], *apps)
    return (rule, inst, finding.subjects[0].code)


def _lookup(snapshot: Snapshot) -> dict[tuple[str, str, str], Any]:
    """(instansi code, kind, code) → item, for explaining misses."""
    out = {}
    for item in snapshot.items.values():
        place = snapshot.places.get(item.instansi_id)
        if place is not None:
            out[(place.code, item.kind, item.code)] = item
    return out


def _why_missed(key: tuple[str, ...], items: dict[tuple[str, str, str], Any]) -> str:
    """A first reading of why a planted gap was not reported: an application or
    integration involved is not live (the rules only judge live items), or unexplained."""
    rule, inst = key[0], key[1]
    involved: list[tuple[str, str]] = []
    if rule in ("point_to_point", "one_sided"):
        involved = [("integration", key[2])]
    elif rule == "read_without_integration":
        involved = [("application", key[2]), ("dataset", key[3])]
    elif rule == "shared_without_integration":
        involved = [("dataset", key[2])] + [("application", c) for c in key[3:]]
    for kind, code in involved:
        if code.startswith("national:"):
            continue
        item = items.get((inst, kind, code))
        if item is None:
            return f"{kind}_not_in_catalogue"
        if not item.live:
            return f"{kind}_not_live"
    return "unexplained"


def integration_gaps(snapshot: Snapshot, truth: dict[str, Any]) -> dict[str, Any]:
    """Findings of the ``integration.*`` rules against the planted gaps, per rule: found,
    missed (with a first reading of why) and invented (reported, never planted)."""
    from catalog.analysis.engine import analyze

    started = time.perf_counter()
    findings = analyze(snapshot, ["integration"])
    seconds = time.perf_counter() - started
    reported: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for f in findings:
        key = finding_gap_key(f)
        reported[key[0]].add(key)
    planted: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for entry in truth["integration_gaps"]:
        key = gap_key(entry)
        planted[key[0]].add(key)
    items = _lookup(snapshot)
    out: dict[str, Any] = {"seconds": round(seconds, 3), "rules": {}}
    for rule in GAP_RULES:
        exp, got = planted[rule], reported[rule]
        missed, invented = sorted(exp - got), sorted(got - exp)
        reasons: dict[str, int] = defaultdict(int)
        for key in missed:
            reasons[_why_missed(key, items)] += 1
        out["rules"][rule] = {
            "planted": len(exp),
            "reported": len(got),
            "found": len(exp & got),
            "missed": len(missed),
            "invented": len(invented),
            "missed_why": dict(sorted(reasons.items())),
            # Misses not explained by an inactive or retired application, data set or
            # integration (the rules judge live items only; the generator plants gaps on
            # every application whatever its status).
            "missed_live": sum(n for why, n in reasons.items() if not why.endswith("not_live")),
            "missed_examples": ["/".join(k[1:]) for k in missed[:SHOW]],
            "invented_examples": ["/".join(k[1:]) for k in invented[:SHOW]],
        }
    rules = out["rules"].values()
    out["all_found"] = all(r["missed"] == 0 for r in rules)
    out["all_live_found"] = all(r["missed_live"] == 0 for r in rules)
    out["none_invented"] = all(r["invented"] == 0 for r in rules)
    return out


def _groups(pairs: Iterable[tuple[str, str, str]]) -> list[set[tuple[str, str]]]:
    """Connected groups of (instansi, code) from pairs."""
    graph = nx.Graph()
    for inst, a, b in pairs:
        graph.add_edge((inst, a), (inst, b))
    return [set(c) for c in nx.connected_components(graph)]


def _pairs_of(groups: Iterable[Iterable[tuple[str, str]]]) -> set[Pair]:
    out: set[Pair] = set()
    for group in groups:
        for (inst, a), (_, b) in itertools.combinations(sorted(group), 2):
            out.add(_pair(inst, a, b))
    return out


def data_duplicates(snapshot: Snapshot, truth: dict[str, Any]) -> dict[str, Any]:
    """``data.duplicate`` against the planted copies: pairwise, where the copies of one
    data set and the original form one group (two copies of it are duplicates of each
    other too). Yearly series and other groups nobody planted count as invented."""
    from catalog.analysis.engine import analyze

    started = time.perf_counter()
    findings = analyze(snapshot, ["data.duplicate"])
    seconds = time.perf_counter() - started
    planted = _groups(
        (d["instansi"], d["members"][0]["code"], d["members"][1]["code"])
        for d in truth["data_duplicates"]
    )
    expected = _pairs_of(planted)
    found_groups = [{(s.instansi, s.code) for s in f.subjects} for f in findings]
    predicted = _pairs_of(found_groups)
    exp_groups = {frozenset(g) for g in planted}
    whole = sum(1 for g in found_groups if frozenset(g) in exp_groups)
    invented = sorted(predicted - expected)
    missed = sorted(expected - predicted)
    return {
        "seconds": round(seconds, 3),
        "planted_groups": len(planted),
        "reported_groups": len(found_groups),
        "groups_exactly_right": whole,
        "pairs": prf(len(predicted & expected), len(invented), len(missed)),
        "invented_examples": ["/".join(p) for p in invented[:SHOW]],
        "missed_examples": ["/".join(p) for p in missed[:SHOW]],
    }


def lookalikes(predicted: set[Pair], truth: dict[str, Any]) -> dict[str, Any]:
    """Planted look-alikes (one acronym, different jobs) put in one duplicate cluster."""
    pairs = {
        _pair(p["instansi"], p["members"][0]["code"], p["members"][1]["code"])
        for p in truth["lookalike_pairs"]
    }
    grouped = sorted(pairs & predicted)
    return {
        "pairs": len(pairs),
        "grouped": len(grouped),
        "grouped_examples": ["/".join(p) for p in grouped[:SHOW]],
    }


def channels(snapshot: Snapshot, predicted: set[Pair], truth: dict[str, Any]) -> dict[str, Any]:
    """Planted channel groups (web + mobile of one product): none may be reported as
    duplicates; how many the matcher folds into their product is reported too."""
    from catalog.analysis import duplicates

    matcher = duplicates.matcher_for(snapshot)
    code_of = {
        p.index: (snapshot.places[p.item.instansi_id].code, p.item.code) for p in matcher.profiles
    }
    root = {code_of[c]: code_of[p] for c, p in matcher.product_of.items()}
    groups = reported = recognised = 0
    examples = []
    for g in truth["channel_groups"]:
        inst = g["instansi"]
        codes = [m["code"] for m in g["members"]]
        groups += 1
        pairs = {_pair(inst, a, b) for a, b in itertools.combinations(codes, 2)}
        if pairs & predicted:
            reported += 1
            if len(examples) < SHOW:
                examples.append(f"{inst}/{'+'.join(codes)}")
        roots = {root.get((inst, c), (inst, c)) for c in codes}
        if len(roots) == 1:
            recognised += 1
    return {
        "groups": groups,
        "reported_as_duplicates": reported,
        "folded_into_product": recognised,
        "reported_examples": examples,
    }


# -- the naive baseline ----------------------------------------------------------------------


def baseline(snapshot: Snapshot, truth: dict[str, Any], *, within_instansi: bool) -> dict[str, Any]:
    """rapidfuzz token_set_ratio of "name description" over every pair of applications;
    the threshold that gives the best F1 is reported (an optimistic baseline).

    ``within_instansi=False`` is the naive baseline of the issue: every pair of the
    catalogue is compared (a pair across two instansi is never counted against it: it is
    given for free that duplicates stay inside one instansi). ``within_instansi=True`` is a
    smarter baseline that only compares pairs inside one instansi (best of three runs).
    """
    from rapidfuzz import fuzz, utils

    apps = [a for a in snapshot.of_kind("application") if not a.retired]
    texts = [utils.default_process(f"{a.name} {a.description or ''}") for a in apps]
    places = [snapshot.places[a.instansi_id].code for a in apps]
    groups: list[list[int]] = []
    if within_instansi:
        by_instansi: dict[int, list[int]] = defaultdict(list)
        for n, app in enumerate(apps):
            by_instansi[app.instansi_id].append(n)
        groups = list(by_instansi.values())
    else:
        groups = [list(range(len(apps)))]
    seconds = math.inf
    for _ in range(3 if within_instansi else 1):
        started = time.perf_counter()
        scored: list[tuple[float, Pair]] = []
        for members in groups:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    s = fuzz.token_set_ratio(texts[i], texts[j])
                    if s >= 50 and places[i] == places[j]:
                        scored.append((s, _pair(places[i], apps[i].code, apps[j].code)))
        seconds = min(seconds, time.perf_counter() - started)
    expected = set(truth_pairs(truth))
    best: dict[str, Any] = {"f1": -1.0}
    for threshold in range(50, 101, 2):
        pred = {p for s, p in scored if s >= threshold}
        result = prf(len(pred & expected), len(pred - expected), len(expected - pred))
        if result["f1"] > best["f1"]:
            best = {**result, "threshold": threshold}
    pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups)
    return {"seconds": round(seconds, 3), "pairs_compared": pairs, **best}


# -- main ---------------------------------------------------------------------------------------


def growth(points: list[tuple[int, float]]) -> float:
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="*", default=list(SCALES))
    parser.add_argument("--tune", action="store_true", help="show tune-split errors only")
    parser.add_argument("--show", type=int, default=40)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--fit", action="store_true", help="fit the pair model (tune split)")
    parser.add_argument(
        "--sweep", action="store_true", help="tune-split figures at several thresholds"
    )
    args = parser.parse_args()
    from bench.analysis_tuning import fit, sweep, tune_report

    if args.fit:
        fit(args.scales)
        return
    if args.sweep:
        sweep(args.scales)
        return
    if args.tune:
        for scale in args.scales:
            snapshot, truth, _ = load(scale)
            print(f"== {scale}")
            tune_report(snapshot, truth, args.show)
        return

    report = header("analysis-quality")
    report["scales"] = {}
    if not national_available():
        report["notes"] = [NATIONAL_MISSING]
    timings: list[tuple[int, float]] = []
    for scale in args.scales:
        report["scales"][scale] = entry = measure_scale(scale, args.no_baseline)
        timings.append((entry["applications"], entry["duplicate_seconds"]))
        gc.collect()
    if len(timings) >= 2:
        report["growth_exponent"] = round(growth(timings), 3)
    report["meets_targets"] = verdicts(report["scales"])
    write_result("analysis-quality", report)


def measure_scale(scale: str, no_baseline: bool) -> dict[str, Any]:
    """Every figure of one scale (the snapshot is dropped when this returns)."""
    snapshot, truth, load_seconds = load(scale)
    family_of = families(truth)
    predicted, seconds, n = predicted_pairs(snapshot)
    # The best of three runs: the matcher alone, without the noise of a cold start.
    for _ in range(2):
        _, again, _ = predicted_pairs(snapshot)
        seconds = min(seconds, again)
    entry: dict[str, Any] = {
        "instansi": len(snapshot.scope),
        "applications": n,
        "snapshot_load_seconds": round(load_seconds, 2),
        "duplicates": score_pairs(predicted, truth, family_of),
        "duplicate_seconds": round(seconds, 3),
        "lookalikes": lookalikes(predicted, truth),
        "channels": channels(snapshot, predicted, truth),
    }
    if national_available():
        overlaps, overlap_seconds = national_overlaps(snapshot)
        entry["national_overlap"] = score_overlaps(overlaps, truth)
        entry["national_overlap_seconds"] = round(overlap_seconds, 3)
    else:
        entry["national_overlap"] = {"skipped": NATIONAL_MISSING}
    entry["integration_gaps"] = integration_gaps(snapshot, truth)
    entry["data_duplicates"] = data_duplicates(snapshot, truth)
    if scale == "province" and not no_baseline:
        entry["baseline_all_pairs_rapidfuzz"] = base = baseline(
            snapshot, truth, within_instansi=False
        )
        entry["baseline_within_instansi_rapidfuzz"] = near = baseline(
            snapshot, truth, within_instansi=True
        )
        mine = entry["duplicates"]["all"]
        entry["matcher_vs_baseline"] = {
            "speedup": round(base["seconds"] / seconds, 1) if seconds else None,
            "speedup_vs_within_instansi": round(near["seconds"] / seconds, 1) if seconds else None,
            "matcher_f1": mine["f1"],
            "baseline_f1": base["f1"],
            "within_instansi_baseline_f1": near["f1"],
        }
    return entry


def verdicts(scales: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """``meets_targets``: the issue's quality targets, one verdict each."""
    targets: dict[str, bool] = {}
    for scale in ("city", "national"):
        if scale in scales:
            d = scales[scale]["duplicates"]
            targets[f"{scale}_precision_recall_0.9"] = all(
                d[s]["precision"] >= 0.9 and d[s]["recall"] >= 0.9 for s in ("tune", "holdout")
            )
    for scale, entry in scales.items():
        gaps = entry["integration_gaps"]
        targets[f"{scale}_integration_gaps_all_found"] = gaps["all_found"]
        targets[f"{scale}_integration_gaps_all_found_on_live_items"] = gaps["all_live_found"]
        targets[f"{scale}_integration_gaps_none_invented"] = gaps["none_invented"]
        data = entry["data_duplicates"]["pairs"]
        targets[f"{scale}_data_duplicates_all_found"] = data["fn"] == 0
        targets[f"{scale}_data_duplicates_none_invented"] = data["fp"] == 0
        targets[f"{scale}_no_lookalike_grouped"] = entry["lookalikes"]["grouped"] == 0
        targets[f"{scale}_no_channel_as_duplicate"] = (
            entry["channels"]["reported_as_duplicates"] == 0
        )
    if "province" in scales and "matcher_vs_baseline" in scales["province"]:
        cmp_ = scales["province"]["matcher_vs_baseline"]
        targets["province_10x_faster_same_f1"] = (cmp_["speedup"] or 0) >= 10 and cmp_[
            "matcher_f1"
        ] >= cmp_["baseline_f1"]

    return targets


if __name__ == "__main__":
    main()
