"""Reference values for the `driftline stats` command tests, computed with scipy/numpy.

Run from the repository root:  python3 cli/src/test/python/make_cli_fixtures.py
Writes value files (one per line) and expected.json under cli/src/test/resources/cli/.
"""
import json
import os

import numpy as np
from scipy import stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "cli")
rng = np.random.default_rng(20261126)


def write(name, values):
    with open(os.path.join(OUT, name), "w") as f:
        for v in values:
            f.write(f"{v}\n")


def psi_numeric(ref, cur, bins=10, eps=1e-4):
    edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))  # type 7, duplicates merged
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1) / len(cur)
    r, c = np.clip(r, eps, None), np.clip(c, eps, None)
    return float(np.sum((c - r) * np.log(c / r)))


def proportions(ref, cur):
    cats = sorted(set(ref) | set(cur))
    r = np.array([ref.count(k) for k in cats], dtype=float)
    c = np.array([cur.count(k) for k in cats], dtype=float)
    return cats, r, c


# Numbers: a small pair (exact KS, ties from rounding) and a larger shifted pair (asymptotic KS).
small_ref = np.round(rng.normal(0, 1, 60), 1)
small_cur = np.round(rng.normal(0.5, 1, 45), 1)
large_ref = np.round(rng.normal(10, 2, 12000), 6)
large_cur = np.round(rng.normal(10.3, 2.2, 3000), 6)
write("small-ref.txt", small_ref)
write("small-cur.txt", small_cur)
write("large-ref.txt", large_ref)
write("large-cur.txt", large_cur)

# Categories with one category unseen in the reference.
cat_ref = list(rng.choice(["a", "b", "c", "d"], size=500, p=[0.4, 0.3, 0.2, 0.1]))
cat_cur = list(rng.choice(["a", "b", "c", "d", "e"], size=400, p=[0.3, 0.3, 0.2, 0.1, 0.1]))
write("cat-ref.txt", cat_ref)
write("cat-cur.txt", cat_cur)

expected = {}
for name, ref, cur in [("small", small_ref, small_cur), ("large", large_ref, large_cur)]:
    ks = stats.ks_2samp(ref, cur, method="auto")  # scipy.stats.ks_2samp(ref, cur, method='auto')
    expected[f"ks-{name}"] = {"statistic": float(ks.statistic), "p_value": float(ks.pvalue),
                              "method": "exact" if max(len(ref), len(cur)) <= 10000 else "asymptotic"}
    expected[f"psi-{name}"] = {"statistic": psi_numeric(ref, cur)}
    w = stats.wasserstein_distance(ref, cur)
    expected[f"wasserstein-{name}"] = {"statistic": float(w), "normalized": float(w / np.std(ref, ddof=1))}

cats, r, c = proportions(cat_ref, cat_cur)
table = np.array([r, c])
table = table[:, table.sum(axis=0) > 0]
chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
expected["chi2"] = {"statistic": float(chi2), "p_value": float(p), "degrees_of_freedom": int(dof)}
expected["js"] = {"statistic": float(distance.jensenshannon(r, c, base=2))}
rp, cp = r / r.sum(), c / c.sum()
expected["hellinger"] = {"statistic": float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(rp * cp)))))}
rc, cc = np.clip(rp, 1e-4, None), np.clip(cp, 1e-4, None)
expected["psi-categorical"] = {"statistic": float(np.sum((cc - rc) * np.log(cc / rc)))}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=2, sort_keys=True)
print(json.dumps(expected, indent=2, sort_keys=True))
