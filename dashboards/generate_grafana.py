#!/usr/bin/env python3
"""Writes dashboards/grafana-driftline.json, the Grafana dashboard of the Driftline job metrics.

The JSON is the artifact (committed; import it in Grafana, or provision it); GrafanaDashboardTest
(runtime/.../dashboards/) checks that every PromQL expression names metrics the jobs export
(dev.driftline.runtime.metrics.DriftlineMetric) and groups only by their labels or Flink's.
Edit here, run `python3 dashboards/generate_grafana.py`, commit both.
"""
import json
import os

P = "flink_taskmanager_job_task_operator_driftline_"
M = {
    "decoded": P + "source_records_decoded",
    "dead": P + "source_reason_dead_letters",
    "windows": P + "model_segment_windows_closed",
    "results": P + "model_segment_test_drift_results",
    "flags": P + "model_segment_test_drift_flags",
    "perf": P + "model_segment_performance_updates",
    "coverage": P + "model_segment_label_coverage",
    "unmatched": P + "model_labels_unmatched",
    "duplicate": P + "model_labels_duplicate",
    "triggers": P + "model_segment_retrain_triggers",
    "alerts": P + "model_segment_alerts",
    "retries": P + "elasticsearch_bulk_retries",
    "inflight": P + "elasticsearch_requests_in_flight",
    "lag": P + "event_time_lag_ms",
    "updates": P + "view_feature_updates",
    "forgotten": P + "view_entities_forgotten",
    "freshness": P + "view_freshness_ms",
    "last_freshness": P + "view_last_freshness_ms",
}
DS = {"type": "prometheus", "uid": "${datasource}"}
MODEL = 'model=~"$model"'

panels = []


def increase(metric, by):
    """PromQL: the increase of M[metric] per rate interval for the chosen models, summed by the labels in by."""
    return f'sum by ({by}) (increase({M[metric]}{{{MODEL}}}[$__rate_interval]))'


def panel(title, exprs, unit="short", kind="timeseries", w=12, h=8, description=""):
    i = len(panels)
    p = {
        "id": i + 1,
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": {"x": (i % 2) * 12 if w == 12 else 0, "y": (i // 2) * h, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "right"}} if kind == "timeseries" else {},
        "targets": [{"refId": chr(ord("A") + j), "datasource": DS, "expr": e, "legendFormat": legend}
                    for j, (e, legend) in enumerate(exprs)],
    }
    panels.append(p)


panel("Records decoded per second, by source",
      [(f'sum by (job_name, source) (rate({M["decoded"]}[$__rate_interval]))', "{{job_name}} {{source}}")],
      unit="reqps")
panel("Dead letters, by source and reason",
      [(f'sum by (source, reason) (increase({M["dead"]}[$__rate_interval]))', "{{source}} {{reason}}")],
      description="Records written to the dead-letter topic; the reason is a class (invalid_json, invalid_value, "
                  "unmatched, duplicate, late, rejected, ...), the dead letter itself has the full reason.")
panel("Drift windows closed",
      [(increase("windows", "model, segment"), "{{model}} {{segment}}")])
panel("Drift flags per test",
      [(increase("flags", "model, test"), "{{model}} {{test}}")],
      description="Drift results that flag drift, per test, all segments.")
panel("Share of drift results that flag drift, per test",
      [(f'sum by (model, test) (increase({M["flags"]}{{{MODEL}}}[1h])) / '
        f'sum by (model, test) (increase({M["results"]}{{{MODEL}}}[1h]))', "{{model}} {{test}}")],
      unit="percentunit")
panel("Performance updates",
      [(increase("perf", "model, segment"), "{{model}} {{segment}}")])
panel("Label coverage of the newest realized performance",
      [(f'max by (model, segment) ({M["coverage"]}{{{MODEL}}})', "{{model}} {{segment}}")],
      unit="percentunit")
panel("Unmatched and duplicate labels",
      [(increase("unmatched", "model"), "{{model}} unmatched"),
       (increase("duplicate", "model"), "{{model}} duplicate")])
panel("Retrain triggers and alerts",
      [(increase("triggers", "model, segment"), "{{model}} {{segment}} triggers"),
       (increase("alerts", "model, segment"), "{{model}} {{segment}} alerts")])
panel("Elasticsearch sink: retries and requests in flight",
      [(f'sum by (job_name, operator_name) (rate({M["retries"]}[$__rate_interval]))', "{{operator_name}} retries/s"),
       (f'sum by (job_name, operator_name) ({M["inflight"]})', "{{operator_name}} in flight")])
panel("Feature pipeline: records and entities forgotten, per view",
      [(f'sum by (view) (rate({M["updates"]}[$__rate_interval]))', "{{view}} records/s"),
       (f'sum by (view) (increase({M["forgotten"]}[$__rate_interval]))', "{{view}} entities forgotten")],
      description="Feature records written to the store (one per entity and event time), and entities whose "
                  "state was cleared after the view's entity_ttl.")
panel("Feature freshness (computed_at - as_of), per view",
      [(f'max by (view) ({M["freshness"]}{{quantile="0.99"}})', "{{view}} p99"),
       (f'max by (view) ({M["last_freshness"]})', "{{view}} newest")],
      unit="ms",
      description="Wall clock minus event time of the feature records: at least the view's max_out_of_orderness, "
                  "since a record waits for the watermark. p99 of the last 10,000 records per subtask.")
panel("Event-time lag per job (now - watermark)",
      [(f'max by (job_name) ({M["lag"]})', "{{job_name}}")],
      unit="ms", w=24,
      description="Wall-clock time minus the current watermark: how far behind real time the windows close.")

dashboard = {
    "uid": "driftline-jobs",
    "title": "Driftline — jobs",
    "description": "Driftline's Flink job metrics, exported by Flink's Prometheus reporter.",
    "tags": ["driftline", "flink"],
    "timezone": "utc",
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"},
        {"name": "model", "type": "query", "label": "model", "datasource": DS, "includeAll": True, "multi": True,
         "current": {"text": "All", "value": "$__all"}, "allValue": ".*", "refresh": 2,
         "definition": f'label_values({M["windows"]}, model)',
         "query": {"query": f'label_values({M["windows"]}, model)', "refId": "model"}},
    ]},
    "panels": panels,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grafana-driftline.json")
with open(out, "w") as f:
    json.dump(dashboard, f, indent=2, ensure_ascii=False)
    f.write("\n")
print("wrote", out, len(panels), "panels")
