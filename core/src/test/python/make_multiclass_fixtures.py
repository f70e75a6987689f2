#!/usr/bin/python3
"""Writes the reference values of MulticlassMetricsTest (core/src/test/resources/fixtures/multiclass_metrics.json).

Run from the repository root:  /usr/bin/python3 core/src/test/python/make_multiclass_fixtures.py
Needs scikit-learn (Debian's python3-sklearn; written with scikit-learn 1.2.1, numpy 1.24.2). Probabilities are
rounded to 6 decimals before any reference value is computed, so Java and Python see identical doubles.
Macro averages are over all declared classes (labels=range(k)); the macro one-vs-rest AUC is over the classes
that have both positive and negative examples (scikit-learn refuses the others).
"""
import json
import os

import numpy as np
from sklearn.metrics import (accuracy_score, confusion_matrix, log_loss, precision_recall_fscore_support,
                             roc_auc_score)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
rng = np.random.default_rng(20261207)


def case(name, probabilities, labels, k):
    probabilities = np.round(np.asarray(probabilities, dtype=float), 6)
    labels = np.asarray(labels, dtype=int)
    predicted = probabilities.argmax(axis=1)
    classes = list(range(k))
    p, r, f, _ = precision_recall_fscore_support(labels, predicted, labels=classes, zero_division=0)
    out = {"name": name, "classes": k, "probabilities": probabilities.tolist(), "labels": labels.tolist(),
           "confusion": confusion_matrix(labels, predicted, labels=classes).tolist(),
           "accuracy": accuracy_score(labels, predicted),
           "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist()}
    for average in ("macro", "weighted", "micro"):
        ap, ar, af, _ = precision_recall_fscore_support(labels, predicted, labels=classes, average=average,
                                                        zero_division=0)
        out[average] = [ap, ar, af]
    out["log_loss"] = log_loss(labels, probabilities, labels=classes, eps=1e-15)
    auc = []
    for c in classes:
        positive = (labels == c).astype(int)
        auc.append(roc_auc_score(positive, probabilities[:, c]) if 0 < positive.sum() < len(labels) else None)
    out["auc"] = auc
    present = [a for a in auc if a is not None]
    out["macro_auc"] = float(np.mean(present))
    if all(a is not None for a in auc) and np.allclose(1, probabilities.sum(axis=1)):
        # every class present and rows of probabilities: scikit-learn's multiclass one-vs-rest macro AUC agrees
        assert abs(roc_auc_score(labels, probabilities, multi_class="ovr", average="macro", labels=classes)
                   - out["macro_auc"]) < 1e-12
    return out


def drawn(n, k, concentration, sharpness):
    p = rng.dirichlet(np.full(k, concentration), size=n)
    labels = np.array([rng.choice(k, p=(row ** sharpness) / (row ** sharpness).sum()) for row in p])
    return p, labels


cases = []
p, y = drawn(200, 3, 1.0, 1.5)
cases.append(case("three classes, 200 examples", p, y, 3))
p, y = drawn(150, 4, 0.7, 1.0)
y[y == 3] = 0  # class 3 never labelled
cases.append(case("four classes, one never labelled", p, y, 4))
p, y = drawn(120, 5, 1.0, 2.0)
cases.append(case("five classes, probabilities in steps of 0.05 (ties)", np.round(p * 20) / 20, y, 5))
cases.append(case("seven examples", [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0],
                                     [0.0, 0.0, 1.0], [0.2, 0.6, 0.2], [0.34, 0.33, 0.33]], [0, 1, 1, 1, 2, 0, 2], 3))
with open(os.path.join(OUT, "multiclass_metrics.json"), "w") as f:
    json.dump({"generator": "core/src/test/python/make_multiclass_fixtures.py", "cases": cases}, f,
              separators=(",", ":"))
