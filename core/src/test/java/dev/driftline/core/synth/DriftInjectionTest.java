package dev.driftline.core.synth;

import dev.driftline.core.io.DurationText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriftInjectionTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static MonitorSpec spec;

  @BeforeAll
  static void load() {
    spec = MonitorSpecParser.load(Path.of("../examples/credit-default/monitor.yaml"));
  }

  static DriftInjection parse(String text) {
    return DriftInjection.parse(text, spec, START, Duration.ofHours(2));
  }

  @Test
  void readsOffsetsInstantsKindsAndDefaults() {
    assertThat(parse("income@30m:shift=2"))
        .isEqualTo(new DriftInjection("income", Instant.parse("2026-01-01T00:30:00Z"), DriftInjection.Kind.SHIFT, 2));
    assertThat(parse("income@90s:shift"))
        .isEqualTo(new DriftInjection("income", Instant.parse("2026-01-01T00:01:30Z"), DriftInjection.Kind.SHIFT, 1));
    assertThat(parse("age@2026-01-01T01:15:00Z:scale"))
        .isEqualTo(new DriftInjection("age", Instant.parse("2026-01-01T01:15:00Z"), DriftInjection.Kind.SCALE, 2));
    assertThat(parse("loan_purpose@0s:mix").kind()).isEqualTo(DriftInjection.Kind.MIX);
    assertThat(parse("label@1h:shift=-0.5"))
        .isEqualTo(new DriftInjection("label", Instant.parse("2026-01-01T01:00:00Z"), DriftInjection.Kind.SHIFT, -0.5));
    assertThat(parse("performance@1h:decay").amount()).isEqualTo(0.5);
    assertThat(parse("performance@1h:decay=0.9").describe()).isEqualTo("performance decay=0.9 from 2026-01-01T01:00:00Z");
    assertThat(parse("debt_to_income@1h:missing=0.6"))
        .isEqualTo(new DriftInjection("debt_to_income", Instant.parse("2026-01-01T01:00:00Z"), DriftInjection.Kind.MISSING, 0.6));
    assertThat(parse("loan_term@10m:missing").amount()).isEqualTo(0.5);
    assertThat(parse("loan_term@1h:missing=1").describe()).isEqualTo("loan_term missing=1.0 from 2026-01-01T01:00:00Z");
    assertThat(parse("loan_purpose@1h:mix").describe()).isEqualTo("loan_purpose mix from 2026-01-01T01:00:00Z");
    DriftInjection coupled = parse("age+months_employed@1h:correlation=-0.4");
    assertThat(coupled).isEqualTo(new DriftInjection("age+months_employed", Instant.parse("2026-01-01T01:00:00Z"),
        DriftInjection.Kind.CORRELATION, -0.4));
    assertThat(coupled.pair()).containsExactly("age", "months_employed");
    // 2 sin(π·(-0.4)/6) = -0.4158234
    assertThat(coupled.copulaCorrelation()).isCloseTo(-0.41582338163551863, within(1e-12));
    assertThat(coupled.describe()).isEqualTo("age+months_employed correlation=-0.4 from 2026-01-01T01:00:00Z");
    assertThat(parse("income+age@0s:correlation").amount()).isEqualTo(0.8);
    assertThat(parse("income@1h:shift=-1.5").activeAt(Instant.parse("2026-01-01T01:00:00Z").toEpochMilli())).isTrue();
    assertThat(parse("income@1h:shift=-1.5").activeAt(Instant.parse("2026-01-01T00:59:59.999Z").toEpochMilli())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "income@30m:mix | mix applies to categorical features; income is numeric",
      "loan_purpose@30m:shift=2 | shift applies to numeric features; loan_purpose is categorical",
      "loan_term@30m:scale | scale applies to numeric features; loan_term is categorical",
      "salary@30m:shift | unknown feature salary; the spec has age, income, debt_to_income, credit_utilization, "
          + "num_open_accounts, num_late_payments_12m, months_employed, loan_amount, loan_term, home_ownership, "
          + "loan_purpose, employment_type",
      "income@30m:jump | unknown kind \"jump\"; expected shift[=k], scale[=f], mix, decay[=p], missing[=p] or correlation[=r]",
      "income@30m:correlation | correlation applies to two numeric features (FEATURE+FEATURE@TIME:correlation[=r]), got income",
      "income+@30m:correlation | correlation applies to two numeric features (FEATURE+FEATURE@TIME:correlation[=r]), got income+",
      "age+income+loan_amount@30m:correlation | correlation applies to two numeric features (FEATURE+FEATURE@TIME:correlation[=r]), got age+income+loan_amount",
      "income+income@30m:correlation | correlation applies to two different features, got income twice",
      "income+loan_purpose@30m:correlation | correlation applies to numeric features; loan_purpose is categorical",
      "income+salary@30m:correlation=0.5 | unknown feature salary; the spec has age, income, debt_to_income, credit_utilization, "
          + "num_open_accounts, num_late_payments_12m, months_employed, loan_amount, loan_term, home_ownership, "
          + "loan_purpose, employment_type",
      "income+age@30m:shift=1 | two features (income+age) take correlation[=r], got shift",
      "income+age@30m:correlation=1.5 | correlation: expected a rank correlation in [-1, 1], got 1.5",
      "income+age@3h:correlation=0.5 | time 3h is outside the run (2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z)",
      "income@30m:missing=0 | missing: expected a probability in (0, 1], got 0",
      "income@30m:missing=1.2 | missing: expected a probability in (0, 1], got 1.2",
      "performance@30m:missing | performance takes decay[=p], got missing",
      "label@30m:missing=0.5 | label takes shift[=k], got missing",
      "income@30m:decay | decay applies to performance (performance@TIME:decay[=p]); income is a feature",
      "performance@30m:shift | performance takes decay[=p], got shift",
      "label@30m:decay | decay applies to performance (performance@TIME:decay[=p]), not label",
      "label@30m:scale | label takes shift[=k], got scale",
      "performance@30m:decay=1.5 | decay: expected a probability in [0, 1], got 1.5",
      "income@30m:scale=0 | scale: expected a factor > 0, got 0",
      "income@30m:shift=x | shift: not a number: \"x\"",
      "loan_purpose@30m:mix=2 | mix takes no value, got mix=2",
      "income@soon:shift | time \"soon\": expected an offset such as 30m or an ISO instant such as 2026-01-01T00:30:00Z",
      "income@2h:shift | time 2h is outside the run (2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z)",
      "income@2025-12-31T23:00:00Z:shift | time 2025-12-31T23:00:00Z is outside the run (2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z)",
      "income:shift | expected FEATURE@TIME:KIND such as income@30m:shift=2",
      "income@30m | expected FEATURE@TIME:KIND such as income@30m:shift=2",
      "@30m:shift | expected FEATURE@TIME:KIND such as income@30m:shift=2",
      "income@30m: | expected FEATURE@TIME:KIND such as income@30m:shift=2",
  })
  void rejectsWithOneLineSayingWhy(String text, String message) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(InputException.class).hasMessage(message);
  }

  @Test
  void durationsReadAndWriteTheSpecForms() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationText.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(DurationText.format(Duration.ofHours(48))).isEqualTo("2d");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThatThrownBy(() -> DurationText.parse("10 minutes")).isInstanceOf(InputException.class)
        .hasMessage("expected a duration such as 30s, 10m, 1h, 7d, got \"10 minutes\"");
  }
}
