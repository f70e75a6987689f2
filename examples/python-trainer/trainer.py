#!/usr/bin/python3
"""Driftline's example trainer in Python: closes the retraining loop.

It consumes retrain triggers (read_committed, its own consumer group), reads the labelled
predictions of each trigger's range and segment from the drift job's labelled-predictions topic,
fits a scikit-learn logistic regression (multinomial for a multiclass model, on the labels' class
names), and publishes the training data's profile (with the new model's scores; a multiclass model's
profile has its features and its labels' class mix) as the model's new reference through
`driftline baseline build --publish`, so the profile format is written by Driftline itself. It commits a trigger's offset only after the new
baseline is on the baselines topic.

Each trigger is answered once: the published profile records the trigger it answers
(`trigger_id`), and before retraining the trainer looks for that id on the baselines topic. A
restart, a re-delivered trigger or a new consumer group therefore publishes nothing twice, even
without the work directory.

Needs Debian's python3-confluent-kafka, python3-sklearn and python3-pandas (see README.md).
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone

try:
    import numpy as np
    import pandas as pd
    from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition, OFFSET_BEGINNING, OFFSET_STORED
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.metrics import f1_score, r2_score, roc_auc_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
except ImportError as e:
    sys.stderr.write("trainer: %s; install apt-get install -y python3-confluent-kafka python3-sklearn python3-pandas "
                     "and run with that python (/usr/bin/python3)\n" % e)
    sys.exit(2)

ALL = "__all__"
MISSING = "__missing__"


class Failure(Exception):
    """A one-line error for the user (exit 2)."""


def main(argv=None):
    args = parse_args(argv)
    try:
        return Trainer(args).run()
    except Failure as e:
        sys.stderr.write("trainer: %s\n" % e)
        return 2
    except KeyboardInterrupt:
        return 130


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo_cli = os.path.normpath(os.path.join(here, "..", "..", "bin", "driftline"))
    p = argparse.ArgumentParser(prog="trainer.py",
                                description="Retrain on retrain triggers and publish the new baseline.")
    p.add_argument("--bootstrap-servers", required=True, help="Kafka brokers, HOST:PORT[,HOST:PORT...].")
    p.add_argument("--spec", required=True, nargs="+", help="Monitor specs of the models this trainer serves.")
    p.add_argument("--trigger-topic", default="retrain-triggers", help="Default: %(default)s.")
    p.add_argument("--labelled-topic", default="labelled-predictions", help="Default: %(default)s.")
    p.add_argument("--baselines-topic", default="baselines", help="Default: %(default)s.")
    p.add_argument("--group-id", default="driftline-python-trainer", help="Default: %(default)s.")
    p.add_argument("--work-dir", default="target/python-trainer",
                   help="Training files and profiles (default: %(default)s).")
    p.add_argument("--once", action="store_true", help="Handle the triggers available now, then exit.")
    p.add_argument("--min-rows", type=int, default=200,
                   help="Fewer labelled rows than this: no retraining (default: %(default)s).")
    p.add_argument("--driftline", default=repo_cli if os.path.exists(repo_cli) else "driftline",
                   help="The driftline command, split like a shell would (default: %(default)s).")
    return p.parse_args(argv)


class Trainer:
    def __init__(self, args):
        self.args = args
        self.driftline = shlex.split(args.driftline)
        self.models = {}
        for path in args.spec:
            spec = self.spec(path)
            self.models[spec["model_id"]] = spec
        os.makedirs(args.work_dir, exist_ok=True)

    def say(self, line):
        print(line, flush=True)

    def spec(self, path):
        """The spec as Driftline reads it (`driftline spec validate --json`): one parser for every program."""
        done = self.call(["spec", "validate", "--spec", path, "--json"])
        spec = json.loads(done.stdout)
        spec["path"] = path
        return spec

    def call(self, arguments):
        try:
            done = subprocess.run(self.driftline + arguments, capture_output=True, text=True)
        except OSError as e:
            raise Failure("cannot run %s: %s (set --driftline)" % (self.args.driftline, e))
        if done.returncode != 0:
            said = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
            raise Failure("driftline %s: exit %d: %s" % (" ".join(arguments[:2]), done.returncode, said))
        return done

    def consumer(self, group):
        return Consumer({
            "bootstrap.servers": self.args.bootstrap_servers,
            "group.id": group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "enable.partition.eof": True,
            "fetch.message.max.bytes": 8 * 1024 * 1024,
        })

    def partitions(self, consumer, topic):
        meta = consumer.list_topics(topic, timeout=30).topics.get(topic)
        if meta is None or meta.error is not None or not meta.partitions:
            raise Failure("%s: no such topic at %s" % (topic, self.args.bootstrap_servers))
        return sorted(meta.partitions)

    def until_end(self, consumer, partitions, handle):
        """Polls until every partition reached its end (for read_committed: its last committed record)."""
        at_end = set()
        quiet_since = time.monotonic()
        while at_end != set(partitions):
            msg = consumer.poll(0.5)
            if msg is None:
                if time.monotonic() - quiet_since > 60:
                    raise Failure("%s: no record and no end of partition for 60 s" % consumer.assignment())
                continue
            quiet_since = time.monotonic()
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(msg.partition())
                    continue
                raise Failure("%s: %s" % (msg.topic(), msg.error().str()))
            at_end.discard(msg.partition())
            handle(msg)

    def read_all(self, topic):
        """Every committed record of the topic, from the beginning to its end now."""
        consumer = self.consumer("%s-reader" % self.args.group_id)  # assigned, never committed
        try:
            parts = self.partitions(consumer, topic)
            consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
            values = []
            self.until_end(consumer, parts, lambda m: values.append(m.value()))
            return values
        finally:
            consumer.close()

    def answered(self):
        """Trigger id -> profile id of every baseline on the baselines topic that records its trigger."""
        out = {}
        for value in self.read_all(self.args.baselines_topic):
            try:
                profile = json.loads(value)
            except ValueError:
                continue  # not a profile: the drift job dead-letters it; nothing to learn here
            if isinstance(profile, dict) and profile.get("trigger_id"):
                out[profile["trigger_id"]] = profile.get("profile_id")
        return out

    def run(self):
        triggers = self.consumer(self.args.group_id)
        try:
            if self.args.once:
                # Everything committed so far, from the group's position to the end of the topic now.
                parts = self.partitions(triggers, self.args.trigger_topic)
                triggers.assign([TopicPartition(self.args.trigger_topic, p, OFFSET_STORED) for p in parts])
                self.until_end(triggers, parts, lambda m: self.handle(m, triggers))
            else:
                triggers.subscribe([self.args.trigger_topic])
                while True:
                    msg = triggers.poll(1.0)
                    if msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF):
                        continue
                    if msg.error():
                        raise Failure("%s: %s" % (msg.topic(), msg.error().str()))
                    self.handle(msg, triggers)
        finally:
            triggers.close()
        return 0

    def handle(self, msg, triggers):
        try:
            trigger = json.loads(msg.value())
        except ValueError as e:
            raise Failure("%s[%d]@%d: not a retrain trigger: %s" % (msg.topic(), msg.partition(), msg.offset(), e))
        spec = self.models.get(trigger.get("model_id"))
        if spec is not None:
            self.retrain(trigger, spec)
        # After the baseline is published (or the trigger is not ours): a crash before this line
        # re-delivers the trigger, and the trigger id on the baselines topic makes that a no-op.
        triggers.commit(message=msg, asynchronous=False)

    def retrain(self, trigger, spec):
        tid = trigger["trigger_id"]
        model = spec["model_id"]
        segment = trigger.get("segment") or ALL
        answered = self.answered()
        if tid in answered:
            self.say("%s [%s]: %s: already answered by baseline %s; nothing to do" % (model, segment, tid, answered[tid]))
            return
        start, end = trigger["training_from"], trigger["training_to"]
        rows = self.labelled(model, segment, millis(start), millis(end))
        if len(rows) < self.args.min_rows:
            self.say("%s [%s]: %s: only %d labelled rows in %s..%s (need %d); not retrained"
                     % (model, segment, tid, len(rows), start, end, self.args.min_rows))
            return
        features = spec["features"]
        x = pd.DataFrame([r["features"] for r in rows], columns=[f["name"] for f in features])
        multiclass = spec["task"] == "multiclass_classification"
        # A multiclass label is the class's index in the spec's classes; label_class names it.
        y = np.array([r["label_class"] for r in rows]) if multiclass else np.array([float(r["label"]) for r in rows])
        classifier = spec["task"] != "regression"
        if classifier and len(set(y)) < 2:
            self.say("%s [%s]: %s: %d labelled rows in %s..%s, all of one class; not retrained"
                     % (model, segment, tid, len(rows), start, end))
            return
        fitted = fit(features, x, y, classifier)
        if multiclass:
            # The profile's score column is one number a row; a multiclass model's scores are one per class.
            scores = None
            predicted = fitted.predict(prepared(features, x))
            quality = "training macro F1 %.3f, accuracy %.3f over %d classes" % (
                f1_score(y, predicted, average="macro"), float(np.mean(predicted == y)), len(set(y)))
        elif classifier:
            scores = fitted.predict_proba(prepared(features, x))[:, 1]
            quality = "training AUC %.3f" % roc_auc_score(y, scores)
        else:
            scores = fitted.predict(prepared(features, x))
            quality = "training R² %.3f" % r2_score(y, scores)

        base = os.path.join(self.args.work_dir, "%s-%s" % (model, tid))
        training = x.copy()
        if scores is not None:
            training[spec["fields"]["score"]] = scores
        training[spec["fields"]["label"]] = y if multiclass or not classifier else y.astype(int)
        training.to_csv(base + ".csv", index=False, na_rep="")
        self.call(["baseline", "build", "--spec", spec["path"], "--input", base + ".csv", "--out", base + "-profile.json",
                   "--publish", "kafka://%s/%s" % (self.args.bootstrap_servers, self.args.baselines_topic),
                   "--trigger-id", tid])
        with open(base + "-profile.json") as f:
            profile = json.load(f)
        self.say("%s [%s]: %s: retrained on %d labelled rows (%s..%s), %s; published baseline %s"
                 % (model, segment, tid, len(rows), start, end, quality, profile["profile_id"]))

    def labelled(self, model, segment, start, end):
        """The labelled predictions of the model (and segment, unless __all__) with ts in [start, end)."""
        rows = []
        for value in self.read_all(self.args.labelled_topic):
            r = json.loads(value)
            if (r.get("model_id") == model and (segment == ALL or r.get("segment") == segment)
                    and start <= r.get("ts", -1) < end):
                rows.append(r)
        return rows


def prepared(features, x):
    """Categorical columns as strings with missing values as their own level (numeric ones are imputed)."""
    x = x.copy()
    for f in features:
        if f["type"] != "numeric":
            x[f["name"]] = x[f["name"]].astype(object).where(x[f["name"]].notna(), MISSING).astype(str)
        else:
            x[f["name"]] = pd.to_numeric(x[f["name"]], errors="coerce")
    return x


def fit(features, x, y, classifier):
    """Numeric features mean-imputed and standardized, categorical ones one-hot (first level dropped), then a linear
    model: a logistic regression for a classifier (multinomial over the classes of y when it has more than two), a
    ridge regression for a regressor."""
    numeric = [f["name"] for f in features if f["type"] == "numeric"]
    categorical = [f["name"] for f in features if f["type"] != "numeric"]
    encode = ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]), numeric),
        ("categorical", OneHotEncoder(drop="first"), categorical),
    ])
    model = LogisticRegression(C=1.0, max_iter=1000) if classifier else Ridge(alpha=1.0)
    return Pipeline([("encode", encode), ("model", model)]).fit(prepared(features, x), y)


def millis(iso):
    """Epoch milliseconds of an ISO-8601 instant such as 2026-07-01T01:10:00Z."""
    return int(round(datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp() * 1000))


if __name__ == "__main__":
    sys.exit(main())
