package dev.driftline.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcaProfileTest {
  private static final String FEATURES = PcaFixture.FEATURES;
  private static final MonitorSpec WITH_PCA = PcaFixture.WITH_PCA;
  private static final MonitorSpec WITHOUT = PcaFixture.WITHOUT;
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private CsvTable table() throws IOException {
    return PcaFixture.table(dir);
  }

  @Test
  void baselineBuildFitsTheNumericFeaturesAndTheProfileKeepsTheModel() throws IOException {
    assertThat(WITH_PCA.pca().varianceShare()).isEqualTo(0.65);
    BaselineFile p = BaselineBuilder.build(WITH_PCA, table(), AT);
    Path file = dir.resolve("p.json");
    BaselineFiles.write(p, file);

    BaselineFile back = BaselineFiles.read(file);
    BaselineFiles.checkUsable(back, "p.json", WITH_PCA);

    assertThat(back.pca().features()).containsExactly("a", "b", "c");
    assertThat(back.pca().componentCount()).isEqualTo(1);
    // the numbers of PcaModelTest (numpy)
    assertThat(back.pca().upper()).isCloseTo(0.8778282473460707, within(1e-7));
    assertThat(back.pca().reconstructionError(new double[] {2.0, 18.0, 0.5})).isCloseTo(1.8091703784319844, within(1e-7));
  }

  @Test
  void specWithoutPcaWritesTheProfileAsBefore() throws IOException {
    BaselineFile p = BaselineBuilder.build(WITHOUT, table(), AT);
    Path file = dir.resolve("old.json");
    BaselineFiles.write(p, file);

    assertThat(Files.readString(file)).doesNotContain("pca");
    assertThat(BaselineFiles.read(file).pca()).isNull();
    assertThat(WITHOUT.specHash()).isNotEqualTo(WITH_PCA.specHash());
  }

  @Test
  void aModelOfOtherFeaturesOrTooFewRowsIsRefusedNamingIt() throws IOException {
    BaselineFile p = BaselineBuilder.build(WITH_PCA, table(), AT);
    MonitorSpec renamed = MonitorSpecParser.parse("m.yaml", FEATURES.replace("name: c,", "name: d,") + "\npca: {}");
    BaselineFile other = new BaselineFile(p.format(), p.profileId(), "m", p.specHash(), p.createdAt(), p.source(),
        p.rows(), java.util.Map.of("a", p.features().get("a"), "plan", p.features().get("plan"), "b",
        p.features().get("b"), "d", p.features().get("c")), null, null, null, null, p.pca());

    assertThatThrownBy(() -> BaselineFiles.checkUsable(other, "p.json", renamed)).isInstanceOf(InputException.class)
        .hasMessage("p.json: pca.features: expected the spec's numeric features [a, b, d], got [a, b, c]");
    MonitorSpec big = MonitorSpecParser.parse("m.yaml", FEATURES + "\npca: {chunk_size: 5}");
    assertThatThrownBy(() -> BaselineBuilder.build(big, table(), AT)).isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("t.csv") + ": pca: chunk_size: expected at least 2 full chunks of at least 2 rows,"
            + " got 9 rows in chunks of 5");
    String oneNumeric = FEATURES.replace("{name: b, type: numeric}", "{name: b, type: categorical}")
        .replace("{name: c, type: numeric}", "{name: c, type: categorical}");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", oneNumeric + "\npca: {}"))
        .isInstanceOf(SpecException.class).hasMessageContaining("pca: expected at least 2 numeric features, got 1");
    assertThat(List.of(WITHOUT.pca().enabled(), WITH_PCA.pca().enabled())).containsExactly(false, true);
  }
}
