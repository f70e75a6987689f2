#!/usr/bin/env python3
"""Generate the Kolmogorov-Smirnov fixtures used by core/src/test/java/dev/driftline/core/stats.

Run from the repository root:  python3 core/src/test/python/make_ks_fixtures.py
Requires numpy and scipy (fixtures committed were produced with scipy 1.17.1).

Writes into core/src/test/resources/fixtures/:
  ks_2samp.json  cases {name, reference, current, method_arg, statistic, pvalue, method}
                 statistic/pvalue = scipy.stats.ks_2samp(reference, current, method=method_arg)
                 method = the p-value method scipy actually used ("exact" or "asymp").
  kstwo.json     {"kstwo": [{n, d, sf, cdf, branch}], "smirnov": [{n, x, sf}]}
                 sf = scipy.stats.kstwo.sf(d, n), cdf = scipy.stats.kstwo.cdf(d, n),
                 smirnov sf = scipy.special.smirnov(n, x).
Samples are rounded to 6 decimals *before* scipy sees them, so Java parses identical doubles.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
rng = np.random.default_rng(20240611)

MAX_AUTO_N = 10000


def used_method(n1, n2, method_arg):
    """Mirror of ks_2samp's own choice (two-sided exact never fails for these sizes)."""
    if method_arg == "auto":
        return "exact" if max(n1, n2) <= MAX_AUTO_N else "asymp"
    if method_arg == "exact":
        g = math.gcd(n1, n2)
        if n1 // g >= np.iinfo(np.int32).max / (n2 // g):
            return "asymp"
    return method_arg


cases = []


def case(name, ref, cur, method_arg="auto", decimals=6):
    ref = np.round(np.asarray(ref, dtype=float), decimals)
    cur = np.round(np.asarray(cur, dtype=float), decimals)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an exact->asymp fallback would make `method` wrong
        res = stats.ks_2samp(ref, cur, method=method_arg)
    cases.append({
        "name": name,
        "method_arg": method_arg,
        "method": used_method(len(ref), len(cur), method_arg),
        "statistic": float(res.statistic),
        "pvalue": float(res.pvalue),
        "reference": [float(v) for v in ref],
        "current": [float(v) for v in cur],
    })


def norm(n, loc=0.0, scale=1.0):
    return rng.normal(loc, scale, n)


# tiny samples, every size pair 1..5
for n1 in range(1, 6):
    for n2 in range(1, 6):
        case(f"tiny_{n1}x{n2}", norm(n1), norm(n2, 0.3))
case("tiny_separated_3x4", [1, 2, 3], [10, 11, 12, 13])
case("tiny_identical_1x1", [0.5], [0.5])

# equal sizes (n1 == n2: _compute_prob_outside_square)
for n in (8, 20, 100, 1000):
    case(f"equal_{n}_same", norm(n), norm(n))
    case(f"equal_{n}_shift", norm(n), norm(n, 0.4))
case("equal_3000_shift_small", norm(3000), norm(3000, 0.05))

# unequal, gcd > 1
for n1, n2 in ((60, 90), (200, 300), (500, 1500), (1200, 800)):
    case(f"gcd_{n1}x{n2}_same", norm(n1), norm(n2))
    case(f"gcd_{n1}x{n2}_shift", norm(n1), norm(n2, 0.25, 1.2))
# coprime
for n1, n2 in ((37, 53), (101, 997), (999, 1000), (7, 2003)):
    case(f"coprime_{n1}x{n2}_same", norm(n1), norm(n2))
    case(f"coprime_{n1}x{n2}_shift", norm(n1), norm(n2, 0.3))

# heavy ties
case("ties_int_50x80", rng.integers(0, 6, 50), rng.integers(0, 6, 80))
case("ties_int_500x700_shift", rng.integers(0, 10, 500), rng.integers(1, 11, 700))
case("ties_poisson_300x300", rng.poisson(3, 300), rng.poisson(3.3, 300))
case("ties_rounded_1dp_400x250", norm(400), norm(250, 0.1), decimals=1)
case("ties_constant_vs_constant", [2.0] * 10, [2.0] * 7)
case("ties_constant_vs_other", [2.0] * 10, [3.0] * 7)
case("ties_two_values_mixed", [0.0] * 30 + [1.0] * 20, [0.0] * 10 + [1.0] * 30)

# identical samples (p = 1) and fully separated samples
same = norm(150)
case("identical_150", same, same.copy())
case("identical_permuted_77", same[:77], rng.permutation(same[:77]))
case("separated_40x60", rng.uniform(0, 1, 40), rng.uniform(2, 3, 60))
case("separated_reversed_500x300", rng.uniform(5, 6, 500), rng.uniform(0, 1, 300))
case("separated_equal_200", rng.uniform(0, 1, 200), rng.uniform(1.5, 2, 200))

# around the 10000 switch
case("switch_10000x50_exact", norm(10000), norm(50, 0.2))
case("switch_10001x300_asymp", norm(10001), norm(300, 0.1))
case("switch_50x10001_asymp", norm(50), norm(10001))
case("switch_10000x10000_exact", norm(10000), norm(10000, 0.03))
case("switch_12000x9000_asymp", norm(12000), norm(9000, 0.02))

# forced asymptotic: en spans every kstwo branch (small/large n, DMTW, Pomeranz, Pelz-Good, smirnov)
for n1, n2, shift in ((5, 7, 0.0), (12, 20, 0.5), (30, 45, 0.2), (90, 110, 0.0), (150, 200, 0.4),
                      (400, 900, 0.05), (2000, 2500, 0.0), (2000, 2500, 0.12), (1000, 60, 1.5)):
    case(f"asymp_{n1}x{n2}_shift{shift}", norm(n1), norm(n2, shift), method_arg="asymp")
case("asymp_ties_int_100x300", rng.integers(0, 4, 100), rng.integers(0, 4, 300), method_arg="asymp")

# forced exact on moderate sizes
for n1, n2, shift in ((300, 450, 0.0), (300, 450, 0.3), (1000, 1500, 0.1), (2001, 1999, 0.05), (500, 500, 0.0)):
    case(f"exact_{n1}x{n2}_shift{shift}", norm(n1), norm(n2, shift), method_arg="exact")
case("exact_12000x40", norm(12000), norm(40, 0.3), method_arg="exact")

with open(os.path.join(OUT, "ks_2samp.json"), "w") as f:
    json.dump({"generator": f"make_ks_fixtures.py, scipy {scipy.__version__}", "cases": cases}, f)


# ---------------------------------------------------------------- kstwo and smirnov grids
def kolmogn_branch(n, x):
    """Label which _kolmogn branch scipy takes for the SF (documentation only)."""
    if x >= 1.0 or x <= 0.0:
        return "endpoint"
    t = n * x
    if t <= 1.0:
        return "ruben_gambino_low"
    if t >= n - 1:
        return "ruben_gambino_high"
    if x >= 0.5:
        return "smirnov_x_ge_half"
    nxx = t * x
    if n <= 140:
        if nxx <= 0.754693:
            return "dmtw_small_n"
        if nxx <= 4:
            return "pomeranz"
        return "smirnov_small_n"
    if nxx >= 370.0:
        return "zero"
    if nxx >= 2.2:
        return "smirnov_large_n"
    if n <= 100000 and n * x ** 1.5 <= 1.4:
        return "dmtw_large_n"
    return "pelz_good"


ns = [1, 2, 3, 4, 5, 7, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 5000, 10000, 50000,
      100000, 100001, 300000, 1000000]
kstwo_rows = []
for n in ns:
    ds = set()
    for t in (0.3, 0.5, 0.6, 0.75, 0.9, 1.0, 1.2, 1.5, 2.0, 3.5):
        ds.add(t / n)
    for nxx in (0.05, 0.2, 0.5, 0.754, 0.76, 1.0, 1.5, 2.19, 2.21, 3.0, 3.99, 4.01, 6.0, 10.0,
                17.9, 18.1, 50.0, 369.0, 371.0):
        ds.add(math.sqrt(nxx / n))
    for x in (0.1, 0.25, 0.4, 0.49, 0.5, 0.6, 0.75, 0.9, 1 - 1.0 / n, 1 - 0.5 / n, 0.999):
        ds.add(x)
    for x in (1.4 / n) ** (2 / 3) * np.array([0.9, 1.1]):
        ds.add(float(x))
    for d in sorted(ds):
        if not (0.0 < d <= 1.0):
            continue
        kstwo_rows.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n)),
                           "cdf": float(stats.kstwo.cdf(d, n)), "branch": kolmogn_branch(n, d)})

smirnov_rows = []
for n in (1, 2, 3, 5, 10, 20, 50, 100, 141, 500, 1000, 10000, 100000, 1000000, 2000000):
    xs = set([0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0 / n, 0.5 / n, 2.0 / n,
              1 - 1.0 / n, 1 - 0.5 / n])
    for z in (0.3, 0.8, 1.0, 1.5, 2.0, 3.0):
        xs.add(z / math.sqrt(n))
    for x in sorted(xs):
        if 0.0 <= x <= 1.0:
            smirnov_rows.append({"n": n, "x": float(x), "sf": float(special.smirnov(n, x))})

with open(os.path.join(OUT, "kstwo.json"), "w") as f:
    json.dump({"generator": f"make_ks_fixtures.py, scipy {scipy.__version__}",
               "kstwo": kstwo_rows, "smirnov": smirnov_rows}, f, indent=0)
print(len(cases), "ks_2samp cases,", len(kstwo_rows), "kstwo rows,", len(smirnov_rows), "smirnov rows")
