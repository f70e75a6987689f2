#!/bin/sh
# Generated from the topic catalogue (core/src/main/java/dev/driftline/core/topics/Topic.java) by
#   bin/driftline topics script > docker/setup/create-topics.sh
# do not edit by hand; ComposeFileTest fails when it differs from the catalogue.
# Creates the Driftline topics with their cleanup policy and retention; safe to run again
# (--if-not-exists: an existing topic keeps its settings, `driftline topics check` lists differences).
# Runs in the apache/kafka image.
set -eu
bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${PARTITIONS:-3}"
replication="${REPLICATION:-1}"
topics=/opt/kafka/bin/kafka-topics.sh

create() {
  topic="$1"
  shift
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication" "$@"
}

create predictions --config cleanup.policy=delete --config retention.ms=604800000
create labels --config cleanup.policy=delete --config retention.ms=604800000
create card-transactions --config cleanup.policy=delete --config retention.ms=604800000
create baselines --config cleanup.policy=compact
create drift-results --config cleanup.policy=delete --config retention.ms=604800000
create performance --config cleanup.policy=delete --config retention.ms=604800000
create labelled-predictions --config cleanup.policy=delete --config retention.ms=2592000000
create retrain-triggers --config cleanup.policy=delete --config retention.ms=2592000000
create alerts --config cleanup.policy=delete --config retention.ms=2592000000
create dead-letters --config cleanup.policy=delete --config retention.ms=2592000000
create features.card_transactions --config cleanup.policy=compact --config min.compaction.lag.ms=2592000000

echo "kafka-setup: topics ready on $bootstrap:"
"$topics" --bootstrap-server "$bootstrap" --list
