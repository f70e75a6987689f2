package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSpecsTest {
  @Test
  void synthesizedSpecHasTheRequestedFeaturesTestsAndTumblingWindow() {
    MonitorSpec spec = MonitorSpecParser.parse("bench", BenchSpecs.monitorYaml("bench", 3, 2, Duration.ofMinutes(5)));

    assertThat(spec.modelId()).isEqualTo("bench");
    assertThat(spec.features()).extracting(FeatureSpec::name).containsExactly("num_00", "num_01", "num_02", "cat_00", "cat_01");
    assertThat(spec.features()).extracting(FeatureSpec::type).containsExactly(FeatureType.NUMERIC, FeatureType.NUMERIC,
        FeatureType.NUMERIC, FeatureType.CATEGORICAL, FeatureType.CATEGORICAL);
    assertThat(spec.testsFor(FeatureType.NUMERIC)).extracting(t -> t.test().id()).containsExactly("ks", "psi");
    assertThat(spec.testsFor(FeatureType.CATEGORICAL)).extracting(t -> t.test().id())
        .containsExactly("chi2", "psi");
    assertThat(spec.window().size()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.window().slide()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.window().maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.window().allowedLateness()).isEqualTo(Duration.ZERO);
    assertThat(spec.maxLabelDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.fields().segment()).as("no segments: the hard case").isNull();
  }

  @Test
  void specWithoutCategoricalFeaturesParses() {
    MonitorSpec spec = MonitorSpecParser.parse("bench", BenchSpecs.monitorYaml("m-1", 1, 0, Duration.ofSeconds(90)));

    assertThat(spec.features()).extracting(FeatureSpec::name).containsExactly("num_00");
    assertThat(spec.window().size()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void featureViewIsTheExampleOnTheBenchmarkTopic() throws IOException {
    String example = Files.readString(Path.of("../examples/feature-views/card-transactions.yaml"));
    FeatureView original = FeatureViewParser.parse("example", example);

    FeatureView view = FeatureViewParser.parse("bench", BenchSpecs.featureViewYaml(example, "bench-x1", "bench-x1.cards"));

    assertThat(view.name()).isEqualTo("bench-x1");
    assertThat(view.topic()).isEqualTo("bench-x1.cards");
    assertThat(view.features()).hasSameSizeAs(original.features()).hasSize(12);
  }

  @Test
  void featureViewFailsInOneLineWhenTheExampleChanged() {
    assertThatThrownBy(() -> BenchSpecs.featureViewYaml("view: other\n", "v", "t"))
        .isInstanceOf(InputException.class)
        .hasMessage("examples/feature-views/card-transactions.yaml: expected a line \"view: card_transactions\" to replace for the benchmark");
  }

  @Test
  void aSegmentedSpecHasResultsPerSegmentOfItsSegmentField() {
    MonitorSpec plain = MonitorSpecParser.parse("bench", BenchSpecs.monitorYaml("m-1", 2, 1, Duration.ofMinutes(1)));
    MonitorSpec segmented = MonitorSpecParser.parse("bench", BenchSpecs.monitorYaml("m-1", 2, 1, Duration.ofMinutes(1), true));

    assertThat(plain.fields().segment()).isNull();
    assertThat(segmented.fields().segment()).isEqualTo("segment");
    assertThat(segmented.features()).isEqualTo(plain.features());
  }
}
