package dev.driftline.jobs.driftdetection.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.spec.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The local phase on Flink's own operator harness: when partials leave, and that none is lost or doubled. */
class WindowBundleOperatorTest {
  static final long MINUTE = 60_000;

  /** Events "key@time"; the summary counts them. */
  record Counting(long windowMillis, long slideMillis) implements WindowBundleOperator.Bundling<String, long[]> {
    @Override
    public String key(String e) {
      return e.substring(0, e.indexOf('@'));
    }

    @Override
    public long time(String e) {
      return Long.parseLong(e.substring(e.indexOf('@') + 1));
    }

    @Override
    public WindowSpec window(String e) {
      return new WindowSpec(Duration.ofMillis(windowMillis), Duration.ofMillis(slideMillis), Duration.ZERO, Duration.ZERO,
          Duration.ofMinutes(1));
    }

    @Override
    public long[] create(String e) {
      return new long[1];
    }

    @Override
    public void add(long[] count, String e) {
      count[0]++;
    }
  }

  static OneInputStreamOperatorTestHarness<String, WindowPartial<long[]>> harness(long window, long slide, int maxRecords)
      throws Exception {
    var h = new OneInputStreamOperatorTestHarness<>(
        new WindowBundleOperator<>(new Counting(window, slide), maxRecords, 100), TypeInformation.of(String.class).createSerializer(null));
    h.open();
    return h;
  }

  /** The output as "key[start,end)=count" for partials and "wm:T" for watermarks, in order. */
  static List<String> drain(OneInputStreamOperatorTestHarness<String, WindowPartial<long[]>> h) {
    List<String> out = new ArrayList<>();
    Object o;
    while ((o = h.getOutput().poll()) != null) {
      if (o instanceof Watermark w) {
        out.add("wm:" + w.getTimestamp());
      } else if (o instanceof WatermarkStatus status) {
        out.add(status.isIdle() ? "idle" : "active");
      } else if (o instanceof StreamRecord<?> r && r.getValue() instanceof WindowPartial<?> p) {
        out.add(p.key() + "[" + p.start() / MINUTE + "," + p.end() / MINUTE + ")=" + ((long[]) p.summary())[0] + "@" + r.getTimestamp());
      }
    }
    return out;
  }

  @Test
  void aWindowsPartialLeavesBeforeTheWatermarkThatClosesIt() throws Exception {
    var h = harness(MINUTE, MINUTE, 1_000);
    for (String e : List.of("a@1000", "a@2000", "b@3000", "a@61000", "a@62000")) {
      h.processElement(new StreamRecord<>(e));
    }
    h.processWatermark(new Watermark(MINUTE - 2));
    assertThat(drain(h)).containsExactly("wm:" + (MINUTE - 2));
    h.processWatermark(new Watermark(MINUTE - 1));
    assertThat(drain(h)).containsExactlyInAnyOrder("a[0,1)=2@59999", "b[0,1)=1@59999", "wm:59999");
    h.processElement(new StreamRecord<>("a@500")); // late: still sent on, the keyed window decides
    h.processWatermark(new Watermark(2 * MINUTE));
    assertThat(drain(h)).containsExactly("a[1,2)=2@119999", "a[0,1)=1@59999", "wm:120000");
  }

  @Test
  void everyCheckpointBarrierFindsTheBundleEmpty() throws Exception {
    var h = harness(MINUTE, MINUTE, 1_000);
    h.processElement(new StreamRecord<>("a@1000"));
    h.processElement(new StreamRecord<>("a@61000"));
    h.prepareSnapshotPreBarrier(1);
    assertThat(drain(h)).containsExactlyInAnyOrder("a[0,1)=1@59999", "a[1,2)=1@119999");
    h.processElement(new StreamRecord<>("a@1500"));
    h.endInput();
    h.close();
    assertThat(drain(h)).containsExactly("a[0,1)=1@59999");
  }

  @Test
  void theRecordLimitBoundsABundle() throws Exception {
    var h = harness(MINUTE, MINUTE, 3);
    for (int i = 0; i < 7; i++) {
      h.processElement(new StreamRecord<>("a@" + i));
    }
    assertThat(drain(h)).containsExactly("a[0,1)=3@59999", "a[0,1)=3@59999");
  }

  @Test
  void aRecordCountsInEverySlidingWindowThatHoldsIt() throws Exception {
    var h = harness(3 * MINUTE, MINUTE, 1_000);
    h.processElement(new StreamRecord<>("a@" + (5 * MINUTE + 10)));
    h.processWatermark(new Watermark(Long.MAX_VALUE));
    assertThat(drain(h)).containsExactlyInAnyOrder("a[3,6)=1@359999", "a[4,7)=1@419999", "a[5,8)=1@479999",
        "wm:" + Long.MAX_VALUE);
  }

  @Test
  void itNeverTellsTheKeyedWindowItIsIdle() throws Exception {
    var h = harness(MINUTE, MINUTE, 1_000);
    h.processElement(new StreamRecord<>("a@1000"));
    h.processWatermarkStatus(WatermarkStatus.IDLE);
    assertThat(drain(h)).as("idle: nothing leaves, the keyed window keeps waiting for this subtask").isEmpty();
    h.processWatermarkStatus(WatermarkStatus.ACTIVE);
    h.processElement(new StreamRecord<>("a@2000"));
    h.processWatermark(new Watermark(MINUTE - 1));
    assertThat(drain(h)).containsExactly("a[0,1)=2@59999", "wm:59999");
  }

  /** {@link Counting} whose events "progress@T" carry the watermark of the input's upstream. */
  record WithProgress(Counting counting) implements WindowBundleOperator.Bundling<String, long[]> {
    @Override
    public boolean progressRecords() {
      return true;
    }

    @Override
    public boolean isProgress(String e) {
      return e.startsWith("progress@");
    }

    @Override
    public String key(String e) {
      return counting.key(e);
    }

    @Override
    public long time(String e) {
      return counting.time(e);
    }

    @Override
    public WindowSpec window(String e) {
      return counting.window(e);
    }

    @Override
    public long[] create(String e) {
      return counting.create(e);
    }

    @Override
    public void add(long[] count, String e) {
      counting.add(count, e);
    }
  }

  @Test
  void withProgressRecordsTheWatermarkIsTheLowerOfTheirsAndFlinks() throws Exception {
    var h = new OneInputStreamOperatorTestHarness<>(new WindowBundleOperator<>(new WithProgress(new Counting(MINUTE, MINUTE)), 1_000, 100),
        TypeInformation.of(String.class).createSerializer(null));
    h.open();
    h.processElement(new StreamRecord<>("a@1000"));
    // Flink's watermark alone (the predictions') passes the window: nothing leaves before the join's progress.
    h.processWatermark(new Watermark(2 * MINUTE));
    assertThat(drain(h)).isEmpty();
    h.processElement(new StreamRecord<>("progress@" + (MINUTE - 2)));
    assertThat(drain(h)).containsExactly("wm:" + (MINUTE - 2));
    h.processElement(new StreamRecord<>("a@2000"));
    h.processElement(new StreamRecord<>("progress@" + (3 * MINUTE)));
    assertThat(drain(h)).containsExactly("a[0,1)=2@" + (MINUTE - 1), "wm:" + (2 * MINUTE));
    // The end of Flink's input (the predictions') does not end the join's: labels may still come.
    h.processElement(new StreamRecord<>("b@" + (3 * MINUTE + 5)));
    h.processWatermark(new Watermark(Long.MAX_VALUE));
    assertThat(drain(h)).containsExactly("wm:" + (3 * MINUTE));
    h.processElement(new StreamRecord<>("b@" + (3 * MINUTE + 6)));
    h.processElement(new StreamRecord<>("progress@" + Long.MAX_VALUE));
    assertThat(drain(h)).containsExactly("b[3,4)=2@" + (4 * MINUTE - 1), "wm:" + Long.MAX_VALUE);
    h.close();
  }
}
