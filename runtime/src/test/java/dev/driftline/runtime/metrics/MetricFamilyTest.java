package dev.driftline.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class MetricFamilyTest {
  /** Records every addGroup, so the test sees what is registered and how often. */
  static final class RecordingGroup extends UnregisteredMetricsGroup {
    final List<String> path;
    final List<String> registered;

    RecordingGroup(List<String> path, List<String> registered) {
      this.path = path;
      this.registered = registered;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      List<String> p = new ArrayList<>(path);
      p.add(key + "=" + value);
      return new RecordingGroup(p, registered);
    }

    @Override
    public MetricGroup addGroup(String name) {
      List<String> p = new ArrayList<>(path);
      p.add(name);
      return new RecordingGroup(p, registered);
    }

    @Override
    public Counter counter(String name) {
      registered.add(String.join("/", path) + "/" + name);
      return super.counter(name);
    }
  }

  @Test
  void registersEachLabelCombinationOnceAndCachesIt() {
    List<String> registered = new ArrayList<>();
    MetricFamily<Counter> results = MetricFamily.counters(DriftlineMetric.DRIFT_RESULTS, new RecordingGroup(List.of(), registered));
    Counter ks = results.get("m", "__all__", "ks");
    ks.inc();
    results.get("m", "__all__", "ks").inc();
    results.get("m", "__all__", "psi").inc();
    results.get("m", "north", "ks").inc();
    assertThat(results.get("m", "__all__", "ks")).isSameAs(ks);
    assertThat(ks.getCount()).isEqualTo(2);
    assertThat(registered).containsExactly(
        "driftline/model=m/segment=__all__/test=ks/drift_results",
        "driftline/model=m/segment=__all__/test=psi/drift_results",
        "driftline/model=m/segment=north/test=ks/drift_results");
  }

  @Test
  void namesFollowTheGroupsFlinksReporterSees() {
    assertThat(DriftlineMetric.DRIFT_RESULTS.prometheusName())
        .isEqualTo("flink_taskmanager_job_task_operator_driftline_model_segment_test_drift_results");
    assertThat(DriftlineMetric.EVENT_TIME_LAG.prometheusName()).isEqualTo("flink_taskmanager_job_task_operator_driftline_event_time_lag_ms");
    assertThat(DriftlineMetric.prometheusNames()).doesNotHaveDuplicates().hasSize(DriftlineMetric.values().length);
    assertThatThrownBy(() -> DriftlineMetric.WINDOWS_CLOSED.group(new UnregisteredMetricsGroup(), "only-a-model"))
        .hasMessageContaining("expected values for [model, segment]");
  }

  @Test
  void eventTimeLagIsNowMinusTheWatermark() {
    EventTimeLag lag = new EventTimeLag();
    assertThat(lag.getValue()).isNaN();
    long watermark = System.currentTimeMillis() - 60_000;
    lag.watermark(watermark);
    assertThat(lag.getValue()).isBetween(60_000.0, 70_000.0);
    lag.watermark(Long.MAX_VALUE);
    assertThat(lag.getValue()).isZero();
  }
}
