#!/usr/bin/env bash
# One-shot setup of the Driftline stack, run by the `setup` service (flink image) from /opt/driftline:
#   1. index templates  templates/*.json -> PUT _index_template/<file name>  (the names the jobs use)
#   2. Kibana           dashboards/import.sh (saved objects, overwrite=true)
#   3. jobs             flink run -d, for each job in $DRIFTLINE_JOBS not already running
# Every step is idempotent, so `docker compose up setup` again is safe. The Kafka topics are made
# before this by the kafka-setup service (docker/setup/create-topics.sh).
set -euo pipefail
cd "${DRIFTLINE_HOME:-/opt/driftline}"

es="${ES_URL:-http://elasticsearch:9200}"
kibana="${KIBANA_URL:-http://kibana:5601}"
flink_rest="${FLINK_REST:-jobmanager:8081}"
kafka="${BOOTSTRAP_SERVERS:-kafka:9092}"
jobs="${DRIFTLINE_JOBS:-drift-detection feature-pipeline retrain-trigger}"

fail() { echo "setup: $*" >&2; exit 1; }
command -v curl >/dev/null || fail "curl is not in this image; it is needed for Elasticsearch and Kibana"

wait_for() { # name url
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$2" && return 0
    sleep 2
  done
  fail "$1 not reachable at $2 after 4 minutes"
}

# ---- 1. index templates --------------------------------------------------------------------
wait_for Elasticsearch "$es/_cluster/health?wait_for_status=yellow&timeout=1s"
for file in templates/*.json; do
  name=$(basename "$file" .json)
  out=$(curl -sS -w '\n%{http_code}' -X PUT "$es/_index_template/$name" -H 'Content-Type: application/json' --data-binary "@$file")
  [ "${out##*$'\n'}" = 200 ] || fail "index template $name ($file): ${out%$'\n'*}"
  echo "setup: index template $name installed"
done

# ---- 2. Kibana saved objects -----------------------------------------------------------------
wait_for Kibana "$kibana/api/status"
bash dashboards/import.sh "$kibana"

# ---- 3. jobs -----------------------------------------------------------------------------------
# One line per job: its jar and its arguments (paths relative to /opt/driftline). Adjust here.
job_args() {
  case "$1" in
    drift-detection) echo "jars/driftline-drift-detection.jar --spec examples/credit-default/monitor.yaml \
      --bootstrap-servers $kafka --es-url $es --checkpoint-dir file:///flink/checkpoints/drift-detection" ;;
    feature-pipeline) echo "jars/driftline-feature-pipeline.jar --view examples/feature-views/card-transactions.yaml \
      --bootstrap-servers $kafka --es-url $es --checkpoint-dir file:///flink/checkpoints/feature-pipeline" ;;
    retrain-trigger) echo "jars/driftline-retrain-trigger.jar --spec examples/credit-default/monitor.yaml \
      --bootstrap-servers $kafka --es-url $es --checkpoint-dir file:///flink/checkpoints/retrain-trigger" ;;
    *) return 1 ;;
  esac
}

wait_for "Flink JobManager" "http://$flink_rest/overview"
running=$(flink list -r -m "$flink_rest" 2>/dev/null) || fail "flink list -r -m $flink_rest failed"
failed=()
for job in $jobs; do
  args=$(job_args "$job") || fail "unknown job in DRIFTLINE_JOBS: $job (expected drift-detection, feature-pipeline, retrain-trigger)"
  # Jobs are named "driftline <job> ..."; a running one is left alone (resubmitting would duplicate it).
  if grep -q " : driftline $job" <<<"$running"; then
    echo "setup: $job already running, not resubmitted"
    continue
  fi
  echo "setup: submitting $job"
  # shellcheck disable=SC2086 # the arguments are split on purpose
  if ! flink run -d -m "$flink_rest" $args; then
    echo "setup: $job was not submitted (its error is above)" >&2
    failed+=("$job")
  fi
done
[ ${#failed[@]} -eq 0 ] || fail "not submitted: ${failed[*]}; after a fix, run this container again: docker compose up setup"
echo "setup: done. Kibana $kibana/app/dashboards#/view/driftline-model-health, Flink http://$flink_rest"
