package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.ChurnSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountWindowTest {
  static final MonitorSpec SPEC = ChurnSpec.parse("window: {type: count, count: 3}");

  static Prediction p(String id, long ts, double score) {
    return new Prediction("churn", id, ts, null, null, new double[] {ts, Double.NaN}, new String[] {null, "basic"},
        score, null);
  }

  @Test
  void closesEveryThreePredictionsInTimeThenIdOrder() {
    CountWindow window = new CountWindow(SPEC, 0, null);
    List<CountWindow.Closed> closed = new ArrayList<>();

    window.addAll(new ArrayList<>(List.of(p("b", 10, 0.2), p("a", 10, 0.1), p("c", 12, 0.3), p("d", 11, 0.4))),
        closed::add);
    assertThat(closed).hasSize(1);
    assertThat(window.sequence()).isEqualTo(1);
    assertThat(window.open().count()).isEqualTo(1);
    window.addAll(new ArrayList<>(List.of(p("e", 15, 0.5), p("f", 13, 0.6))), closed::add);

    assertThat(closed).extracting(CountWindow.Closed::sequence).containsExactly(0L, 1L);
    assertThat(closed).extracting(CountWindow.Closed::start).containsExactly(10L, 12L);
    assertThat(closed).extracting(CountWindow.Closed::end).containsExactly(12L, 16L);
    assertThat(closed.get(0).summary().numeric(2).values()).containsExactly(0.1, 0.2, 0.4);
    assertThat(closed.get(1).summary().numeric(2).values()).containsExactly(0.3, 0.5, 0.6);
    assertThat(closed.get(1).summary().count()).isEqualTo(3);
    assertThat(window.open()).isNull();
    assertThat(window.sequence()).isEqualTo(2);
  }

  @Test
  void refusesATimeWindowSpec() {
    MonitorSpec time = MonitorSpecParser.parse("m.yaml", String.join("\n",
        "model_id: churn", "task: binary_classification", "features:", "  - {name: tenure, type: numeric}",
        "reference: {source: previous_window}", "window: {size: 1h}"));
    assertThatThrownBy(() -> new CountWindow(time, 0, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
