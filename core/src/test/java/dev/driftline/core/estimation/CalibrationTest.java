package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  /** Scores 0.05, 0.15, 0.17, 0.95 with labels 0, 0, 1, 1: three bins hold rows, by hand. */
  @Test
  void reliabilityTableCountsMeanScoreAndPositiveRatePerBin() {
    ScoreCalibration c = ScoreCalibration.fit(CalibrationMethod.ISOTONIC, new double[] {0.95, 0.17, 0.05, 0.15},
        new boolean[] {true, true, false, false});
    assertThat(c.rows()).isEqualTo(4);
    assertThat(c.positives()).isEqualTo(2);
    assertThat(c.reliability()).containsExactly(
        new ScoreCalibration.ReliabilityBin(0.0, 0.1, 1, 0.05, 0.0),
        new ScoreCalibration.ReliabilityBin(0.1, 0.2, 2, (0.15 + 0.17) / 2, 0.5),
        new ScoreCalibration.ReliabilityBin(0.9, 1.0, 1, 0.95, 1.0));
  }

  @Test
  void roundTripsThroughProfileJson() throws Exception {
    ScoreCalibration c = ScoreCalibration.fit(CalibrationMethod.ISOTONIC, new double[] {0.1, 0.2, 0.3}, new boolean[] {false, true, true});
    ScoreCalibration back = Json.mapper().readValue(Json.bytes(c), ScoreCalibration.class);
    assertThat(back.x()).containsExactly(c.x());
    assertThat(back.y()).containsExactly(c.y());
    assertThat(back.reliability()).isEqualTo(c.reliability());
    assertThat(new String(Json.bytes(c))).startsWith("{\"method\":\"isotonic\",\"rows\":3,\"positives\":2,\"x\":[0.1,0.2,0.3],\"y\":[0.0,1.0,1.0],");
  }

  @Test
  void namesWhatIsWrongWithADamagedCalibration() {
    assertThat(new ScoreCalibration("spline", 1, 0, null, null, null, null, List.of()).problem())
        .isEqualTo("method: expected isotonic or platt, got \"spline\"");
    assertThat(new ScoreCalibration("isotonic", 1, 0, new double[] {0.2, 0.1}, new double[] {0, 1}, null, null, List.of()).problem())
        .isEqualTo("isotonic calibration point 1: x must ascend and y must not fall");
    assertThat(new ScoreCalibration("platt", 1, 0, null, null, 1.0, null, List.of()).problem())
        .isEqualTo("platt calibration needs finite slope and intercept");
  }
}
