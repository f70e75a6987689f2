package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documentation is part of the build: README.md is a page (at most 250 lines) and every page
 * it and {@code docs/*.md} link to, or whose heading they link to, exists; every
 * {@code driftline <subcommand>} they show in code (fenced blocks and inline code) is a command of
 * {@link DriftlineCli}, down to the second level where the command has subcommands.
 */
class DocsTest {
  static final int README_MAX_LINES = 250;

  private static final Path ROOT = repoRoot();
  private static final Pattern FENCE = Pattern.compile("(?ms)^ *```.*?^ *```[^\\n]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *#* *$");
  private static final Pattern COMMAND = Pattern.compile(
      "(?<![\\w.\\-])driftline +([a-z][a-z0-9-]*)(?: +([a-z][a-z0-9-]*))?");

  @Test
  void readmeIsAPageOfAtMost250Lines() throws IOException {
    assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(README_MAX_LINES);
  }

  @Test
  void everyRelativeLinkPointsToAnExistingFileAndHeading() {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : pages()) {
      String text = withoutCode(read(page));
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto:: not this repository's files
        }
        links++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String relative = ROOT.relativize(resolved).toString().replace('\\', '/');
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(where(page) + ": " + target + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
          broken.add(where(page) + ": " + target + " (no heading with that anchor in " + relative + ")");
        }
      }
    }
    assertThat(links).as("links found in README.md and docs/").isGreaterThan(50);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void everyDriftlineCommandShownIsACommandOfTheCli() {
    CommandLine cli = DriftlineCli.newCommandLine();
    Map<String, Set<String>> shown = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Path page : pages()) {
      for (String code : code(read(page))) {
        Matcher m = COMMAND.matcher(code);
        while (m.find()) {
          String name = m.group(1);
          String sub = m.group(2);
          shown.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(where(page));
          CommandLine command = cli.getSubcommands().get(name);
          if (command == null) {
            unknown.add(where(page) + ": driftline " + name);
          } else if (sub != null && !command.getSubcommands().isEmpty() && !command.getSubcommands().containsKey(sub)) {
            unknown.add(where(page) + ": driftline " + name + " " + sub);
          }
        }
      }
    }
    assertThat(shown).as("commands shown in README.md and docs/").containsKeys("demo", "stats", "baseline", "report");
    assertThat(unknown).as("commands the CLI does not have (its commands: %s)", cli.getSubcommands().keySet()).isEmpty();
  }

  @Test
  void theCheckFindsWhatItLooksFor() {
    String page = "See [deploy](deploy.md#4-create-the-topics) and `bin/driftline baseline build --spec s`.\n"
        + "```bash\nbin/driftline demo --hours 1   # [not a link](nowhere.md)\n```\n"
        + "Not code: driftline nonsense. Index `driftline-drift-*`, class `dev.driftline.cli`.\n";
    assertThat(code(page)).containsExactly("bin/driftline demo --hours 1   # [not a link](nowhere.md)",
        "bin/driftline baseline build --spec s", "driftline-drift-*", "dev.driftline.cli");
    Matcher link = LINK.matcher(withoutCode(page));
    assertThat(link.find()).isTrue();
    assertThat(link.group(1)).isEqualTo("deploy.md#4-create-the-topics");
    assertThat(link.find()).isFalse();
    List<String> commands = new ArrayList<>();
    for (String c : code(page)) {
      Matcher m = COMMAND.matcher(c);
      while (m.find()) {
        commands.add(m.group(1) + (m.group(2) == null ? "" : " " + m.group(2)));
      }
    }
    assertThat(commands).containsExactly("demo", "baseline build");
    assertThat(slug("Starting without a savepoint: `--start-from`")).isEqualTo("starting-without-a-savepoint---start-from");
    assertThat(slug("Page–Hinkley and ADWIN on the error rate")).isEqualTo("pagehinkley-and-adwin-on-the-error-rate");
    assertThat(slug("4. Create the topics")).isEqualTo("4-create-the-topics");
  }

  /** README.md and every page under docs/. */
  static List<Path> pages() {
    List<Path> out = new ArrayList<>();
    out.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(out).hasSizeGreaterThan(5);
    return out;
  }

  /** The text of fenced code blocks and inline code spans, in that order. */
  static List<String> code(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher fence = FENCE.matcher(markdown);
    while (fence.find()) {
      String block = fence.group();
      out.add(block.substring(block.indexOf('\n') + 1, block.lastIndexOf('\n')));
    }
    Matcher inline = INLINE_CODE.matcher(FENCE.matcher(markdown).replaceAll(""));
    while (inline.find()) {
      out.add(inline.group(1));
    }
    return out;
  }

  /** The markdown without its code, where nothing is a link. */
  static String withoutCode(String markdown) {
    return INLINE_CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
  }

  /** The anchors GitHub gives a page's headings (a repeated one gets -1, -2, ...). */
  static Set<String> anchors(Path page) {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(FENCE.matcher(read(page)).replaceAll(""));
    while (m.find()) {
      String slug = slug(m.group(1));
      int n = seen.merge(slug, 1, Integer::sum) - 1;
      out.add(n == 0 ? slug : slug + "-" + n);
    }
    return out;
  }

  /** GitHub's heading anchor: lower case, punctuation but hyphens and underscores dropped, spaces as hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
    return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  private static String where(Path page) {
    return ROOT.relativize(page).toString().replace('\\', '/');
  }

  private static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with README.md and docs/ above " + Path.of("").toAbsolutePath());
  }
}
