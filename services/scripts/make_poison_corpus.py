#!/usr/bin/env python3
"""Writes services/src/main/resources/poison/*.jsonl: malformed records for every input topic.

Run from the repository root:  python3 services/scripts/make_poison_corpus.py
Deterministic (no randomness); re-running rewrites the same files. See poison/README.md.
"""
import base64
import json
import os
from collections import Counter

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "poison")
START = 1772409600000  # 2026-03-02T00:00:00Z: no later than any valid record of the ITs, so never moves a watermark
MIB = 1 << 20

NUMERIC = ["age", "income", "debt_to_income", "credit_utilization", "num_open_accounts",
           "num_late_payments_12m", "months_employed", "loan_amount"]
CATEGORICAL = ["loan_term", "home_ownership", "loan_purpose", "employment_type"]
FEATURES = {"age": 35, "income": 52000.0, "debt_to_income": 0.31, "credit_utilization": 0.42,
            "num_open_accounts": 5, "num_late_payments_12m": 0, "months_employed": 48, "loan_amount": 12000.0,
            "loan_term": "36", "home_ownership": "rent", "loan_purpose": "car", "employment_type": "salaried"}
NON_FINITE = ["NaN", "Infinity", "-Infinity", '"NaN"', '"Infinity"', '"-Infinity"', "1e400", "-1e400"]
FUTURE = ["4102444800000", "32503680000000", "9223372036854775807", "18446744073709551616",
          '"2100-01-01T00:00:00Z"', '"2999-12-31T23:59:59Z"', '"+999999999-12-31T23:59:59Z"', '"9999-01-01T00:00:00+02:00"']
BEFORE_1970 = ["-1", "-86400000", "0", "1772409600", '"1969-12-31T23:59:59Z"', '"1900-01-01T00:00:00Z"',
               '"0001-01-01T00:00:00Z"', '"-999999999-01-01T00:00:00Z"', "-9223372036854775808", '"1960-06-01T12:00:00-05:00"']


def raw(fields):
    """A JSON object from (name, raw JSON text) pairs, kept byte-exact (NaN tokens, huge numbers)."""
    return "{" + ",".join(json.dumps(k) + ":" + v for k, v in fields) + "}"


def js(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


class Topic:
    def __init__(self, name):
        self.name = name
        self.entries = []

    def add(self, category, expect, stage="decode", **body):
        entry = {"id": "%s-%03d" % (self.name, len(self.entries) + 1), "category": category, "expect": expect, "stage": stage}
        entry.update(body)
        self.entries.append(entry)

    def text(self, category, expect, text, **kw):
        if "${" in text:
            self.add(category, expect, template=text, **kw)
        else:
            self.add(category, expect, text=text, **kw)

    def bytes(self, category, expect, data, **kw):
        self.add(category, expect, base64=base64.b64encode(data).decode("ascii"), **kw)

    def write(self):
        assert len(self.entries) >= 200, (self.name, len(self.entries))
        ids = [e["id"] for e in self.entries]
        assert len(set(ids)) == len(ids)
        with open(os.path.join(OUT, self.name + ".jsonl"), "w", encoding="utf-8") as f:
            for e in self.entries:
                f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
        return Counter(e["category"] for e in self.entries)


def common_text_poison(t, valid, multibyte_field, multibyte_value):
    """Invalid JSON, truncated UTF-8 and oversized records around one valid record of the topic."""
    for cut in range(1, len(valid), max(1, len(valid) // 14)):
        t.text("invalid_json", "invalid JSON", valid[:cut])
    for bad in ["", "not json at all", "{'model_id': 'single quotes'}", valid + "x", valid + valid, valid[:-1] + ",}",
                valid.replace('":', '" ', 1), "{" + valid, valid + "}", "\u0000" + valid, "[" + valid + "]",
                "null", "42", '"a string"', "true"]:
        expect = "expected a JSON object" if bad in ("null", "42", '"a string"', "true", "[" + valid + "]", "") else "invalid JSON"
        t.text("invalid_json", expect, bad)
    # Truncated UTF-8: a multi-byte character cut after its first bytes, inside a value and at the end.
    obj = json.loads(valid)
    obj[multibyte_field] = multibyte_value
    whole = js(obj).encode("utf-8")
    quoted = ('"' + multibyte_value + '"').encode("utf-8")
    at = whole.index(quoted) + 1
    chars = [c.encode("utf-8") for c in multibyte_value if len(c.encode("utf-8")) > 1]
    for ch in chars:
        for keep in range(1, len(ch)):
            t.bytes("truncated_utf8", "invalid JSON", whole[:at] + ch[:keep] + b'"' + whole[at + len(quoted) - 1:])
            t.bytes("truncated_utf8", "invalid JSON", whole[:at] + ch[:keep])
            t.bytes("truncated_utf8", "invalid JSON", whole[:at] + ch[:keep] + b"x" + whole[at + len(quoted) - 1:])
    for lone in [b"\x80", b"\xbf", b"\xc0", b"\xff", b"\xfe"]:
        t.bytes("truncated_utf8", "invalid JSON", whole[:at] + lone + whole[at:])
    # 10 MB: the loader pads the valid record with an extra string field to exactly this many bytes.
    for size in [10 * MIB, 10 * MIB, MIB + 1]:
        t.add("large_payload", "record too large", generate={"kind": "pad", "bytes": size, "text": valid})


# BEL, a quote, two backslashes and "u0007": 9 bytes that JSON escaping makes 17 in a dead letter.
ESCAPE_HEAVY = "\u0007\"\\\\u0007"


def header_poison(t, record):
    """What the events' common header refuses: unknown models, times in the far future or before 1970."""
    for m in ["fraud", "Credit-Default", "credit-default ", "credit_default", "", " "]:
        t.text("unknown_model", "model_id", record(model_id=js(m)))
    for v in FUTURE:
        t.text("future_time", "ts", record(ts=v))
    for v in BEFORE_1970:
        t.text("before_1970", "ts", record(ts=v))


def near_limit(t, text=None, base=None):
    """A record just under the decoder's 1 MiB limit whose JSON never closes, and one just over, both
    padded with escape-heavy text: their dead letters are the largest any input makes."""
    source = {"text": text} if text is not None else {"base": base}
    t.add("large_payload", "invalid JSON", generate=dict(kind="pad", bytes=MIB - 76, fill=ESCAPE_HEAVY, close=False, **source))
    t.add("large_payload", "record too large", generate=dict(kind="pad", bytes=MIB + 1, fill=ESCAPE_HEAVY, close=False, **source))


def nested(depth, leaf="1", kind="array"):
    if depth > 5000:
        assert leaf == "1"
        return "${nest:%s:%d}" % (kind, depth)  # expanded by the loader: keeps the files small
    if kind == "array":
        return "[" * depth + leaf + "]" * depth
    return '{"a":' * depth + leaf + "}" * depth


def predictions():
    t = Topic("predictions")
    n = [0]

    def pid():
        n[0] += 1
        return js("poison-p-%04d" % n[0])

    def record(**override):
        """A valid prediction but for the overrides: raw JSON text, None removes; features={name: raw} per feature."""
        features = override.pop("features", {})
        if isinstance(features, dict):
            feats = [(k, features.get(k, js(v))) for k, v in FEATURES.items() if not (k in features and features[k] is None)]
            features = raw(feats)
        fields = [("model_id", js("credit-default")), ("prediction_id", pid()), ("ts", str(START)),
                  ("entity_id", js("e-1")), ("segment", js("segment_a")), ("features", features), ("score", "0.3")]
        out = [(k, override.get(k, v)) for k, v in fields if not (k in override and override[k] is None)]
        out += [(k, v) for k, v in override.items() if k not in dict(fields) and v is not None]
        return raw(out)

    common_text_poison(t, record(), "entity_id", "propriété – 住宅 😀")
    for depth in [10, 100, 990]:
        # An array for a number: a feature value of the wrong type, counted as such; the prediction is kept.
        t.text("deep_nesting", "features.income", record(features={"income": nested(depth)}), stage="kept")
        t.text("deep_nesting", "segment", record(segment=nested(depth, js("x"), "object")))
    for depth in [1001, 5000, 100000]:
        t.text("deep_nesting", "invalid JSON", record(features={"income": nested(depth)}))
        t.text("deep_nesting", "invalid JSON", record(debug=nested(depth, kind="object")))
    # A feature value of the wrong type is counted per feature and read as missing; the prediction is kept.
    for f in NUMERIC:
        for v in ['"abc"', "true", "{}", "[]", '"12"']:
            t.text("wrong_type", "features." + f, record(features={f: v}), stage="kept")
    for f in CATEGORICAL:
        for v in ["{}", "[1]", '{"a":"b"}']:
            t.text("wrong_type", "features." + f, record(features={f: v}), stage="kept")
    for field, vals in [("score", ['"0.3"', "true", "{}", "1.5", "-0.1"]), ("prediction_id", ["123", '""', "{}", "null"]),
                        ("model_id", ["42", "[]"]), ("ts", ['"yesterday"', "true", "1.7724096E12", "{}", '""']),
                        ("features", ["[]", '"income=5"', "42"]), ("entity_id", ["{}", "[1,2]"]), ("segment", ["{}", "[]"])]:
        for v in vals:
            t.text("wrong_type", field, record(**{field: v}))
    for f in NUMERIC:
        for v in NON_FINITE:
            # "NaN" as a string is a value of the wrong type for a number: kept, like the ones above.
            t.text("non_finite", "features." + f, record(features={f: v}), stage="kept" if v.startswith('"') else "decode")
    for v in NON_FINITE:
        t.text("non_finite", "score", record(score=v))
    for f in CATEGORICAL:
        for v in ["NaN", "Infinity"]:
            t.text("non_finite", "features." + f, record(features={f: v}))
    for v in ["NaN", "Infinity"]:
        t.text("non_finite", "ts", record(ts=v))
        t.text("non_finite", "segment", record(segment=v))
    for f in NUMERIC + CATEGORICAL:
        t.text("missing_field", "features." + f, record(features={f: None}))
    for f in ["model_id", "prediction_id", "ts", "score"]:
        t.text("missing_field", f, record(**{f: None}))
    t.text("missing_field", "features", record(features="null"))
    header_poison(t, record)
    # A second prediction with the id (and time) of the N-th valid prediction, other values different.
    for i in range(15):
        t.add("duplicate_id", "prediction_id: duplicate", stage="join", duplicate_of=40 + 97 * i,
              template=record(prediction_id='"${prediction_id}"', ts="${ts}", score="0.%02d" % (i + 1)))
    near_limit(t, text=record())
    # Texts copied into every result and state key: 1024 characters at most.
    t.text("long_text", "features.loan_purpose: expected at most 1024 characters", record(features={"loan_purpose": js("c" * 5000)}))
    t.text("long_text", "segment: expected at most 1024 characters", record(segment=js("s" * 1025)))
    t.text("long_text", "prediction_id: expected at most 1024 characters", record(prediction_id=js("p" * 1025)))
    return t


def labels():
    t = Topic("labels")
    n = [0]

    def record(**override):
        n[0] += 1
        fields = [("model_id", js("credit-default")), ("prediction_id", js("poison-l-%04d" % n[0])),
                  ("ts", str(START + 60000)), ("label", "1")]
        return raw([(k, override.get(k, v)) for k, v in fields if not (k in override and override[k] is None)]
                   + [(k, v) for k, v in override.items() if k not in dict(fields) and v is not None])

    common_text_poison(t, record(), "prediction_id", "étiquette – ラベル 😀")
    for depth in [10, 990]:
        t.text("deep_nesting", "label", record(label=nested(depth)))
        t.text("deep_nesting", "prediction_id", record(prediction_id=nested(depth, js("p"), "object")))
    for depth in [1001, 100000]:
        t.text("deep_nesting", "invalid JSON", record(label=nested(depth)))
        t.text("deep_nesting", "invalid JSON", record(extra=nested(depth, kind="object")))
    for field, vals in [("label", ['"yes"', "2", "0.5", "-1", "{}", "[]", "null", '"2"', '""', '"1.0"', "[1]"]),
                        ("prediction_id", ["123", '""', "{}", "[]", "null", "true", '"   "'] ),
                        ("model_id", ["42", "[]", "null"]), ("ts", ['"yesterday"', "true", "1.7724096E12", "{}", '""', "[]"])]:
        for v in vals:
            t.text("wrong_type", field, record(**{field: v}))
    for v in NON_FINITE:
        t.text("non_finite", "label", record(label=v))
        t.text("non_finite", "ts", record(ts=v))
    for f in ["model_id", "prediction_id", "ts", "label"]:
        t.text("missing_field", f, record(**{f: None}))
    header_poison(t, record)
    # Valid labels whose prediction never comes: dead letters when labels.max_delay has passed.
    for i in range(50):
        t.text("unknown_prediction", "prediction_id: no prediction", record(
            prediction_id=js("ghost-%04d" % i), label=str(i % 2)), stage="join")
    near_limit(t, text=record())
    t.text("long_text", "prediction_id: expected at most 1024 characters", record(prediction_id=js("l" * 1025)))
    return t


def features():
    t = Topic("features")

    def record(**override):
        fields = [("card_id", js("card-0001")), ("ts", str(START)), ("amount", "12.5"), ("merchant_id", js("m7"))]
        return raw([(k, override.get(k, v)) for k, v in fields if not (k in override and override[k] is None)]
                   + [(k, v) for k, v in override.items() if k not in dict(fields) and v is not None])

    common_text_poison(t, record(), "merchant_id", "café – 商店 😀")
    for depth in [10, 100, 990]:
        t.text("deep_nesting", "amount", record(amount=nested(depth)))
        t.text("deep_nesting", "merchant_id", record(merchant_id=nested(depth, js("m"), "object")))
        t.text("deep_nesting", "card_id", record(card_id=nested(depth)))
    for depth in [1001, 5000, 100000]:
        t.text("deep_nesting", "invalid JSON", record(amount=nested(depth)))
        t.text("deep_nesting", "invalid JSON", record(extra=nested(depth, kind="object")))
    for field, vals in [("amount", ['"abc"', "true", "{}", "[]", '"12.5"', "null", '""', "[12.5]"]),
                        ("merchant_id", ["{}", "[]", "null", '{"id":"m7"}', "[1,2]"]),
                        ("card_id", ["{}", "[]", "null", "1.5", "true", '""', '"   "', js("c" * 600), "[1]"]),
                        ("ts", ['"yesterday"', "true", "1.7724096E12", "{}", '""', "[]", "null", '"2026-13-01T00:00:00Z"'])]:
        for v in vals:
            t.text("wrong_type", field, record(**{field: v}))
    for v in NON_FINITE:
        t.text("non_finite", "amount", record(amount=v))
        t.text("non_finite", "ts", record(ts=v))
    for v in ['"nan"', '"inf"', '"-inf"', '" NaN"', '"Infinity "', '"1e400"']:
        t.text("non_finite", "amount", record(amount=v))
    for v in ["1e400", "-1e400", "1.0", "2.5e3"]:
        t.text("wrong_type", "card_id", record(card_id=v))
    for v in ["NaN", "Infinity", "-Infinity", "1e400"]:
        t.text("non_finite", "merchant_id", record(merchant_id=v))
        t.text("non_finite", "card_id", record(card_id=v))
    for v in ["12.5.3", "0x10", "+1", "01", ".5", "1e", "-", "NaNa", "infinity", "nan", "1_000", "12,5"]:
        t.text("invalid_json", "invalid JSON", record(amount=v))
    for f in ["card_id", "ts", "amount", "merchant_id"]:
        t.text("invalid_json", "Duplicate field '" + f + "'", record()[:-1] + "," + json.dumps(f) + ":" + dict(
            card_id=js("card-0002"), ts=str(START), amount="1", merchant_id=js("m1"))[f] + "}")
    for n in [513, 1000, 5000]:
        t.text("wrong_type", "card_id", record(card_id=js("c" * n)))
    for v in ['"2026-03-02"', '"2026-03-02 00:00:00"', '"1772409600000"', '"2026-03-02T00:00:00"', '"02/03/2026"', '"now"']:
        t.text("wrong_type", "ts", record(ts=v))
    for v in ['[["m"]]', '{"a":[]}', "[null]"]:
        t.text("wrong_type", "merchant_id", record(merchant_id=v))
    for f in ["card_id", "ts", "amount", "merchant_id"]:
        t.text("missing_field", f, record(**{f: None}))
        t.text("missing_field", f, record(**{f: None, "unrelated": js("x")}))
    for v in FUTURE:
        t.text("future_time", "ts", record(ts=v))
    for v in BEFORE_1970:
        t.text("before_1970", "ts", record(ts=v))
    near_limit(t, text=record())
    return t


def baselines():
    """Patches of the valid profile the IT builds (base: profile); raw JSON text values."""
    t = Topic("baselines")
    valid = '{"format":"driftline-profile/1","profile_id":"p-1","model_id":"credit-default","created_at":"2026-03-01T00:00:00Z","rows":1,"features":{}}'

    def patch(category, expect, set_=None, remove=None):
        body = {"base": "profile"}
        if set_:
            body["set"] = set_
        if remove:
            body["remove"] = remove
        t.add(category, expect, patch=body)

    for cut in range(1, len(valid), 6):
        t.text("invalid_json", "invalid JSON", valid[:cut])
    for bad in ["", "not json", "{'format': 'x'}", valid + "x", "[]", "null", "42"]:
        t.text("invalid_json", "not a Driftline profile" if bad in ("[]", "null", "42", "") else "invalid JSON", bad)
    whole = valid.replace('"p-1"', '"profil-é-😀"').encode("utf-8")
    at = whole.index("é".encode("utf-8"))
    for ch in ["é".encode(), "😀".encode()]:
        for keep in range(1, len(ch)):
            t.bytes("truncated_utf8", "invalid JSON", whole[:at] + ch[:keep] + b'"' + whole[whole.index(b'","model_id'):])
            t.bytes("truncated_utf8", "invalid JSON", whole[:at] + ch[:keep])
    for lone in [b"\x80", b"\xff", b"\xc0"]:
        t.bytes("truncated_utf8", "invalid JSON", whole[:at] + lone + whole[at:])
    for size in [10 * MIB, 10 * MIB, MIB + 1]:
        t.add("large_payload", "record too large", generate={"kind": "pad", "bytes": size, "base": "profile"})
    for depth in [10, 990]:
        patch("deep_nesting", "features.income.numeric.mean", {"features.income.numeric.mean": nested(depth)})
        patch("deep_nesting", "features.loan_term.categories", {"features.loan_term.categories": nested(depth, kind="object")})
    for depth in [1001, 100000]:
        # Binding stops at the first bracket where a number belongs, long before the depth limit.
        patch("deep_nesting", "features.income.numeric.mean", {"features.income.numeric.mean": nested(depth)})
    numeric = NUMERIC + ["score"]
    for f in numeric:
        where = "score" if f == "score" else "features." + f
        for stat in ["mean", "std", "min", "max"]:
            for v in ["NaN", "Infinity", "-Infinity", '"NaN"', "1e400"]:
                patch("non_finite", where + ".numeric." + stat, {where + ".numeric." + stat: v})
        patch("non_finite", where + ".numeric.values", {where + ".numeric.values[2]": "NaN"})
        patch("non_finite", where + ".numeric.bins", {where + ".numeric.bins[0].edges[1]": '"Infinity"'})
    for f in ["income", "age", "loan_amount"]:
        w = "features." + f + ".numeric"
        patch("wrong_type", w + ".mean", {w + ".mean": '"abc"'})
        patch("wrong_type", w + ".values", {w + ".values": '"abc"'})
        patch("wrong_type", w + ".kll", {w + ".kll": "{}"})
        patch("corrupt_sketch", w + ".kll", {w + ".kll": '"!!not base64!!"'})
        patch("corrupt_sketch", w + ".kll", {w + ".kll": js(base64.b64encode(bytes(range(40))).decode())})
        patch("corrupt_sketch", w + ".kll", {w + ".kll": '""'})
        patch("wrong_type", w + ".histogram", {w + ".histogram": "{}"})
        patch("corrupt_sketch", w + ".histogram", {w + ".histogram": '"!!not base64!!"'})
        patch("corrupt_sketch", w + ".histogram", {w + ".histogram": js(base64.b64encode(bytes(range(40))).decode())})
        patch("corrupt_sketch", w + ".histogram", {w + ".histogram": '""'})
        patch("inconsistent", w + ".values", {w + ".values[1]": "-1e300"})
        patch("inconsistent", w + ".bins", {w + ".bins[0].counts": "[1,2]"})
        patch("inconsistent", w + ".bins", {w + ".bins[0].counts[0]": "-5"})
        patch("inconsistent", w, {w + ".std": "-1"})
        patch("inconsistent", "features." + f + ".count", {"features." + f + ".count": "-3"})
    for f in CATEGORICAL:
        w = "features." + f
        patch("wrong_type", w + ".categories", {w + ".categories": "[1,2]"})
        patch("wrong_type", w + ".categories", {w + ".categories": '"x"'})
        patch("inconsistent", w + ".categories", {w + ".categories": "{}"})
        patch("wrong_type", w + ".type", {w + ".type": '"numeric"'})
    for field, v in [("rows", '"abc"'), ("features", '"x"'), ("features", "[]"), ("profile_id", "{}"), ("model_id", "[]"),
                     ("created_at", '"yesterday"'), ("created_at", "5"), ("format", '"driftline-profile/2"'), ("profile_id", '""')]:
        patch("wrong_type", field, {field: v})
    # A numeric summary needs its values, its histogram or (older profiles) a KLL sketch.
    patch("missing_field", "features.income.numeric", remove=["features.income.numeric.values",
                                                              "features.income.numeric.histogram"])
    for field in ["features.income", "features.loan_term", "features.income.numeric",
                  "features.income.numeric.bins", "format", "profile_id", "created_at", "model_id", "features"]:
        expect = {"format": "format", "features": "no features"}.get(field, field)
        patch("missing_field", expect, remove=[field])
    for where in ["", "features.income.", "features.income.numeric.", "features.loan_term.", "score.numeric."]:
        patch("extra_field", where + "unexpected", {where + "unexpected": "1"})
    for m in ["fraud", "Credit-Default", "credit-default "]:
        patch("unknown_model", "model_id", {"model_id": js(m)})
    for v in ['"2999-01-01T00:00:00Z"', '"2100-06-01T00:00:00Z"', '"+999999999-12-31T23:59:59Z"']:
        patch("future_time", "created_at", {"created_at": v})
    for v in ['"1969-12-31T23:59:59Z"', '"1900-01-01T00:00:00Z"', '"0001-01-01T00:00:00Z"']:
        patch("before_1970", "created_at", {"created_at": v})
    near_limit(t, base="profile")
    return t


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for topic in [predictions(), labels(), features(), baselines()]:
        counts = topic.write()
        print(topic.name, len(topic.entries), dict(sorted(counts.items())))
