package dev.driftline.runtime.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks {@code docker/docker-compose.yml} against the repository, without Docker: image tags are the
 * root pom's versions, host paths exist (job jars: named as {@code mvn package} names them), host
 * ports are unique, and the files the setup scripts use are mounted and exist. Each problem is one
 * line. Not thread-safe; one instance per check.
 */
final class ComposeChecker {
  /** Image repository -> the root pom property holding its version, the tag suffix, and the tag prefix. */
  static final Map<String, String[]> IMAGE_VERSIONS = Map.of(
      "apache/kafka", new String[] {"kafka.version", "", ""},
      "docker.elastic.co/elasticsearch/elasticsearch", new String[] {"elasticsearch.version", "", ""},
      "docker.elastic.co/kibana/kibana", new String[] {"elasticsearch.version", "", ""},
      "flink", new String[] {"flink.version", "-java17", ""},
      "prom/prometheus", new String[] {"prometheus.version", "", "v"});

  private static final Pattern JOB_JAR = Pattern.compile("jobs/([^/]+)/target/([^/]+\\.jar)");
  /** Relative paths a script uses: a word, a slash, more path characters. */
  private static final Pattern SCRIPT_PATH = Pattern.compile("(?<![\\w./$-])((?:/opt/driftline/)?[A-Za-z][\\w.-]*/[\\w.*/-]*[\\w*])");

  private final Path root;
  private final Path composeDir;
  private final Map<String, String> pomProperties;
  private final String projectVersion;
  private final Map<String, String> notYetInRepo;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param notYetInRepo repository paths a script may name before they exist (path -> why), e.g.
   *     the input of a job that lands later
   */
  ComposeChecker(Path root, Map<String, String> notYetInRepo) {
    this.root = root;
    this.composeDir = root.resolve("docker");
    Element project = pom(root.resolve("pom.xml"));
    this.projectVersion = child(project, "version");
    this.pomProperties = new HashMap<>();
    Element props = (Element) project.getElementsByTagName("properties").item(0);
    for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        pomProperties.put(e.getTagName(), e.getTextContent().trim());
      }
    }
    this.notYetInRepo = notYetInRepo;
  }

  String property(String name) {
    return pomProperties.get(name);
  }

  /** Every problem in the compose text (empty when none); relative paths resolve from docker/. */
  List<String> check(String composeYaml) {
    JsonNode compose;
    try {
      compose = new ObjectMapper().valueToTree(new Yaml().load(composeYaml));
    } catch (RuntimeException e) {
      problems.add("docker-compose.yml: not YAML: " + e.getMessage().lines().findFirst().orElse(""));
      return problems;
    }
    JsonNode services = compose.path("services");
    if (!services.isObject() || services.isEmpty()) {
      problems.add("docker-compose.yml: services: expected at least one service");
      return problems;
    }
    Map<String, String> portOwners = new HashMap<>();
    Set<String> namedVolumes = new TreeSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
    for (Map.Entry<String, JsonNode> entry : services.properties()) {
      String name = "services." + entry.getKey();
      JsonNode s = entry.getValue();
      checkImage(name, s.path("image").asText(""));
      for (JsonNode p : s.path("ports")) {
        String hostPort = hostPort(p);
        String before = portOwners.put(hostPort, name);
        if (before != null) {
          problems.add(name + ": host port " + hostPort + " is already published by " + before);
        }
      }
      Map<String, Path> mounts = new LinkedHashMap<>(); // container path -> host path
      for (JsonNode v : s.path("volumes")) {
        String source;
        String target;
        if (v.isTextual()) {
          String[] parts = v.asText().split(":");
          source = parts[0];
          target = parts.length > 1 ? parts[1] : parts[0];
        } else {
          source = v.path("source").asText("");
          target = v.path("target").asText("");
          if (v.path("type").asText().equals("bind") && v.path("bind").path("create_host_path").asBoolean(true)) {
            problems.add(name + ": volume " + source + ": expected bind.create_host_path: false (Docker would otherwise "
                + "create an empty directory where the file belongs)");
          }
        }
        if (!source.startsWith(".") && !source.startsWith("/")) {
          if (!namedVolumes.contains(source)) {
            problems.add(name + ": volume " + source + ": not declared under the top-level volumes");
          }
          continue;
        }
        Path host = composeDir.resolve(source).normalize();
        mounts.put(target, host);
        checkHostPath(name + ": volume " + source, host);
      }
      checkScript(name, s, mounts);
    }
    return problems;
  }

  private void checkImage(String name, String image) {
    int colon = image.lastIndexOf(':');
    if (image.isEmpty() || colon < 0 || image.indexOf('/', colon) >= 0) {
      problems.add(name + ": image \"" + image + "\": expected a pinned tag (repository:version)");
      return;
    }
    String repository = image.substring(0, colon);
    String tag = image.substring(colon + 1);
    String[] expected = IMAGE_VERSIONS.get(repository);
    if (expected == null) {
      problems.add(name + ": image " + repository + ": no version rule for it in ComposeChecker.IMAGE_VERSIONS");
      return;
    }
    String want = expected[2] + property(expected[0]) + expected[1];
    if (!tag.equals(want)) {
      problems.add(name + ": image " + image + ": expected tag " + want + " (" + expected[0] + " in pom.xml)");
    }
  }

  private static String hostPort(JsonNode p) {
    if (p.isObject()) {
      return p.path("host_ip").asText("") + ":" + p.path("published").asText();
    }
    String[] parts = p.asText().split(":");
    // "8081" (random host port, never a clash), "8081:8081", "127.0.0.1:8081:8081"
    return parts.length == 3 ? parts[0] + ":" + parts[1] : parts.length == 2 ? ":" + parts[0] : "random:" + p.asText();
  }

  private void checkHostPath(String where, Path host) {
    if (!host.startsWith(root)) {
      problems.add(where + ": outside the repository (" + host + ")");
      return;
    }
    String rel = root.relativize(host).toString().replace('\\', '/');
    Matcher jar = JOB_JAR.matcher(rel);
    if (jar.matches()) {
      checkJobJar(where, jar.group(1), jar.group(2));
    } else if (!Files.exists(host)) {
      problems.add(where + ": " + rel + " does not exist in the repository");
    }
  }

  /** A jar from `mvn package`: the module exists, is built by the reactor, shades, and names its jar so. */
  private void checkJobJar(String where, String module, String file) {
    Path pomFile = root.resolve("jobs").resolve(module).resolve("pom.xml");
    if (!Files.isRegularFile(pomFile)) {
      problems.add(where + ": jobs/" + module + " is not a Maven module (no pom.xml)");
      return;
    }
    String rootPom = read(root.resolve("pom.xml"));
    if (!rootPom.contains("<module>jobs/" + module + "</module>")) {
      problems.add(where + ": jobs/" + module + " is not a module of the root pom.xml, so mvn package does not build it");
    }
    Element pom = pom(pomFile);
    String artifactId = child(pom, "artifactId");
    String finalName = pom.getElementsByTagName("finalName").getLength() > 0
        ? pom.getElementsByTagName("finalName").item(0).getTextContent().trim()
            .replace("${project.artifactId}", artifactId).replace("${project.version}", projectVersion)
        : artifactId + "-" + projectVersion;
    if (!file.equals(finalName + ".jar")) {
      problems.add(where + ": mvn package builds jobs/" + module + "/target/" + finalName + ".jar, not " + file);
    }
    if (!read(pomFile).contains("maven-shade-plugin")) {
      problems.add(where + ": jobs/" + module + " does not use maven-shade-plugin, so its jar is not a job jar");
    }
  }

  /**
   * The service's entrypoint script (a file under one of its mounts) and every path it names
   * relative to its working directory or under a mount: each must map to a mount and exist.
   */
  private void checkScript(String name, JsonNode s, Map<String, Path> mounts) {
    String script = null;
    for (JsonNode e : s.path("entrypoint")) {
      if (e.asText().endsWith(".sh")) {
        script = e.asText();
      }
    }
    if (script == null) {
      return;
    }
    Path scriptHost = toHost(script, mounts);
    if (scriptHost == null || !Files.isRegularFile(scriptHost)) {
      problems.add(name + ": entrypoint " + script + ": not a file mounted from the repository");
      return;
    }
    String workDir = s.path("working_dir").asText("/");
    String text = read(scriptHost);
    Set<String> seen = new TreeSet<>();
    for (String line : text.lines().toList()) {
      String code = line.replaceFirst("(^|\\s)#.*", "");
      Matcher m = SCRIPT_PATH.matcher(code);
      while (m.find()) {
        seen.add(m.group(1));
      }
    }
    for (String ref : seen) {
      String absolute = ref.startsWith("/") ? ref : workDir.replaceAll("/$", "") + "/" + ref;
      Path host = toHost(absolute, mounts);
      if (host == null) {
        if (!ref.startsWith("/") && ref.matches(".*\\.(sh|json|ya?ml|jar|ndjson)")) {
          problems.add(name + ": " + script + " uses " + ref + ", which is not under any mount of the service");
        }
        continue; // otherwise not a file: a media type, a URL path
      }
      String rel = root.relativize(host).toString().replace('\\', '/');
      if (notYetInRepo.containsKey(rel) || JOB_JAR.matcher(rel).matches()) {
        continue; // job jars are checked where they are mounted
      }
      if (ref.contains("*")) {
        if (globCount(host) == 0) {
          problems.add(name + ": " + script + " uses " + ref + ", which matches no file in " + root.relativize(host.getParent()));
        }
      } else if (!Files.exists(host)) {
        problems.add(name + ": " + script + " uses " + ref + ", which does not exist (" + rel + ")");
      }
    }
  }

  /** The host path behind a container path, through the longest matching mount; null when unmounted. */
  private static Path toHost(String containerPath, Map<String, Path> mounts) {
    String best = null;
    for (String target : mounts.keySet()) {
      if ((containerPath.equals(target) || containerPath.startsWith(target + "/"))
          && (best == null || target.length() > best.length())) {
        best = target;
      }
    }
    if (best == null) {
      return null;
    }
    String rest = containerPath.substring(best.length()).replaceFirst("^/", "");
    return rest.isEmpty() ? mounts.get(best) : mounts.get(best).resolve(rest).normalize();
  }

  private static long globCount(Path pattern) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
    try (Stream<Path> files = Files.list(pattern.getParent())) {
      return files.filter(f -> matcher.matches(f.getFileName())).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static Element pom(Path file) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
      return doc.getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
  }

  /** The text of a direct child element of the project (not of parent or dependencies). */
  private static String child(Element project, String tag) {
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    throw new IllegalStateException("pom without <" + tag + ">");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
