package dev.driftline.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The demo's console: lines stamped with the seconds since the start, and one progress status. On a
 * terminal the status is a single line rewritten in place (lines are printed above it); when the
 * output is a file or a pipe it is a plain line, at most one per {@link #PLAIN_STATUS_EVERY_NANOS}
 * and only when it changed, so a log holds a few progress lines instead of one per poll.
 */
final class DemoConsole {
  static final long PLAIN_STATUS_EVERY_NANOS = 10_000_000_000L;
  /** Erases from the cursor to the end of the line (ANSI, understood by every terminal the CLI runs in). */
  private static final String ERASE_LINE = "\r\033[K";

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanos;
  private final long t0;
  private String status = "";
  private boolean statusShown;
  private String lastPlainStatus = "";
  private long lastPlainAt = Long.MIN_VALUE;
  private boolean held;

  DemoConsole(PrintWriter out, boolean terminal, LongSupplier nanos) {
    this.out = out;
    this.terminal = terminal;
    this.nanos = nanos;
    this.t0 = nanos.getAsLong();
  }

  /** A console on {@code out}, in place when the process's output is a terminal. */
  static DemoConsole of(PrintWriter out) {
    return new DemoConsole(out, System.console() != null, System::nanoTime);
  }

  double seconds() {
    return (nanos.getAsLong() - t0) / 1e9;
  }

  /** A stamped line, printed above the status. */
  synchronized void line(String text) {
    raw(String.format(Locale.ROOT, "[%5.1fs] %s", seconds(), text));
  }

  /** An unstamped line (a trainer's own output), printed above the status. */
  synchronized void raw(String text) {
    if (statusShown) {
      out.print(ERASE_LINE);
    }
    out.println(text);
    if (statusShown) {
      out.print(stamped(status));
    }
    out.flush();
  }

  /** The progress status now. */
  synchronized void status(String text) {
    if (held) {
      return;
    }
    status = text;
    if (terminal) {
      out.print(ERASE_LINE + stamped(text));
      statusShown = true;
      out.flush();
      return;
    }
    long now = nanos.getAsLong();
    if (!text.equals(lastPlainStatus) && (lastPlainAt == Long.MIN_VALUE || now - lastPlainAt >= PLAIN_STATUS_EVERY_NANOS)) {
      lastPlainStatus = text;
      lastPlainAt = now;
      out.println(stamped(text));
      out.flush();
    }
  }

  /**
   * Ends the status: its last text stays as an ordinary line (printed now when the plain output
   * skipped it), and later {@link #status} calls print nothing.
   */
  synchronized void endStatus() {
    if (held) {
      return;
    }
    held = true;
    if (terminal && statusShown) {
      out.println();
    } else if (!terminal && !status.isEmpty() && !status.equals(lastPlainStatus)) {
      out.println(stamped(status));
    }
    statusShown = false;
    out.flush();
  }

  private String stamped(String text) {
    return String.format(Locale.ROOT, "[%5.1fs] %s", seconds(), text);
  }
}
