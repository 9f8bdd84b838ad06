"""Tuning tools of the duplicate matcher, on the demo's *tune* families only (never the
held-out ones): the errors among them (``--tune``), the pair model's fit (``--fit``) and
the figures at several thresholds (``--sweep``). Run through
``python bench/analysis_quality.py --tune | --fit | --sweep [--scales …]``.
"""

from __future__ import annotations

import gc
import json
from typing import Any

from bench.analysis_truth import (
    Pair,
    _pair,
    cluster_pairs,
    families,
    instansi_parts,
    load,
    predicted_pairs,
    score_pairs,
    split_of,
    truth_pairs,
)
from catalog.analysis.snapshot import Snapshot


def tune_report(snapshot: Snapshot, truth: dict[str, Any], show: int) -> None:
    """Errors among tune families only (never holdout ones), for choosing thresholds."""
    from catalog.analysis import duplicates

    family_of = families(truth)
    predicted, seconds, n = predicted_pairs(snapshot)
    result = score_pairs(predicted, truth, family_of)
    print(json.dumps({"seconds": round(seconds, 3), "apps": n, "tune": result["tune"]}))
    expected = {p for p, s in truth_pairs(truth).items() if s == "tune"}
    fps = sorted(p for p in predicted - expected if split_of(p, family_of) == "tune")
    fns = sorted(expected - predicted)
    matcher = duplicates.matcher_for(snapshot)
    by_code = {(snapshot.places[p.item.instansi_id].code, p.item.code): p for p in matcher.profiles}

    def describe(pair: Pair) -> str:
        a, b = by_code.get((pair[0], pair[1])), by_code.get((pair[0], pair[2]))
        if a is None or b is None:
            return f"{pair} (not profiled)"
        s = matcher.score(a, b)
        fa, fb = family_of.get((pair[0], pair[1])), family_of.get((pair[0], pair[2]))
        return (
            f"{s.score:.2f} name={s.name:.2f} text={s.text} {s.conflict or ''} "
            f"{dict((k, len(v)) for k, v in s.shared.items())}\n"
            f"     {a.item.name!r} [{fa}] u={a.item.owner_id} | {b.item.name!r} [{fb}] "
            f"u={b.item.owner_id}"
        )

    print(f"-- false positives (tune): {len(fps)}")
    for p in fps[:show]:
        print("  ", describe(p))
    print(f"-- false negatives (tune): {len(fns)}")
    for p in fns[:show]:
        print("  ", describe(p))


# -- fitting the model ------------------------------------------------------------------------


#: The fit's ridge (L2 penalty on every weight but the bias). Strong enough that a feature
#: few tune pairs show (an acronym spelled out by the other name: a few dozen pairs) keeps
#: a weight near zero instead of one those few pairs happen to give it; the well-supported
#: features (thousands of pairs) hardly move.
RIDGE = 1.0


def fit(scales: list[str]) -> None:
    """Logistic regression of "duplicate or not" on the matcher's pair features, over the
    candidate pairs of the tune families only; prints the line to paste over
    :data:`~catalog.analysis.duplicates.model.COEFFICIENTS` (in
    ``catalog/analysis/duplicates/model.py``; then ``ruff format`` that file)."""
    import numpy as np

    from catalog.analysis import duplicates

    rows: list[list[float]] = []
    labels: list[float] = []
    for scale in scales:
        snapshot, truth, _ = load(scale)
        family_of = families(truth)
        expected = truth_pairs(truth)
        used = 0
        # One matcher per instansi, as the product runs it: features read off one
        # national matcher would weigh words differently.
        for part in instansi_parts(snapshot):
            matcher = duplicates.Matcher(part)
            code = {
                p.index: (snapshot.places[p.item.instansi_id].code, p.item.code)
                for p in matcher.profiles
            }
            for a, b in matcher.candidate_pairs():
                (place, ca), (_, cb) = code[a], code[b]
                pair = _pair(place, ca, cb)
                if split_of(pair, family_of) != "tune" or expected.get(pair, "tune") != "tune":
                    continue  # the held-out families are never looked at
                rows.append(matcher.features(matcher.profiles[a], matcher.profiles[b]))
                labels.append(1.0 if pair in expected else 0.0)
                used += 1
        print(f"{scale}: {used} tune candidate pairs, {int(sum(labels))} positive so far")
        del snapshot
        gc.collect()
    x = np.hstack([np.array(rows), np.ones((len(rows), 1))])
    y = np.array(labels)
    w = np.zeros(x.shape[1])
    ridge = RIDGE * np.eye(x.shape[1])
    ridge[-1, -1] = 0.0
    for _ in range(50):  # Newton's method (IRLS), with the ridge
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + ridge @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    print("COEFFICIENTS = (" + ", ".join(f"{v:.3f}" for v in w) + ")")
    for name, v in zip([*duplicates.FEATURES, "bias"], w, strict=True):
        print(f"  {name:28s} {v:+.3f}")


def sweep(scales: list[str], thresholds: tuple[float, ...] = (0.4, 0.45, 0.5, 0.55, 0.6)) -> None:
    """Pairwise precision / recall / F1 of the clusters at several thresholds, on the tune
    families only (for choosing :data:`~catalog.analysis.duplicates.model.THRESHOLD`)."""
    from catalog.analysis import duplicates

    for scale in scales:
        snapshot, truth, _ = load(scale)
        family_of = families(truth)
        found: dict[float, set[Pair]] = {t: set() for t in thresholds}
        for part in instansi_parts(snapshot):
            matcher = duplicates.Matcher(part)
            scored = matcher.pairs(min(thresholds))
            for t in thresholds:
                kept = [p for p in scored if p.score >= t]
                found[t] |= cluster_pairs(snapshot, matcher._cluster(kept))
        for t in thresholds:
            print(scale, t, json.dumps(score_pairs(found[t], truth, family_of)["tune"]))
        del snapshot
        gc.collect()
