package dev.driftline.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DemoConsoleTest {
  private final AtomicLong clock = new AtomicLong(0);
  private final StringWriter text = new StringWriter();

  private DemoConsole console(boolean terminal) {
    return new DemoConsole(new PrintWriter(text), terminal, clock::get);
  }

  @Test
  void onATerminalTheStatusIsOneLineRewrittenInPlaceWithLinesAboveIt() {
    DemoConsole c = console(true);
    c.status("10 drift results");
    clock.set(1_000_000_000L);
    c.status("20 drift results");
    c.line("credit-default window 09:00 closed: no drift");
    clock.set(2_000_000_000L);
    c.status("30 drift results");
    c.endStatus();
    c.status("40 drift results");
    c.line("done");

    assertThat(text.toString()).isEqualTo(
        "\r\033[K[  0.0s] 10 drift results"
            + "\r\033[K[  1.0s] 20 drift results"
            + "\r\033[K[  1.0s] credit-default window 09:00 closed: no drift\n[  1.0s] 20 drift results"
            + "\r\033[K[  2.0s] 30 drift results"
            + "\n"
            + "[  2.0s] done\n");
    assertThat(text.toString().split("\n")).hasSize(3);
  }

  @Test
  void inALogTheStatusIsAPlainLineAtMostEveryTenSeconds() {
    DemoConsole c = console(false);
    for (int second = 0; second < 25; second++) {
      clock.set(second * 1_000_000_000L);
      c.status(second * 100 + " drift results");
    }
    c.line("retrain-trigger done");
    c.endStatus();

    assertThat(text.toString()).isEqualTo(
        "[  0.0s] 0 drift results\n"
            + "[ 10.0s] 1000 drift results\n"
            + "[ 20.0s] 2000 drift results\n"
            + "[ 24.0s] retrain-trigger done\n"
            + "[ 24.0s] 2400 drift results\n");
  }

  @Test
  void aStatusThatDidNotChangeIsNotRepeatedInALog() {
    DemoConsole c = console(false);
    c.status("5 drift results");
    clock.set(30_000_000_000L);
    c.status("5 drift results");
    c.endStatus();

    assertThat(text.toString()).isEqualTo("[  0.0s] 5 drift results\n");
  }
}
