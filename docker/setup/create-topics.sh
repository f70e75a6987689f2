#!/bin/sh
# Creates the Driftline topics; safe to run again (--if-not-exists). Runs in the apache/kafka image.
set -eu
bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${PARTITIONS:-3}"
topics=/opt/kafka/bin/kafka-topics.sh

for topic in predictions labels drift-results performance alerts retrain-triggers baselines dead-letters; do
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
echo "kafka-setup: topics ready on $bootstrap:"
"$topics" --bootstrap-server "$bootstrap" --list
