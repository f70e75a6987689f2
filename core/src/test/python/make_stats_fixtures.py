#!/usr/bin/env python3
"""Writes the reference values that the dev.driftline.core.stats / .metrics tests assert against.

Run from the repository root:  python3 core/src/test/python/make_stats_fixtures.py
Needs numpy and scipy only (tested with numpy 2.4, scipy 1.17.1). Where the reference is a
scikit-learn or statsmodels function, the equivalent numpy formula is written out below and named.

Generated data is rounded to 6 decimals BEFORE any reference value is computed, so Java and Python
see identical doubles (JSON floats are written with repr, which round-trips exactly).
NaN in an expected value is written as null.
"""
import json
import math
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
rng = np.random.default_rng(20240611)


def r6(x):
    return np.round(np.asarray(x, dtype=float), 6)


def fl(x):
    """A float or list of floats for JSON; NaN -> None."""
    if isinstance(x, (list, tuple, np.ndarray)):
        return [fl(v) for v in x]
    x = float(x)
    return None if math.isnan(x) else x


def write(name, cases):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": "core/src/test/python/make_stats_fixtures.py", "cases": cases},
                  f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


# ---------------------------------------------------------------- quantiles
def quantile_cases():
    cases = []
    qs_std = [0.0, 0.1, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 0.9, 0.99, 0.999, 1.0]
    samples = {
        "single": r6([3.5]),
        "two": r6([-1.0, 2.0]),
        "normal101": r6(rng.normal(0, 1, 101)),
        "normal1000": r6(rng.normal(5, 2, 1000)),
        "ties_integers": r6(rng.poisson(2, 257)),
        "tiny_spread": r6(1e3 + rng.uniform(0, 1e-3, 50)),
    }
    for name, x in samples.items():
        s = np.sort(x)
        qs = np.array(qs_std + list(rng.uniform(0, 1, 9)))
        # reference: numpy.quantile default method='linear' (Hyndman & Fan type 7)
        expected = np.quantile(s, qs)
        cases.append({"name": name, "sorted": fl(s), "qs": fl(qs), "expected": fl(expected)})
    return cases


# ---------------------------------------------------------------- PSI
EPS = 1e-4


def psi_level(v):
    return "STABLE" if v < 0.1 else ("MODERATE" if v <= 0.25 else "MAJOR")


def psi_from_counts(rc, cc):
    rp = rc / rc.sum()
    cp = cc / cc.sum()
    r = np.clip(rp, EPS, None)  # clip only, no renormalization
    c = np.clip(cp, EPS, None)
    return float(np.sum((c - r) * np.log(c / r))), rp, cp


def psi_numeric(ref, cur, bins):
    # interior edges: type-7 quantiles at 1/bins..(bins-1)/bins, duplicates merged
    edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    # side='right': a value equal to an edge goes to the bin above it
    rc = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    value, rp, cp = psi_from_counts(rc, cc)
    return edges, rc, cc, value, rp, cp


def psi_categorical(ref, cur):
    cats = sorted(set(ref) | set(cur))  # union, natural string order
    rc = np.array([ref.get(k, 0) for k in cats], dtype=float)
    cc = np.array([cur.get(k, 0) for k in cats], dtype=float)
    value, rp, cp = psi_from_counts(rc, cc)
    return cats, value, rp, cp


def psi_cases():
    numeric = {
        "same_normal": (r6(rng.normal(0, 1, 2000)), r6(rng.normal(0, 1, 1500)), 10),
        "shifted_normal": (r6(rng.normal(0, 1, 2000)), r6(rng.normal(0.4, 1.2, 1500)), 10),
        "large_shift": (r6(rng.normal(0, 1, 1000)), r6(rng.normal(2.0, 1, 800)), 10),
        "poisson_ties": (r6(rng.poisson(2, 1500)), r6(rng.poisson(2.6, 1200)), 10),
        "mostly_zero": (r6(np.where(rng.uniform(size=1000) < 0.8, 0.0, rng.exponential(1, 1000))),
                        r6(np.where(rng.uniform(size=900) < 0.6, 0.0, rng.exponential(1, 900))), 10),
        "uniform_5_bins": (r6(rng.uniform(0, 1, 500)), r6(rng.uniform(0.1, 1.1, 700)), 5),
        "current_above_all": (r6(rng.normal(0, 1, 400)), r6(rng.normal(10, 1, 300)), 10),
        "constant_reference": (r6(np.full(200, 1.5)), r6(rng.normal(1.5, 0.5, 150)), 10),
        "twenty_bins": (r6(rng.gamma(2, 2, 3000)), r6(rng.gamma(2.2, 2, 2000)), 20),
    }
    cases = []
    for name, (ref, cur, bins) in numeric.items():
        edges, rc, cc, value, rp, cp = psi_numeric(ref, cur, bins)
        cases.append({"name": name, "kind": "numeric", "reference": fl(ref), "current": fl(cur),
                      "bins": bins, "edges": fl(edges), "referenceCounts": rc.tolist(),
                      "currentCounts": cc.tolist(), "referenceProportions": fl(rp),
                      "currentProportions": fl(cp), "statistic": value, "level": psi_level(value)})
    categorical = {
        "same_mix": ({"a": 500, "b": 300, "c": 200}, {"a": 260, "b": 140, "c": 100}),
        "shifted_mix": ({"a": 500, "b": 300, "c": 200}, {"a": 200, "b": 300, "c": 500}),
        "unseen_in_reference": ({"a": 500, "b": 500}, {"a": 400, "b": 400, "new": 200}),
        "missing_in_current": ({"a": 300, "b": 300, "c": 400}, {"a": 500, "b": 500}),
        "zero_counts_present": ({"a": 10, "b": 0, "c": 90}, {"a": 20, "b": 0, "c": 80}),
        "many_categories": ({f"k{i:02d}": int(v) for i, v in enumerate(rng.integers(0, 200, 30))},
                            {f"k{i:02d}": int(v) for i, v in enumerate(rng.integers(0, 200, 35))}),
    }
    for name, (ref, cur) in categorical.items():
        cats, value, rp, cp = psi_categorical(ref, cur)
        cases.append({"name": name, "kind": "categorical", "referenceMap": ref, "currentMap": cur,
                      "categories": cats, "referenceProportions": fl(rp),
                      "currentProportions": fl(cp), "statistic": value, "level": psi_level(value)})
    return cases


# ---------------------------------------------------------------- chi-square homogeneity
def chi2_case(name, ref, cur):
    cats = sorted(set(ref) | set(cur))
    table = np.array([[ref.get(k, 0) for k in cats], [cur.get(k, 0) for k in cats]], dtype=float)
    table = table[:, table.sum(axis=0) > 0]  # categories with zero total on both sides dropped
    k = table.shape[1]
    if k <= 1:
        stat, p, dof = 0.0, 1.0, 0
    else:
        res = stats.chi2_contingency(table, correction=False)
        stat, p, dof = float(res.statistic), float(res.pvalue), int(res.dof)
    return {"name": name, "referenceMap": ref, "currentMap": cur, "statistic": stat,
            "pValue": p, "degreesOfFreedom": dof, "categories": k}


def chi2_cases():
    return [
        chi2_case("same_mix", {"a": 500, "b": 300, "c": 200}, {"a": 260, "b": 140, "c": 100}),
        chi2_case("shifted_mix", {"a": 500, "b": 300, "c": 200}, {"a": 420, "b": 330, "c": 250}),
        chi2_case("two_categories_no_yates", {"yes": 30, "no": 70}, {"yes": 45, "no": 55}),
        chi2_case("unseen_in_reference", {"a": 500, "b": 500}, {"a": 400, "b": 400, "new": 20}),
        chi2_case("zero_total_category_dropped", {"a": 10, "b": 0, "c": 90},
                  {"a": 20, "b": 0, "c": 80, "d": 0}),
        chi2_case("tiny_p_value", {"a": 5000, "b": 3000, "c": 2000},
                  {"a": 2000, "b": 3000, "c": 5000}),
        chi2_case("many_categories",
                  {f"k{i:02d}": int(v) for i, v in enumerate(rng.integers(1, 200, 25))},
                  {f"k{i:02d}": int(v) for i, v in enumerate(rng.integers(1, 200, 25))}),
        chi2_case("single_category", {"only": 10}, {"only": 7}),
    ]


# ---------------------------------------------------------------- JS and Hellinger
def hellinger(p, q):
    p = p / p.sum()
    q = q / q.sum()
    # H = (1/sqrt 2) ||sqrt p - sqrt q||_2, equal to sqrt(1 - sum sqrt(p q)) for normalized p, q
    h = np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2)
    assert abs(h - np.sqrt(max(0.0, 1 - np.sum(np.sqrt(p * q))))) < 1e-7
    return float(h)


def vector_pairs():
    d20 = rng.dirichlet(np.ones(20))
    return {
        "dirichlet5": (r6(rng.dirichlet(np.ones(5))), r6(rng.dirichlet(np.ones(5)))),
        "close20": (r6(d20), r6(0.9 * d20 + 0.1 * rng.dirichlet(np.ones(20)))),
        "dirichlet200": (r6(rng.dirichlet(np.ones(200) * 0.5)), r6(rng.dirichlet(np.ones(200) * 0.5))),
        "unnormalized_counts": (r6([10, 20, 30, 40]), r6([40, 30, 20, 10])),
        "zeros_in_both": (r6([0.5, 0.0, 0.5, 0.0]), r6([0.25, 0.25, 0.0, 0.5])),
        "identical": (r6([0.1, 0.2, 0.3, 0.4]), r6([0.1, 0.2, 0.3, 0.4])),
        "disjoint": (r6([1.0, 0.0]), r6([0.0, 1.0])),
    }


def map_pairs():
    return {
        "same_mix": ({"a": 500, "b": 300, "c": 200}, {"a": 260, "b": 140, "c": 100}),
        "unseen_in_reference": ({"a": 500, "b": 500}, {"a": 400, "b": 400, "new": 200}),
        "missing_in_current": ({"a": 300, "b": 300, "c": 400}, {"a": 500, "b": 500}),
    }


def aligned(ref, cur):
    cats = sorted(set(ref) | set(cur))
    return (np.array([ref.get(k, 0) for k in cats], dtype=float),
            np.array([cur.get(k, 0) for k in cats], dtype=float))


def js_cases():
    cases = []
    for name, (p, q) in vector_pairs().items():
        cases.append({"name": name, "p": fl(p), "q": fl(q),
                      "expected": float(jensenshannon(p, q, base=2))})
    for name, (ref, cur) in map_pairs().items():
        p, q = aligned(ref, cur)
        cases.append({"name": "map_" + name, "referenceMap": ref, "currentMap": cur,
                      "expected": float(jensenshannon(p, q, base=2))})
    return cases


def hellinger_cases():
    cases = []
    for name, (p, q) in vector_pairs().items():
        cases.append({"name": name, "p": fl(p), "q": fl(q), "expected": hellinger(p, q)})
    for name, (ref, cur) in map_pairs().items():
        p, q = aligned(ref, cur)
        cases.append({"name": "map_" + name, "referenceMap": ref, "currentMap": cur,
                      "expected": hellinger(p, q)})
    return cases


# ---------------------------------------------------------------- Wasserstein
def wasserstein_cases():
    pairs = {
        "normal_shift": (r6(rng.normal(0, 1, 300)), r6(rng.normal(0.5, 1.5, 200))),
        "integer_ties": (r6(rng.integers(0, 5, 100)), r6(rng.integers(1, 6, 80))),
        "single_points": (r6([1.0]), r6([3.25])),
        "identical": (r6([1.0, 2.0, 2.0, 5.0]), r6([5.0, 2.0, 1.0, 2.0])),
        "overlapping_values": (r6([0.0, 1.0, 3.0]), r6([5.0, 6.0, 8.0, 1.0, 0.0])),
        "large_scale": (r6(rng.exponential(1000, 150)), r6(rng.exponential(1200, 170))),
    }
    return [{"name": n, "u": fl(u), "v": fl(v), "expected": float(stats.wasserstein_distance(u, v))}
            for n, (u, v) in pairs.items()]


# ---------------------------------------------------------------- multiple testing
def bonferroni(p):
    # statsmodels multipletests(method='bonferroni'): p * m, values > 1 set to 1
    return np.minimum(p * len(p), 1.0)


def bh(p):
    # statsmodels multipletests(method='fdr_bh'):
    #   sorted p / ecdffactor (i/m), reversed cumulative minimum, clipped at 1
    order = np.argsort(p)
    ps = p[order]
    ecdf = np.arange(1, len(p) + 1) / float(len(p))
    adj_sorted = np.minimum.accumulate((ps / ecdf)[::-1])[::-1]
    adj_sorted[adj_sorted > 1] = 1
    out = np.empty_like(adj_sorted)
    out[order] = adj_sorted
    return out


def bh_reject(p, alpha):
    # statsmodels fdr_bh reject: largest i with p_(i) <= i/m * alpha, reject the i smallest
    order = np.argsort(p)
    ps = p[order]
    ecdf = np.arange(1, len(p) + 1) / float(len(p))
    rej = ps <= ecdf * alpha
    if rej.any():
        rej[: np.nonzero(rej)[0].max()] = True
    out = np.empty_like(rej)
    out[order] = rej
    return out


def multiple_testing_cases():
    arrays = {
        "single": r6([0.03]),
        "mixed": r6([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.9, 0.049]),
        "ties_and_bounds": r6([0.0, 1.0, 0.02, 0.02, 0.02, 0.5, 0.0001]),
        "uniform50": r6(np.concatenate([rng.uniform(0, 1, 40), rng.uniform(0, 0.002, 10)])),
        "all_large": r6([0.6, 0.7, 0.8, 0.95]),
    }
    alpha = 0.05
    cases = []
    for name, p in arrays.items():
        cases.append({"name": name, "p": fl(p), "alpha": alpha,
                      "bonferroni": fl(bonferroni(p)), "bh": fl(bh(p)),
                      "rejectNone": (p <= alpha).tolist(),
                      "rejectBonferroni": (p <= alpha / len(p)).tolist(),
                      "rejectBh": bh_reject(p, alpha).tolist()})
    return cases


# ---------------------------------------------------------------- classification metrics
def auc_midrank(scores, labels):
    # sklearn.metrics.roc_auc_score == Mann-Whitney U / (n_pos * n_neg) with midranks for ties
    pos = labels == 1
    npos, nneg = int(pos.sum()), int((~pos).sum())
    if npos == 0 or nneg == 0:
        return float("nan")
    ranks = stats.rankdata(scores)  # method='average' (midranks)
    u = ranks[pos].sum() - npos * (npos + 1) / 2.0
    return u / (npos * nneg)


def auc_trapezoid(scores, labels):
    # sklearn's own route: ROC points at distinct thresholds, trapezoidal area
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    distinct = np.r_[np.where(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(y)[distinct]
    fps = (1 + distinct) - tps
    tpr = np.r_[0, tps] / tps[-1]
    fpr = np.r_[0, fps] / fps[-1]
    return float(np.trapezoid(tpr, fpr))


def classification_case(name, scores, labels, threshold):
    pred = scores >= threshold
    act = labels == 1
    tp = int(np.sum(pred & act)); fp = int(np.sum(pred & ~act))
    tn = int(np.sum(~pred & ~act)); fn = int(np.sum(~pred & act))
    n = len(scores)
    div0 = lambda a, b: a / b if b else 0.0  # sklearn zero_division=0
    precision = div0(tp, tp + fp)
    recall = div0(tp, tp + fn)
    f1 = div0(2 * tp, 2 * tp + fp + fn)
    auc = auc_midrank(scores, labels)
    if not math.isnan(auc):
        assert abs(auc - auc_trapezoid(scores, labels)) < 1e-12
    # sklearn.metrics.log_loss with eps=1e-15: clip, natural log, mean
    p = np.clip(scores, 1e-15, 1 - 1e-15)
    log_loss = float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))
    brier = float(np.mean((scores - labels) ** 2))  # sklearn.metrics.brier_score_loss
    return {"name": name, "scores": fl(scores), "labels": labels.tolist(), "threshold": threshold,
            "n": n, "positives": int(act.sum()), "tp": tp, "fp": fp, "tn": tn, "fn": fn,
            "accuracy": (tp + tn) / n, "precision": precision, "recall": recall, "f1": f1,
            "rocAuc": fl(auc), "logLoss": log_loss, "brier": brier}


def classification_cases():
    y = (rng.uniform(size=500) < 0.3).astype(int)
    s = r6(np.clip(rng.normal(0.35 + 0.3 * y, 0.15), 0, 1))
    y2 = (rng.uniform(size=300) < 0.5).astype(int)
    s2 = r6(np.round(np.clip(rng.normal(0.4 + 0.2 * y2, 0.2), 0, 1), 1))  # 11 distinct scores: ties
    y3 = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    s3 = r6([1.0, 0.0, 0.0, 0.7, 1.0, 0.3, 0.5, 0.5])  # hard 0/1 scores exercise the log-loss clip
    return [
        classification_case("calibrated500", s, y, 0.5),
        classification_case("tied_scores", s2, y2, 0.5),
        classification_case("tied_scores_low_threshold", s2, y2, 0.2),
        classification_case("hard_scores", s3, y3, 0.5),
        classification_case("nothing_predicted_positive", s2, y2, 1.01),
        classification_case("one_class_only", r6([0.1, 0.8, 0.4]), np.array([0, 0, 0]), 0.5),
    ]


# ---------------------------------------------------------------- regression metrics
def regression_cases():
    cases = []
    a = r6(rng.normal(50, 10, 400))
    pairs = {
        "noisy400": (r6(a + rng.normal(0, 3, 400)), a),
        "perfect": (r6([1.0, 2.0, 3.0]), r6([1.0, 2.0, 3.0])),
        "single": (r6([2.5]), r6([-1.0])),
    }
    for name, (pred, act) in pairs.items():
        e = pred - act
        cases.append({"name": name, "predictions": fl(pred), "actuals": fl(act), "n": len(pred),
                      "mae": float(np.mean(np.abs(e))), "rmse": float(np.sqrt(np.mean(e ** 2)))})
    return cases


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("quantiles.json", quantile_cases())
    write("psi.json", psi_cases())
    write("chi2.json", chi2_cases())
    write("js.json", js_cases())
    write("hellinger.json", hellinger_cases())
    write("wasserstein.json", wasserstein_cases())
    write("multiple_testing.json", multiple_testing_cases())
    write("classification_metrics.json", classification_cases())
    write("regression_metrics.json", regression_cases())
