package dev.driftline.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch as production runs it: security on, https only, a file-realm
 * user and an API key. Like {@link ElasticsearchNode} it is unpacked from the distribution the
 * build resolved into a temporary directory that {@link #close()} deletes; before the first start
 * the distribution's own tools make the rest:
 *
 * <ul>
 *   <li>{@code elasticsearch-certutil ca --pem}: a CA made for this node only ({@link #caCertificate()});
 *   <li>{@code elasticsearch-certutil cert --pem}: the node's certificate, signed by it, for
 *       {@code localhost} and {@code 127.0.0.1};
 *   <li>a second, unrelated CA ({@link #otherCaCertificate()}), to see a certificate not trusted;
 *   <li>{@code elasticsearch-users useradd}: user {@value #USERNAME} (role {@code superuser}) with a
 *       random password unique to this node ({@link #password()});
 * </ul>
 *
 * The password is not logged.
 *
 * <p>No API keys: they live in the {@code .security} index, whose mapping needs the
 * {@code analysis-common} module, which this distribution (the integration-test zip) lacks; a request
 * with an API key is refused with 401 like any unknown key. Not thread-safe; a shutdown hook stops the node if the JVM exits first.
 */
public final class SecuredElasticsearchNode implements AutoCloseable {
  public static final String USERNAME = "driftline";
  private static final Logger LOG = LoggerFactory.getLogger(SecuredElasticsearchNode.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

  private final Path workDir;
  private final Path logFile;
  private final int httpPort;
  private final String password;
  private final Process process;
  private final StopOnExit stopper;
  private final HttpClient http;

  private SecuredElasticsearchNode(Path workDir, Path logFile, int httpPort, String password, Process process) {
    this.workDir = workDir;
    this.logFile = logFile;
    this.httpPort = httpPort;
    this.password = password;
    this.process = process;
    this.stopper = new StopOnExit("driftline-secured-es-shutdown", this::stop);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .sslContext(trusting(caCertificate())).build();
  }

  /**
   * Makes the certificates and the user, starts the node and waits (at most 150 s) until it
   * answers an authenticated health request with green or yellow. Its console
   * output goes to {@code logDir/elasticsearch-secured-<httpPort>.log}.
   */
  public static SecuredElasticsearchNode start(Path logDir) throws IOException, InterruptedException {
    Path javaHome = ElasticsearchNode.javaHome();
    long t0 = System.nanoTime();
    Path workDir = Files.createTempDirectory("driftline-es-secured-");
    try {
      ElasticsearchNode.Install install = ElasticsearchNode.Install.unpack(ElasticsearchNode.distributionZip(), workDir);
      Path home = install.home();
      Path tmp = install.tmp();
      Path certs = Files.createDirectories(home.resolve("config/certs"));
      String password = "pw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

      Path tools = Files.createDirectories(workDir.resolve("tools"));
      tool(home, javaHome, tmp, "elasticsearch-certutil", "ca", "--pem", "--days", "30", "--out", tools.resolve("ca.zip").toString());
      unzip(tools.resolve("ca.zip"), tools);
      tool(home, javaHome, tmp, "elasticsearch-certutil", "cert", "--pem", "--days", "30",
          "--ca-cert", tools.resolve("ca/ca.crt").toString(), "--ca-key", tools.resolve("ca/ca.key").toString(),
          "--name", "node", "--dns", "localhost", "--ip", "127.0.0.1", "--out", tools.resolve("node.zip").toString());
      unzip(tools.resolve("node.zip"), tools);
      Files.createDirectories(tools.resolve("other"));
      tool(home, javaHome, tmp, "elasticsearch-certutil", "ca", "--pem", "--days", "30", "--ca-dn", "CN=Some Other CA",
          "--out", tools.resolve("other/ca.zip").toString());
      unzip(tools.resolve("other/ca.zip"), tools.resolve("other"));
      for (String f : List.of("ca/ca.crt", "node/node.crt", "node/node.key")) {
        Files.copy(tools.resolve(f), certs.resolve(Paths.get(f).getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      tool(home, javaHome, tmp, "elasticsearch-users", "useradd", USERNAME, "-p", password, "-r", "superuser");

      boolean root = ElasticsearchNode.currentUid() == 0;
      if (root) {
        run(List.of("chown", "-R", ElasticsearchNode.NOBODY + ":" + ElasticsearchNode.NOBODY, workDir.toString()),
            Map.of());
      }
      int port = ServiceLocations.freePort();
      int transportPort = ServiceLocations.freePort();
      Files.createDirectories(logDir);
      Path logFile = logDir.resolve("elasticsearch-secured-" + port + ".log");
      ProcessBuilder pb = install.launcher(javaHome, logFile, root, port, transportPort,
          "xpack.security.enabled=true",
          "xpack.security.http.ssl.enabled=true",
          "xpack.security.http.ssl.certificate=certs/node.crt",
          "xpack.security.http.ssl.key=certs/node.key",
          "xpack.security.http.ssl.certificate_authorities=certs/ca.crt",
          "xpack.security.enrollment.enabled=false");
      SecuredElasticsearchNode node = new SecuredElasticsearchNode(workDir, logFile, port, password, pb.start());
      try {
        node.awaitReady();
      } catch (IOException | InterruptedException | RuntimeException e) {
        node.close();
        throw e;
      }
      LOG.info("secured Elasticsearch at {} ready after {} ms (user {}, log: {})", node.httpsUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), USERNAME, logFile);
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      ElasticsearchNode.deleteRecursively(workDir);
      throw e;
    }
  }

  /** {@code https://localhost:<port>}: the name the certificate is for, as a client would use it. */
  public String httpsUrl() {
    return "https://localhost:" + httpPort;
  }

  /** The CA that signed the node's certificate (PEM). */
  public Path caCertificate() {
    return workDir.resolve("tools/ca/ca.crt");
  }

  /** A CA that did not sign it (PEM). */
  public Path otherCaCertificate() {
    return workDir.resolve("tools/other/ca/ca.crt");
  }

  public String username() {
    return USERNAME;
  }

  /** The user's password: random, unique to this node. */
  public String password() {
    return password;
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * An authenticated request as the user, for test setup and checks: e.g. {@code ("PUT",
   * "/my-index/_doc/1?refresh=true", json)}; returns the body, fails on a status other than 2xx.
   */
  public String request(String method, String path, String jsonBody) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpsUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", basicAuth()).header("Content-Type", "application/json")
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " on " + httpsUrl() + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Stops the node, waits for it to exit and deletes its files (the CA files too). */
  @Override
  public void close() {
    stopper.close();
  }

  private synchronized void stop() {
    ProcessTrees.destroy(process);
    ElasticsearchNode.deleteRecursively(workDir);
  }

  private String basicAuth() {
    return "Basic " + Base64.getEncoder().encodeToString((USERNAME + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpRequest health = HttpRequest.newBuilder(URI.create(httpsUrl() + "/_cluster/health"))
        .header("Authorization", basicAuth()).timeout(Duration.ofSeconds(5)).GET().build();
    ElasticsearchNode.awaitHealthy("secured Elasticsearch", httpsUrl(), process, http, health, logFile, READY_TIMEOUT);
  }

  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(pem + ": " + e.getMessage(), e);
    }
  }

  /** Runs one of the distribution's command-line tools (bin/NAME ARGS), on the Java for Elasticsearch. */
  private static void tool(Path home, Path javaHome, Path tmp, String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin").resolve(name).toString());
    command.addAll(List.of(args));
    Map<String, String> env = new java.util.HashMap<>();
    ElasticsearchNode.environment(env, javaHome, tmp);
    // The tools are JVMs too; a small heap keeps three of them quick on a busy machine.
    env.put("CLI_JAVA_OPTS", "-Xms64m -Xmx256m -XX:TieredStopAtLevel=1");
    run(command, env);
  }

  /** Runs {@code command}; the failure message shows the command's name and output, not its arguments (a password is one). */
  private static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      ProcessTrees.destroy(p);
      throw new IOException(Paths.get(command.get(0)).getFileName() + ": no exit after 120 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(Paths.get(command.get(0)).getFileName() + " " + command.get(1) + ": exit " + p.exitValue() + ": " + out);
    }
  }

  private static void unzip(Path zip, Path dir) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException(zip + ": entry outside the archive root: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
