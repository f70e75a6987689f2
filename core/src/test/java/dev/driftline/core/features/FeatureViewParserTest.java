package dev.driftline.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.spec.SpecException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureViewParserTest {
  static final String VALID = """
      view: cards
      source: {topic: txns, entity_key: card_id, timestamp: ts}
      features:
        - {name: n_1h, aggregation: count, window: 1h}
        - {name: amount_sum_24h, aggregation: sum, field: amount, window: 24h}
        - {name: merchants_24h, aggregation: distinct_count, field: merchant, window: 24h, granularity: 1h}
        - {name: last_amount, aggregation: last, field: amount}
        - {name: gap, aggregation: time_since_last}
        - {name: share, aggregation: ratio, numerator: n_1h, denominator: amount_sum_24h}
      """;

  @Test
  void readsTheShippedExample() {
    FeatureView v = FeatureViewParser.load(Path.of("../examples/feature-views/card-transactions.yaml"));
    assertThat(v.name()).isEqualTo("card_transactions");
    assertThat(v.logTopic()).isEqualTo("features.card_transactions");
    assertThat(v.index()).isEqualTo("driftline-features-card_transactions");
    assertThat(v.features()).hasSize(12);
    assertThat(v.entityTtl()).isEqualTo(Duration.ofDays(8));
    assertThat(v.numericFields()).containsExactly("amount");
    assertThat(v.textFields()).containsExactly("merchant_id");
  }

  @Test
  void appliesDefaults() {
    FeatureView v = FeatureViewParser.parse("cards.yaml", VALID);
    assertThat(v.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(v.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(v.entityTtl()).as("the longest window").isEqualTo(Duration.ofHours(24));
    assertThat(v.features().get(0).granularity()).isEqualTo(Duration.ofMinutes(1));
    assertThat(v.features().get(0).buckets()).isEqualTo(60);
    assertThat(v.features().get(2).buckets()).isEqualTo(24);
    assertThat(v.features().get(3).window()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", textBlock = """
      view: Cards => cards.yaml: view: expected a view name of lowercase letters, digits, _ - (at most 64), got "Cards"
      features: => cards.yaml: features: required, missing; expected a list of {name, aggregation, ...}
      features: [] => cards.yaml: features: expected at least one feature
      colour: red => cards.yaml: colour: unknown key; expected one of description|entity_ttl|features|source|view
      source: {topic: t, entity_key: id, timestamp: id} => cards.yaml: source.timestamp: expected a field other than entity_key "id"
      source: {topic: t, timestamp: ts} => cards.yaml: source.entity_key: required, missing
      entity_ttl: 1h => cards.yaml: entity_ttl: expected at least the longest window 1d (a shorter one would forget events still inside a window)
      features: [{name: x, aggregation: median, window: 1h}] => cards.yaml: features[0].aggregation: expected one of count|sum|mean|min|max|stddev|distinct_count|last|time_since_last|ratio, got "median"
      features: [{name: x, aggregation: count}] => cards.yaml: features[0].window: required, missing; expected a duration such as 30s, 10m, 1h, 7d
      features: [{name: x, aggregation: count, window: 1 hour}] => cards.yaml: features[0].window: expected a duration such as 30s, 10m, 1h, 7d, got "1 hour"
      features: [{name: x, aggregation: sum, window: 1h}] => cards.yaml: features[0].field: required, missing
      features: [{name: x, aggregation: count, field: a, window: 1h}] => cards.yaml: features[0].field: not used with aggregation count
      features: [{name: x, aggregation: last, field: a, window: 1h}] => cards.yaml: features[0].window: not used with aggregation last
      features: [{name: x, aggregation: count, window: 1h, granularity: 7m}] => cards.yaml: features[0].granularity: expected a divisor of the window 1h, got 7m
      features: [{name: x, aggregation: count, window: 7d, granularity: 1m}] => cards.yaml: features[0].granularity: expected at most 10000 buckets per window, got 10080 (1w / 1m)
      features: [{name: x, aggregation: sum, field: card_id, window: 1h}] => cards.yaml: features[0].field: expected an event field other than the entity key and timestamp, got "card_id"
      features: [{name: x, aggregation: count, window: 1h}, {name: x, aggregation: count, window: 2h}] => cards.yaml: features[1].name: duplicate feature "x"
      features: [{name: r, aggregation: ratio, numerator: a, denominator: r}] => cards.yaml: features[0].numerator: expected the name of another feature of this view, got "a"
      features: [{name: a, aggregation: count, window: 1h}, {name: r, aggregation: ratio, numerator: a, denominator: r}] => cards.yaml: features[1].denominator: expected a feature that is not itself a ratio, got "r"
      """)
  void rejectsWithOneLineNamingFileAndPath(String override, String message) {
    String key = override.substring(0, override.indexOf(':'));
    String yaml = replaceTopLevel(VALID, key, override);
    assertThatThrownBy(() -> FeatureViewParser.parse("cards.yaml", yaml))
        .isInstanceOf(SpecException.class)
        .hasMessage(message);
  }

  @Test
  void reportsTheLineOfInvalidYaml() {
    assertThatThrownBy(() -> FeatureViewParser.parse("cards.yaml", "view: [cards\nsource: x\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("cards.yaml:")
        .hasMessageContaining("invalid YAML")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void namesAMissingFile() {
    assertThatThrownBy(() -> FeatureViewParser.load(Path.of("no/such/view.yaml")))
        .hasMessage("no/such/view.yaml: no such file");
  }

  /** {@code yaml} with its top-level {@code key} (and a block value under it) replaced by {@code line}. */
  static String replaceTopLevel(String yaml, String key, String line) {
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    boolean replaced = false;
    for (String l : yaml.split("\n")) {
      if (skipping && l.startsWith(" ")) {
        continue;
      }
      skipping = false;
      if (l.startsWith(key + ":")) {
        out.append(line).append('\n');
        skipping = true;
        replaced = true;
      } else {
        out.append(l).append('\n');
      }
    }
    if (!replaced) {
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
