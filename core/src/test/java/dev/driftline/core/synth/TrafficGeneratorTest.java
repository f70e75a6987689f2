package dev.driftline.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficGeneratorTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);
  static MonitorSpec spec;

  @BeforeAll
  static void load() {
    spec = MonitorSpecParser.load(Path.of("../examples/credit-default/monitor.yaml"));
  }

  static List<TrafficEvent> run(TrafficConfig config) {
    return TrafficGenerator.stream(config).toList();
  }

  static String jsonLines(TrafficConfig config) {
    return TrafficGenerator.stream(config).map(e -> e.type() + " " + e.json()).collect(Collectors.joining("\n"));
  }

  static List<JsonNode> predictions(List<TrafficEvent> events) {
    return events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION).map(e -> (JsonNode) e.body()).toList();
  }

  static List<JsonNode> labels(List<TrafficEvent> events) {
    return events.stream().filter(e -> e.type() == TrafficEvent.Type.LABEL).map(e -> (JsonNode) e.body()).toList();
  }

  static double[] numbers(List<JsonNode> predictions, String feature, Predicate<JsonNode> which) {
    return predictions.stream().filter(which).mapToDouble(p -> p.get("features").get(feature).asDouble()).toArray();
  }

  static Map<String, Long> counts(List<JsonNode> predictions, String feature, Predicate<JsonNode> which) {
    return predictions.stream().filter(which)
        .collect(Collectors.groupingBy(p -> p.get("features").get(feature).asText(), TreeMap::new, Collectors.counting()));
  }

  static Predicate<JsonNode> before(Instant t) {
    return p -> p.get("ts").asLong() < t.toEpochMilli();
  }

  static Predicate<JsonNode> from(Instant t) {
    return p -> p.get("ts").asLong() >= t.toEpochMilli();
  }

  static DriftInjection drift(String text) {
    return DriftInjection.parse(text, spec, START, HOUR);
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot() {
    TrafficConfig config = TrafficConfig.of(spec, START, Duration.ofMinutes(10), 5, 7)
        .withDrifts(List.of(DriftInjection.parse("income@5m:shift=2", spec, START, Duration.ofMinutes(10))));
    String first = jsonLines(config);
    assertThat(jsonLines(config)).isEqualTo(first);
    assertThat(first.lines().filter(l -> l.startsWith("PREDICTION "))).hasSize(3000);
    assertThat(jsonLines(TrafficConfig.of(spec, START, Duration.ofMinutes(10), 5, 8))).isNotEqualTo(first);
  }

  @Test
  void emitsRateTimesDurationPredictionsInsideTheRunWithTheSpecFieldNames() {
    List<TrafficEvent> events = run(TrafficConfig.of(spec, START, HOUR, 10, 1));
    List<JsonNode> predictions = predictions(events);

    assertThat(predictions).hasSize(36_000);
    assertThat(predictions.stream().map(p -> p.get("prediction_id").asText()).distinct()).hasSize(36_000);
    assertThat(predictions).allSatisfy(p -> {
      assertThat(p.get("ts").asLong()).isBetween(START.toEpochMilli(), START.plus(HOUR).toEpochMilli() - 1);
      assertThat(p.get("model_id").asText()).isEqualTo("credit-default");
      assertThat(p.get("score").asDouble()).isBetween(0.0, 1.0);
    });
    JsonNode first = predictions.get(0);
    List<String> keys = new ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("model_id", "prediction_id", "ts", "entity_id", "segment", "features", "score");
    List<String> featureKeys = new ArrayList<>();
    first.get("features").fieldNames().forEachRemaining(featureKeys::add);
    assertThat(featureKeys).containsExactlyElementsOf(spec.features().stream().map(FeatureSpec::name).toList());
    assertThat(first.get("features").get("income").isNumber()).isTrue();
    assertThat(first.get("features").get("loan_purpose").asText()).startsWith("loan_purpose_");
    assertThat(predictions.stream().map(p -> p.get("segment").asText()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("segment_a", "segment_b", "segment_c");
  }

  @Test
  void usesTheFieldNamesOfAnotherSpecAndRegressionValues() {
    MonitorSpec regression = MonitorSpecParser.parse("m.yaml", String.join("\n",
        "model_id: house-price",
        "task: regression",
        "fields: {timestamp: event_time, prediction_id: request_id, score: predicted_price, label: sold_price}",
        "features:",
        "  - {name: area, type: numeric}",
        "  - {name: district, type: categorical}",
        "reference: {source: previous_window}",
        "window: {size: 1h}",
        ""));
    List<TrafficEvent> events = run(TrafficConfig.of(regression, START, HOUR, 2, 3).withLabels(Duration.ofMinutes(1), 0));
    JsonNode p = predictions(events).get(0);
    List<String> keys = new ArrayList<>();
    p.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("model_id", "request_id", "event_time", "features", "predicted_price");
    JsonNode l = labels(events).get(0);
    keys.clear();
    l.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("model_id", "request_id", "event_time", "sold_price");

    Map<String, Double> score = new HashMap<>();
    predictions(events).forEach(e -> score.put(e.get("request_id").asText(), e.get("predicted_price").asDouble()));
    double[] s = labels(events).stream().mapToDouble(e -> score.get(e.get("request_id").asText())).toArray();
    double[] y = labels(events).stream().mapToDouble(e -> e.get("sold_price").asDouble()).toArray();
    assertThat(y).hasSize(7200);
    assertThat(new Mean().evaluate(y)).isCloseTo(100, within(1.0));
    assertThat(new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(s, y)).isGreaterThan(0.8);
  }

  @Test
  void labelsAboutOneMinusMissingOfPredictionsWithExponentialDelays() {
    List<TrafficEvent> events = run(TrafficConfig.of(spec, START, HOUR, 10, 2).withLabels(Duration.ofMinutes(10), 0.2));
    TrafficGenerator counted = new TrafficGenerator(TrafficConfig.of(spec, START, HOUR, 10, 2).withLabels(Duration.ofMinutes(10), 0.2));
    counted.forEachRemaining(e -> { });
    int n = 36_000;
    double fraction = labels(events).size() / (double) n;
    // Binomial standard error; 4 of them is a false-failure rate of 6e-5.
    double tolerance = 4 * Math.sqrt(0.2 * 0.8 / n);
    assertThat(fraction).isCloseTo(0.8, within(tolerance));
    assertThat(counted.counts()).isEqualTo(new TrafficCounts(n, labels(events).size(), n - labels(events).size()));

    Map<String, Long> predictionTs = new HashMap<>();
    predictions(events).forEach(p -> predictionTs.put(p.get("prediction_id").asText(), p.get("ts").asLong()));
    double[] delays = labels(events).stream()
        .mapToDouble(l -> l.get("ts").asLong() - predictionTs.get(l.get("prediction_id").asText())).toArray();
    // An exponential's mean estimate has standard error mean / sqrt(n).
    assertThat(new Mean().evaluate(delays)).isCloseTo(600_000, within(4 * 600_000 / Math.sqrt(delays.length)));
    assertThat(new StandardDeviation().evaluate(delays)).isCloseTo(600_000, within(0.05 * 600_000));
  }

  @Test
  void labelsNeverPrecedeTheirPredictionAndTheMergedStreamIsTimeOrdered() {
    List<TrafficEvent> events = run(TrafficConfig.of(spec, START, Duration.ofMinutes(20), 50, 3)
        .withLabels(Duration.ofSeconds(2), 0.05));
    Set<String> seen = new HashSet<>();
    long last = Long.MIN_VALUE;
    int interleaved = 0;
    for (int i = 0; i < events.size(); i++) {
      TrafficEvent e = events.get(i);
      assertThat(e.ts()).as("event %d", i).isGreaterThanOrEqualTo(last);
      assertThat(e.ts()).isEqualTo(e.body().get("ts").asLong());
      assertThat(e.key()).isEqualTo("credit-default");
      last = e.ts();
      String id = e.body().get("prediction_id").asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        assertThat(seen.add(id)).isTrue();
      } else {
        assertThat(seen.contains(id)).as("label of %s after its prediction", id).isTrue();
        if (i + 1 < events.size() && events.get(i + 1).type() == TrafficEvent.Type.PREDICTION) {
          interleaved++;
        }
      }
    }
    assertThat(interleaved).as("labels come between predictions, not at the end").isGreaterThan(50_000 / 2);
    assertThat(events.get(events.size() - 1).type()).isEqualTo(TrafficEvent.Type.LABEL);
  }

  @Test
  void isLazyForRunsTooLargeToHoldInMemory() {
    // 10000/s for 30 days: 2.6e10 predictions; only the first few are ever made.
    TrafficConfig huge = TrafficConfig.of(spec, START, Duration.ofDays(30), 10_000, 4);
    assertThat(huge.predictions()).isEqualTo(25_920_000_000L);
    assertThat(TrafficGenerator.stream(huge).limit(1000).count()).isEqualTo(1000);
  }

  @Test
  void shiftMovesOnlyThatFeatureByTwoSigmaAndOnlyAfterItsTime() {
    Instant t = START.plus(Duration.ofMinutes(30));
    TrafficConfig base = TrafficConfig.of(spec, START, HOUR, 5, 5);
    List<JsonNode> plain = predictions(run(base));
    List<JsonNode> drifted = predictions(run(base.withDrifts(List.of(drift("income@30m:shift=2")))));

    double[] before = numbers(drifted, "income", before(t));
    double[] after = numbers(drifted, "income", from(t));
    double sd = new StandardDeviation().evaluate(before);
    assertThat(before.length + after.length).isEqualTo(18_000);
    assertThat((new Mean().evaluate(after) - new Mean().evaluate(before)) / sd).isCloseTo(2.0, within(0.1));
    assertThat(KolmogorovSmirnov.twoSample(before, after).pValue()).isLessThan(1e-6);
    assertThat(KolmogorovSmirnov.twoSample(numbers(drifted, "age", before(t)), numbers(drifted, "age", from(t))).pValue())
        .isGreaterThan(0.01);

    // Same draws as the undrifted run: identical before t, and after t income moved by one constant (2σ).
    for (int i = 0; i < plain.size(); i++) {
      JsonNode a = plain.get(i).get("features");
      JsonNode b = drifted.get(i).get("features");
      assertThat(b.get("age")).isEqualTo(a.get("age"));
      assertThat(b.get("loan_purpose")).isEqualTo(a.get("loan_purpose"));
      double delta = b.get("income").asDouble() - a.get("income").asDouble();
      if (plain.get(i).get("ts").asLong() < t.toEpochMilli()) {
        assertThat(delta).isZero();
      } else {
        assertThat(delta).isCloseTo(2 * sd, within(0.05 * sd));
      }
    }
  }

  @Test
  void scaleWidensTheSpreadAroundTheSameMean() {
    Instant t = START.plus(Duration.ofMinutes(30));
    List<JsonNode> p = predictions(run(TrafficConfig.of(spec, START, HOUR, 5, 6)
        .withDrifts(List.of(drift("debt_to_income@30m:scale=3")))));
    double[] before = numbers(p, "debt_to_income", before(t));
    double[] after = numbers(p, "debt_to_income", from(t));
    double sd = new StandardDeviation().evaluate(before);
    assertThat(new StandardDeviation().evaluate(after) / sd).isCloseTo(3.0, within(0.15));
    assertThat(new Mean().evaluate(after) - new Mean().evaluate(before)).isCloseTo(0, within(0.1 * sd));
  }

  @Test
  void mixReversesCategoryPopularityAfterItsTime() {
    Instant t = START.plus(Duration.ofMinutes(30));
    List<JsonNode> p = predictions(run(TrafficConfig.of(spec, START, HOUR, 5, 7)
        .withDrifts(List.of(drift("loan_purpose@30m:mix")))));
    Map<String, Long> before = counts(p, "loan_purpose", before(t));
    Map<String, Long> after = counts(p, "loan_purpose", from(t));

    assertThat(before.keySet()).containsExactly("loan_purpose_a", "loan_purpose_b", "loan_purpose_c",
        "loan_purpose_d", "loan_purpose_e");
    assertThat(share(before, "loan_purpose_a")).isCloseTo(0.30, within(0.02));
    assertThat(share(before, "loan_purpose_e")).isCloseTo(0.10, within(0.02));
    assertThat(share(after, "loan_purpose_a")).isCloseTo(0.10, within(0.02));
    assertThat(share(after, "loan_purpose_e")).isCloseTo(0.30, within(0.02));
    assertThat(ChiSquare.homogeneity(before, after).pValue()).isLessThan(1e-6);
    assertThat(ChiSquare.homogeneity(counts(p, "home_ownership", before(t)), counts(p, "home_ownership", from(t))).pValue())
        .isGreaterThan(0.01);
  }

  @Test
  void missingNullsThatShareOfOneFeatureOnlyAfterItsTimeAndLeavesEveryOtherValueAlone() {
    Instant t = START.plus(Duration.ofMinutes(30));
    TrafficConfig base = TrafficConfig.of(spec, START, HOUR, 5, 8);
    List<TrafficEvent> plainEvents = run(base);
    List<TrafficEvent> brokenEvents = run(base.withDrifts(List.of(drift("debt_to_income@30m:missing=0.6"),
        drift("loan_term@45m:missing=0.2"))));
    List<JsonNode> plain = predictions(plainEvents);
    List<JsonNode> broken = predictions(brokenEvents);

    assertThat(broken).hasSize(18_000);
    Map<Boolean, Long> debtBefore = nulls(broken, "debt_to_income", before(t));
    Map<Boolean, Long> debtAfter = nulls(broken, "debt_to_income", from(t));
    assertThat(debtBefore).containsEntry(true, 0L).containsEntry(false, 9_000L);
    assertThat(debtAfter.get(true) + debtAfter.get(false)).isEqualTo(9_000L);
    assertThat(debtAfter.get(true) / 9_000.0).isCloseTo(0.6, within(0.015));
    Instant u = START.plus(Duration.ofMinutes(45));
    assertThat(nulls(broken, "loan_term", before(u))).containsEntry(true, 0L);
    assertThat(nulls(broken, "loan_term", from(u)).get(true) / 4_500.0).isCloseTo(0.2, within(0.015));
    assertThat(plain.stream().filter(p -> p.get("features").get("debt_to_income").isNull())).isEmpty();

    // Only the logged value is lost: every other value, score and label is that of the run without it.
    for (int i = 0; i < plain.size(); i++) {
      JsonNode a = plain.get(i);
      JsonNode b = broken.get(i);
      assertThat(b.get("score")).isEqualTo(a.get("score"));
      assertThat(b.get("features").get("income")).isEqualTo(a.get("features").get("income"));
      JsonNode debt = b.get("features").get("debt_to_income");
      if (!debt.isNull()) {
        assertThat(debt).isEqualTo(a.get("features").get("debt_to_income"));
      }
    }
    assertThat(labels(brokenEvents)).isEqualTo(labels(plainEvents));
  }

  /** Per {@code which} prediction: whether {@code feature} is null, counted (both keys present). */
  private static Map<Boolean, Long> nulls(List<JsonNode> predictions, String feature, Predicate<JsonNode> which) {
    Map<Boolean, Long> out = new TreeMap<>(Map.of(true, 0L, false, 0L));
    predictions.stream().filter(which).forEach(p -> out.merge(p.get("features").get(feature).isNull(), 1L, Long::sum));
    return out;
  }

  private static double share(Map<String, Long> counts, String key) {
    return counts.getOrDefault(key, 0L) / (double) counts.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void labelShiftRaisesThePositiveRateOnlyAfterItsTimeAndLeavesPredictionsAlone() {
    Instant t = START.plus(Duration.ofMinutes(30));
    List<TrafficEvent> shifted = run(TrafficConfig.of(spec, START, HOUR, 5, 8).withDrifts(List.of(drift("label@30m:shift=1.5"))));
    List<TrafficEvent> plain = run(TrafficConfig.of(spec, START, HOUR, 5, 8));
    assertThat(predictions(shifted)).isEqualTo(predictions(plain));
    Map<String, Long> predictionTime = new LinkedHashMap<>();
    predictions(plain).forEach(p -> predictionTime.put(p.get("prediction_id").asText(), p.get("ts").asLong()));
    Predicate<JsonNode> early = l -> predictionTime.get(l.get("prediction_id").asText()) < t.toEpochMilli();
    assertThat(labels(shifted).stream().filter(early).toList()).isEqualTo(labels(plain).stream().filter(early).toList());
    double plainRate = labels(plain).stream().filter(early.negate()).mapToInt(l -> l.get("label").asInt()).average().orElseThrow();
    double shiftedRate = labels(shifted).stream().filter(early.negate()).mapToInt(l -> l.get("label").asInt()).average().orElseThrow();
    assertThat(plainRate).isBetween(0.2, 0.45);
    assertThat(shiftedRate).isGreaterThan(plainRate + 0.2);
  }

  @Test
  void decayLowersAucOnlyForPredictionsAfterItsTime() {
    Instant t = START.plus(Duration.ofMinutes(30));
    List<TrafficEvent> events = run(TrafficConfig.of(spec, START, HOUR, 5, 8)
        .withDrifts(List.of(drift("performance@30m:decay=0.8"))));
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    predictions(events).forEach(p -> byId.put(p.get("prediction_id").asText(), p));
    ClassificationMetrics early = auc(labels(events), byId, before(t));
    ClassificationMetrics late = auc(labels(events), byId, from(t));

    assertThat(early.rocAuc()).isGreaterThan(0.75);
    assertThat(late.rocAuc()).isLessThan(early.rocAuc() - 0.15);
    // An undrifted run of the same seed keeps its AUC after t.
    List<TrafficEvent> plain = run(TrafficConfig.of(spec, START, HOUR, 5, 8));
    Map<String, JsonNode> plainById = new LinkedHashMap<>();
    predictions(plain).forEach(p -> plainById.put(p.get("prediction_id").asText(), p));
    assertThat(auc(labels(plain), plainById, from(t)).rocAuc()).isCloseTo(early.rocAuc(), within(0.03));
  }

  private static ClassificationMetrics auc(List<JsonNode> labels, Map<String, JsonNode> predictions, Predicate<JsonNode> which) {
    List<JsonNode> matched = labels.stream().filter(l -> which.test(predictions.get(l.get("prediction_id").asText()))).toList();
    double[] scores = matched.stream().mapToDouble(l -> predictions.get(l.get("prediction_id").asText()).get("score").asDouble()).toArray();
    int[] y = matched.stream().mapToInt(l -> l.get("label").asInt()).toArray();
    return ClassificationMetrics.of(scores, y, 0.5);
  }

  @Test
  void drawsFromTheReferenceProfileWhenGivenOne(@TempDir Path dir) throws IOException {
    Path csv = CreditDefaultData.writeCsv(dir.resolve("training.csv"), 11, CreditDefaultData.Shift.NONE, 5_000);
    BaselineFile profile = BaselineBuilder.build(spec, CsvTable.read(csv), START);
    List<JsonNode> p = predictions(run(TrafficConfig.of(spec, START, Duration.ofMinutes(50), 5, 9 /* 15000 */)
        .withReference(profile)));
    List<JsonNode> first5k = p.subList(0, 5_000);
    for (FeatureSpec f : spec.features()) {
      if (f.type() == FeatureType.NUMERIC) {
        double[] generated = numbers(first5k, f.name(), x -> true);
        assertThat(KolmogorovSmirnov.twoSample(profile.features().get(f.name()).numeric().values(), generated).pValue())
            .as(f.name()).isGreaterThan(0.01);
      } else {
        assertThat(ChiSquare.homogeneity(profile.features().get(f.name()).categories(), counts(first5k, f.name(), x -> true)).pValue())
            .as(f.name()).isGreaterThan(0.01);
      }
    }
    assertThat(first5k.get(0).get("features").get("loan_term").asText()).isIn("36", "60");
  }

  @Test
  void correlationCouplesTwoFeaturesAfterItsTimeWhileEachKeepsItsDistribution(@TempDir Path dir) throws IOException {
    Path csv = CreditDefaultData.writeCsv(dir.resolve("training.csv"), 12, CreditDefaultData.Shift.NONE, 5_000);
    CsvTable training = CsvTable.read(csv);
    BaselineFile profile = BaselineBuilder.build(spec, training, START);
    Instant t = START.plus(Duration.ofMinutes(30));
    TrafficConfig base = TrafficConfig.of(spec, START, HOUR, 5, 13).withReference(profile);
    List<JsonNode> plain = predictions(run(base));
    List<JsonNode> coupled = predictions(run(base.withDrifts(List.of(drift("debt_to_income+loan_amount@30m:correlation=0.7")))));

    SpearmansCorrelation spearman = new SpearmansCorrelation();
    double referenceRho = spearman.correlation(column(training, "debt_to_income"), column(training, "loan_amount"));
    double rhoBefore = spearman.correlation(numbers(coupled, "debt_to_income", before(t)), numbers(coupled, "loan_amount", before(t)));
    double rhoAfter = spearman.correlation(numbers(coupled, "debt_to_income", from(t)), numbers(coupled, "loan_amount", from(t)));
    assertThat(referenceRho).isCloseTo(0.0, within(0.04));
    assertThat(rhoBefore).isCloseTo(referenceRho, within(0.04));
    assertThat(rhoAfter).isCloseTo(0.7, within(0.03));
    for (String f : List.of("debt_to_income", "loan_amount")) {
      KsResult ks = KolmogorovSmirnov.twoSample(numbers(coupled, f, before(t)), numbers(coupled, f, from(t)));
      assertThat(ks.statistic()).as(f).isLessThan(0.03);
      assertThat(ks.pValue()).as(f).isGreaterThan(0.01);
    }

    // Same draws as the uncoupled run: identical before t, and after t only the later feature of the pair differs.
    int changed = 0;
    for (int i = 0; i < plain.size(); i++) {
      JsonNode a = plain.get(i).get("features");
      JsonNode b = coupled.get(i).get("features");
      boolean after = plain.get(i).get("ts").asLong() >= t.toEpochMilli();
      for (FeatureSpec f : spec.features()) {
        if (!after || !f.name().equals("loan_amount")) {
          assertThat(b.get(f.name())).as(f.name()).isEqualTo(a.get(f.name()));
        }
      }
      changed += after && !b.get("loan_amount").equals(a.get("loan_amount")) ? 1 : 0;
    }
    assertThat(changed).isGreaterThan(8_000);
  }

  @Test
  void aLaterCorrelationOfThePairReplacesAnEarlierOneWithoutAReference() {
    Instant t = START.plus(Duration.ofMinutes(30));
    List<JsonNode> p = predictions(run(TrafficConfig.of(spec, START, HOUR, 5, 14)
        .withDrifts(List.of(drift("age+months_employed@0s:correlation=0.8"), drift("months_employed+age@30m:correlation=-0.5")))));
    SpearmansCorrelation spearman = new SpearmansCorrelation();
    assertThat(spearman.correlation(numbers(p, "age", before(t)), numbers(p, "months_employed", before(t))))
        .isCloseTo(0.8, within(0.03));
    assertThat(spearman.correlation(numbers(p, "age", from(t)), numbers(p, "months_employed", from(t))))
        .isCloseTo(-0.5, within(0.03));
    assertThat(KolmogorovSmirnov.twoSample(numbers(p, "months_employed", before(t)), numbers(p, "months_employed", from(t))).pValue())
        .isGreaterThan(0.01);
  }

  static double[] column(CsvTable table, String name) {
    return table.numbers(table.column(name));
  }
}
