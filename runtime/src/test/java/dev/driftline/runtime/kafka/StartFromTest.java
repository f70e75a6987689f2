package dev.driftline.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

class StartFromTest {
  @Test
  void readsTheFourForms() {
    assertThat(StartFrom.parse("committed")).isEqualTo(StartFrom.COMMITTED);
    assertThat(StartFrom.parse(" Earliest ")).isEqualTo(StartFrom.EARLIEST);
    assertThat(StartFrom.parse("latest")).isEqualTo(StartFrom.LATEST);
    assertThat(StartFrom.parse("2026-05-04T00:00:00Z")).isEqualTo(StartFrom.timestamp(1_777_852_800_000L));
    assertThat(StartFrom.parse("1777852800000")).isEqualTo(StartFrom.timestamp(1_777_852_800_000L));
    assertThat(StartFrom.parse("2026-05-04T00:00:00Z")).hasToString("2026-05-04T00:00:00Z");
    assertThat(StartFrom.COMMITTED).hasToString("committed");
  }

  @Test
  void refusesAnythingElseInOneLine() {
    for (String bad : new String[] {"", "yesterday", "2026-05-04", "1969-12-31T23:59:59Z", "-5", "12345678901234567"}) {
      assertThatThrownBy(() -> StartFrom.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected committed, earliest, latest or a time (2026-05-04T00:00:00Z or epoch millis), got \""
              + bad + "\"");
    }
  }

  @Test
  void givesTheKafkaSourceItsStartingOffsets() {
    assertThat(StartFrom.COMMITTED.offsets().getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.EARLIEST);
    assertThat(StartFrom.EARLIEST.offsets().getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.EARLIEST);
    assertThat(StartFrom.LATEST.offsets().getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);
    OffsetsInitializer time = StartFrom.timestamp(1_000L).offsets();
    assertThat(time.getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);
  }
}
