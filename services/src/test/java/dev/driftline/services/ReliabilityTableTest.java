package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/reliability-table} on a tree of rows and surefire/failsafe reports with set
 * modification times: rows of failed tests, of tests without a report, and of runs older than
 * the newest are marked; rows of passing tests of the newest run are printed as written.
 */
class ReliabilityTableTest {
  static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  @TempDir Path root;

  @Test
  void marksRowsOfFailedMissingAndOldRuns() throws Exception {
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("../bin/reliability-table"), root.resolve("bin/reliability-table"));
    // Passed in the newest run: the row written while the test ran.
    report("jobs/a", "surefire", "PassingTest", 0, 0, NOW, 20);
    row("jobs/a", "PassingTest", NOW.minusSeconds(5));
    // Failed in the newest run, after writing its row.
    report("jobs/a", "failsafe", "FailingIT", 1, 0, NOW.minusSeconds(60), 30);
    row("jobs/a", "FailingIT", NOW.minusSeconds(70));
    // Ran again in the newest run without writing this row (e.g. it failed before it): the row is older.
    report("jobs/b", "surefire", "RewrittenTest", 0, 0, NOW.minusSeconds(120), 10);
    row("jobs/b", "RewrittenTest", NOW.minus(Duration.ofHours(1)));
    // Did not run this time: its report and row are from a run two hours before.
    report("jobs/b", "surefire", "EarlierTest", 0, 0, NOW.minus(Duration.ofHours(2)), 10);
    row("jobs/b", "EarlierTest", NOW.minus(Duration.ofHours(2)).minusSeconds(5));
    // A row without any report of its test.
    row("jobs/b", "UnreportedTest", NOW.minusSeconds(30));

    Process p = new ProcessBuilder("bash", root.resolve("bin/reliability-table").toString()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the script ended").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out.lines()).containsExactly(
        "| fault or input | injected | checked | numbers | test |",
        "|---|---|---|---|---|",
        "| FailingIT fault | injected | checked | 1 in, 1 out | `FailingIT` **(failed)** |",
        "| PassingTest fault | injected | checked | 1 in, 1 out | `PassingTest` |",
        "| EarlierTest fault | injected | checked | 1 in, 1 out | `EarlierTest` **(old run)** |",
        "| RewrittenTest fault | injected | checked | 1 in, 1 out | `RewrittenTest` **(old run)** |",
        "| UnreportedTest fault | injected | checked | 1 in, 1 out | `UnreportedTest` **(no report)** |");
    assertThat(err).isEqualTo("reliability-table: 4 row(s) not from a passing test of the newest run (marked in the test column)\n");
  }

  @Test
  void runStartOverridesTheNewestRun() throws Exception {
    Files.createDirectories(root.resolve("bin"));
    Files.copy(Path.of("../bin/reliability-table"), root.resolve("bin/reliability-table"));
    report("jobs/b", "surefire", "EarlierTest", 0, 0, NOW.minus(Duration.ofHours(2)), 10);
    row("jobs/b", "EarlierTest", NOW.minus(Duration.ofHours(2)).minusSeconds(5));
    report("jobs/a", "surefire", "PassingTest", 0, 0, NOW, 20);
    row("jobs/a", "PassingTest", NOW.minusSeconds(5));

    ProcessBuilder b = new ProcessBuilder("bash", root.resolve("bin/reliability-table").toString());
    b.environment().put("RUN_START", NOW.minus(Duration.ofHours(3)).toString());
    Process p = b.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("**(");
    assertThat(p.exitValue()).isZero();
  }

  void report(String module, String plugin, String test, int failures, int errors, Instant end, int seconds)
      throws IOException {
    Path file = Files.createDirectories(root.resolve(module).resolve("target/" + plugin + "-reports"))
        .resolve("TEST-dev.driftline." + test + ".xml");
    Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite xmlns:xsi=\"x\" version=\"3.0\" name=\"dev.driftline."
        + test + "\" time=\"" + seconds + ".25\" tests=\"2\" errors=\"" + errors + "\" skipped=\"0\" failures=\"" + failures
        + "\">\n<testcase name=\"t\"/>\n</testsuite>\n");
    Files.setLastModifiedTime(file, FileTime.from(end));
  }

  void row(String module, String test, Instant written) throws IOException {
    Path file = Files.createDirectories(root.resolve(module).resolve("target/reliability")).resolve(test + "-fault.md");
    Files.writeString(file, "| " + test + " fault | injected | checked | 1 in, 1 out | `" + test + "` |\n");
    Files.setLastModifiedTime(file, FileTime.from(written));
  }
}
