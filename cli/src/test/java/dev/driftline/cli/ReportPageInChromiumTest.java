package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.synth.CreditDefaultData;
import dev.driftline.services.RequiredTool;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch page rendered by headless Chromium: the bars are drawn, not only written. Skipped when
 * no {@code chromium} (or {@code CHROMIUM} naming one) is on this machine; the screenshot stays in
 * {@code target/report-page.png} for a person to look at.
 */
class ReportPageInChromiumTest {
  private static final String SPEC = "../examples/credit-default/monitor.yaml";
  @TempDir Path dir;

  private static String chromium() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && new File(configured).canExecute()) {
      return configured;
    }
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!d.isEmpty() && new File(d, name).canExecute()) {
          return new File(d, name).getPath();
        }
      }
    }
    return null;
  }

  @Test
  void chromiumDrawsReferenceAndCurrentBars() throws Exception {
    String browser = chromium();
    RequiredTool.require(browser != null, "no chromium on PATH (set CHROMIUM to run this check)");
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 3_000);
    Path current = csv("current.csv", 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 1_000);
    Path profile = dir.resolve("profile.json");
    assertThat(CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(), "--out", profile.toString())
        .exitCode()).isZero();
    Path page = dir.resolve("report.html");
    CliRun report = CliRun.of("report", "--spec", SPEC, "--baseline", profile.toString(), "--current", current.toString(),
        "--html", page.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();

    Path png = Path.of("target", "report-page.png").toAbsolutePath();
    Files.deleteIfExists(png);
    Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("profile-dir"), "--screenshot=" + png, "--window-size=1400,1400",
        page.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    long currentPixels = 0;
    long referencePixels = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        currentPixels += rgb == 0x1f77b4 ? 1 : 0;
        referencePixels += rgb == 0x9a9a9a ? 1 : 0;
      }
    }
    // Two drifted features' bar pairs (income: 10 bins, loan_purpose: its categories) fill thousands of pixels.
    assertThat(currentPixels).isGreaterThan(2_000);
    assertThat(referencePixels).isGreaterThan(2_000);
  }

  private Path csv(String name, long seed, CreditDefaultData.Shift shift, int rows) throws IOException {
    Path file = dir.resolve(name);
    try (Writer w = Files.newBufferedWriter(file)) {
      new CreditDefaultData(seed, shift).writeCsv(w, rows, 0L);
    }
    return file;
  }
}
