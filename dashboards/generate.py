#!/usr/bin/env python3
"""Writes dashboards/driftline.ndjson, the Kibana saved objects of the Driftline dashboard.

The ndjson is the artifact (committed, imported by import.sh, checked by
runtime/.../dashboards/SavedObjectsTest); this script only keeps its many ids and Lens
boilerplate consistent. Edit here, run `python3 dashboards/generate.py`, commit both.

Objects are written in the format Kibana 8.8+ exports (Lens `formBased` layers, dashboards with
by-reference panels); the typeMigrationVersion of each object tells Kibana 9 which migrations
to run on import, so no running Kibana is needed to produce them.
"""
import json
import os

CORE = "8.8.0"
DV, LENS, SEARCH, DASH = "index-pattern", "lens", "search", "dashboard"
# The versions Kibana's own sample data and 8.x exports carry for these types.
TYPE_VERSION = {DV: "8.0.0", LENS: "8.9.0", SEARCH: "8.0.0", DASH: "8.7.0"}

objects = []


def obj(type_, id_, attributes, references=()):
    objects.append({
        "attributes": attributes,
        "coreMigrationVersion": CORE,
        "id": id_,
        "managed": False,
        "references": list(references),
        "type": type_,
        "typeMigrationVersion": TYPE_VERSION[type_],
    })


# ---- data views -----------------------------------------------------------------------------
DATA_VIEWS = {
    "driftline-drift": ("driftline-drift-*", "window_start", "Driftline drift results"),
    "driftline-performance": ("driftline-performance-*", "window_start", "Driftline performance"),
    "driftline-alerts": ("driftline-alerts*", "created_at", "Driftline alerts and retrain triggers"),
    "driftline-dead-letters": ("driftline-dead-letters*", "failed_at", "Driftline dead letters"),
}
for dv_id, (title, time_field, name) in DATA_VIEWS.items():
    obj(DV, dv_id, {
        "title": title,
        "name": name,
        "timeFieldName": time_field,
        "fields": "[]",
        "fieldFormatMap": "{}",
        "runtimeFieldMap": "{}",
        "sourceFilters": "[]",
        "typeMeta": "{}",
        "allowNoIndex": True,
    })


# ---- Lens columns -----------------------------------------------------------------------------
def date_histogram(field):
    return {"label": field, "dataType": "date", "operationType": "date_histogram", "sourceField": field,
            "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def terms(field, size, label):
    return {"label": label, "customLabel": True, "dataType": "string", "operationType": "terms",
            "sourceField": field, "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "alphabetical", "fallback": False},
                       "orderDirection": "asc", "otherBucket": True, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}


def metric(op, field, label):
    return {"label": label, "customLabel": True, "dataType": "number", "operationType": op,
            "sourceField": field, "isBucketed": False, "scale": "ratio", "params": {"emptyAsNull": True}}


def count(label, kql=None):
    col = {"label": label, "customLabel": True, "dataType": "number", "operationType": "count",
           "sourceField": "___records___", "isBucketed": False, "scale": "ratio",
           "params": {"emptyAsNull": False}}
    if kql:
        col["filter"] = {"query": kql, "language": "kuery"}
    return col


def lens(id_, title, description, dv_id, vis_type, columns, visualization, kql=""):
    """One Lens object with one form-based layer, named after the object, on one data view."""
    layer = id_ + "-layer"
    visualization = json.loads(json.dumps(visualization).replace("@LAYER@", layer))
    obj(LENS, id_, {
        "title": title,
        "description": description,
        "visualizationType": vis_type,
        "state": {
            "datasourceStates": {"formBased": {"layers": {layer: {
                "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
            "visualization": visualization,
            "query": {"query": kql, "language": "kuery"},
            "filters": [],
            "internalReferences": [],
            "adHocDataViews": {},
        },
    }, [
        {"type": DV, "id": dv_id, "name": "indexpattern-datasource-layer-" + layer},
    ])


def xy_line(x, ys, split=None, series="line"):
    layer = {"layerId": "@LAYER@", "layerType": "data", "seriesType": series, "xAccessor": x, "accessors": ys}
    if split:
        layer["splitAccessor"] = split
    return {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide",
            "fittingFunction": "None", "preferredSeriesType": series,
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True},
            "layers": [layer]}


HEAT = ["#f1f4f9", "#f5a35c", "#e7664c", "#bd271e"]
# The data-quality checks of core's DriftTests (drift : true there means a failed check, not drift).
QUALITY_CHECKS = ["missing_share", "out_of_range", "unseen_categories", "wrong_type"]
QUALITY = "(" + " or ".join('test : "%s"' % t for t in QUALITY_CHECKS) + ")"
NOT_QUALITY = "not " + QUALITY
MODEL_LEVEL = 'segment : "__all__"'  # per-segment results stay in the indices; charts show the model

# ---- drift --------------------------------------------------------------------------------------
lens("driftline-drift-heatmap", "Drift flags by feature and window",
     "Tests that flagged drift (drift : true) per feature and window_start, model level; data-quality checks left out.",
     "driftline-drift", "lnsHeatmap",
     {"x": date_histogram("window_start"),
      "y": terms("feature", 50, "Feature"),
      "v": count("Tests flagging drift", "drift : true and " + NOT_QUALITY)},
     {"shape": "heatmap", "layerId": "@LAYER@", "layerType": "data",
      "xAccessor": "x", "yAccessor": "y", "valueAccessor": "v",
      "legend": {"isVisible": True, "position": "right", "type": "heatmap_legend"},
      "gridConfig": {"type": "heatmap_grid", "isCellLabelVisible": False, "isYAxisLabelVisible": True,
                     "isXAxisLabelVisible": True, "isYAxisTitleVisible": False, "isXAxisTitleVisible": False},
      # 0 tests flagging: light; 1, 2, 3 or more: warmer. colorStops are where a color starts, stops
      # where it ends (how Lens stores a custom palette).
      "palette": {"type": "palette", "name": "custom", "accessor": "v",
                  "params": {"name": "custom", "rangeType": "number", "rangeMin": 0, "rangeMax": 4,
                             "progression": "fixed", "reverse": False, "continuity": "above", "steps": 4,
                             "colorStops": [{"color": c, "stop": i} for i, c in enumerate(HEAT)],
                             "stops": [{"color": c, "stop": i + 1} for i, c in enumerate(HEAT)]}}},
     MODEL_LEVEL)


def statistic_by_feature(id_, title, description, test, label):
    """A line per feature of one test's statistic per window (max over the bucket), model level."""
    lens(id_, title, description, "driftline-drift", "lnsXY",
         {"x": date_histogram("window_start"), "y": metric("max", "statistic", label),
          "s": terms("feature", 20, "Feature")},
         xy_line("x", ["y"], "s"), 'test : "%s" and ' % test + MODEL_LEVEL)


statistic_by_feature("driftline-ks-statistic", "KS statistic by feature",
                     "Kolmogorov-Smirnov D per numeric feature and window (max over the bucket).",
                     "ks", "KS statistic (D)")
statistic_by_feature("driftline-psi", "PSI by feature",
                     "Population Stability Index per feature and window (max over the bucket); > 0.25 is a major shift.",
                     "psi", "PSI")

lens("driftline-pca-reconstruction", "Multivariate drift: PCA reconstruction error",
     "pca_reconstruction per window, model level: the mean reconstruction error of the window's "
     "predictions and the reference band (threshold_lower to threshold_upper); outside the band is drift "
     "(features that stop moving together while each keeps its distribution).",
     "driftline-drift", "lnsXY",
     {"x": date_histogram("window_start"),
      "y": metric("max", "statistic", "Mean reconstruction error"),
      "lo": metric("max", "threshold_lower", "Band lower end"),
      "hi": metric("max", "threshold_upper", "Band upper end")},
     xy_line("x", ["y", "lo", "hi"]), 'test : "pca_reconstruction" and ' + MODEL_LEVEL)

# ---- performance --------------------------------------------------------------------------------
lens("driftline-performance-metrics", "Performance and label coverage",
     "AUC, accuracy, Brier score and label coverage per window, model level (averaged over the bucket).",
     "driftline-performance", "lnsXY",
     {"x": date_histogram("window_start"),
      "auc": metric("average", "auc", "AUC"),
      "acc": metric("average", "accuracy", "Accuracy"),
      "brier": metric("average", "brier", "Brier score"),
      "cov": metric("average", "label_coverage", "Label coverage")},
     xy_line("x", ["auc", "acc", "brier", "cov"]), MODEL_LEVEL)

# ---- dead letters -------------------------------------------------------------------------------
lens("driftline-dead-letters-by-stage", "Dead letters by stage",
     "Records the jobs could not use, per stage (decode, join, sink...).",
     "driftline-dead-letters", "lnsXY",
     {"x": date_histogram("failed_at"), "y": count("Dead letters"), "s": terms("stage", 10, "Stage")},
     xy_line("x", ["y"], "s", series="bar_stacked"))

# ---- data quality -------------------------------------------------------------------------------
lens("driftline-data-quality", "Failed data-quality checks",
     "Data-quality checks that failed (drift : true), model level: per feature and check, in how many "
     "windows, and the largest share the check measured (missing, out of range, unseen, wrong type).",
     "driftline-drift", "lnsDatatable",
     {"f": terms("feature", 50, "Feature"),
      "t": terms("test", 10, "Check"),
      "n": count("Failed windows"),
      "s": metric("max", "statistic", "Largest share")},
     {"layerId": "@LAYER@", "layerType": "data",
      "columns": [{"columnId": c, "isTransposed": False} for c in ("f", "t", "n", "s")],
      "sorting": {"columnId": "n", "direction": "desc"}},
     "drift : true and " + QUALITY + " and " + MODEL_LEVEL)

# ---- alerts (saved search) ----------------------------------------------------------------------
obj(SEARCH, "driftline-alerts-table", {
    "title": "Alerts and retrain triggers",
    "description": "Newest first; trigger_id is set when an alert triggered a retraining.",
    "columns": ["severity", "kind", "model_id", "message", "trigger_id"],
    "sort": [["created_at", "desc"]],
    "grid": {},
    "hideChart": True,
    "isTextBasedQuery": False,
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({
        "query": {"query": "", "language": "kuery"}, "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}, separators=(",", ":"))},
}, [{"type": DV, "id": "driftline-alerts", "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}])

# ---- multiclass performance ---------------------------------------------------------------------
# Defined after the saved search so that the other panels keep their places in the file.
lens("driftline-multiclass-performance", "Multiclass performance",
     "Macro F1, micro F1 and macro AUC per window of multiclass classifiers, model level (averaged over the "
     "bucket); the other models' results have none of these metrics.",
     "driftline-performance", "lnsXY",
     {"x": date_histogram("window_start"),
      "mf1": metric("average", "macro_f1", "Macro F1"),
      "uf1": metric("average", "micro_f1", "Micro F1"),
      "mauc": metric("average", "macro_auc", "Macro AUC")},
     xy_line("x", ["mf1", "uf1", "mauc"]), MODEL_LEVEL)

# ---- dashboard ----------------------------------------------------------------------------------
PANELS = [  # (object type, id, x, y, w, h): a 48-column grid
    (LENS, "driftline-drift-heatmap", 0, 0, 48, 14),
    (LENS, "driftline-ks-statistic", 0, 14, 24, 12),
    (LENS, "driftline-psi", 24, 14, 24, 12),
    (LENS, "driftline-pca-reconstruction", 0, 26, 48, 12),
    (LENS, "driftline-data-quality", 0, 38, 48, 10),
    (LENS, "driftline-performance-metrics", 0, 48, 24, 12),
    (LENS, "driftline-dead-letters-by-stage", 24, 48, 24, 12),
    (SEARCH, "driftline-alerts-table", 0, 60, 48, 14),
    (LENS, "driftline-multiclass-performance", 0, 74, 24, 12),
]
panels, refs = [], []
for i, (type_, id_, x, y, w, h) in enumerate(PANELS, start=1):
    index = "p%d" % i
    panels.append({"version": "8.11.0", "type": type_, "gridData": {"x": x, "y": y, "w": w, "h": h, "i": index},
                   "panelIndex": index, "embeddableConfig": {"enhancements": {}},
                   "panelRefName": "panel_" + index})
    refs.append({"type": type_, "id": id_, "name": index + ":panel_" + index})
obj(DASH, "driftline-model-health", {
    "title": "Driftline — model health",
    "description": "Drift flags, KS and PSI per feature, multivariate drift (PCA reconstruction error), failed data-quality checks, performance on "
                   "delayed labels (multiclass models' macro F1 too), alerts and retrain triggers, dead letters. Charts show the model as a whole (segment __all__).",
    "panelsJSON": json.dumps(panels, separators=(",", ":")),
    "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                               "syncTooltips": False, "hidePanelTitles": False}, separators=(",", ":")),
    "timeRestore": True,
    "timeFrom": "now-7d",
    "timeTo": "now",
    "refreshInterval": {"pause": False, "value": 60000},
    "version": 1,
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
        {"query": {"query": "", "language": "kuery"}, "filter": []}, separators=(",", ":"))},
}, refs)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "driftline.ndjson")
with open(out, "w", encoding="utf-8") as f:
    for o in objects:
        f.write(json.dumps(o, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
print("wrote %d objects to %s" % (len(objects), out))
