package dev.driftline.core.baseline;

import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small matrix of PcaModelTest as training data (a categorical column between the numeric
 * ones, one missing cell) and a spec over it, with and without {@code pca}.
 */
public final class PcaFixture {
  private PcaFixture() {}

  public static final String FEATURES = String.join("\n",
      "model_id: m",
      "task: binary_classification",
      "features:",
      "  - {name: a, type: numeric}",
      "  - {name: plan, type: categorical}",
      "  - {name: b, type: numeric}",
      "  - {name: c, type: numeric}",
      "reference: {source: previous_window}",
      "window: {size: 1h}");
  public static final MonitorSpec WITH_PCA = MonitorSpecParser.parse("m.yaml", FEATURES + "\npca: {chunk_size: 4}");
  public static final MonitorSpec WITHOUT = MonitorSpecParser.parse("m.yaml", FEATURES);

  /** The matrix written to {@code dir/t.csv}: band [0.7732959956655999, 0.8778282473460707] with WITH_PCA (numpy). */
  public static CsvTable table(Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, String.join("\n", "a,plan,b,c", "1,x,2,0.5", "2,y,4.1,0.1", "3,x,6.2,0.9", "4,x,7.9,",
        "5,y,10.3,0.2", "6,x,11.8,0.8", "7,y,14.2,0.3", "8,x,15.9,0.6", "9,x,18,0.4") + "\n");
    return CsvTable.read(file);
  }
}
