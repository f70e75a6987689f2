package dev.driftline.runtime.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * How to reach an Elasticsearch cluster: node URLs, optional credentials (an API key, or a
 * username and password) and an optional CA certificate (PEM) to trust for https. Immutable,
 * serializable and validated when built; {@link #toString()} and every error message leave the
 * secrets out.
 */
public final class ElasticsearchConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String ENV_URLS = "DRIFTLINE_ES_URLS";
  public static final String ENV_API_KEY = "DRIFTLINE_ES_API_KEY";
  public static final String ENV_USERNAME = "DRIFTLINE_ES_USERNAME";
  public static final String ENV_PASSWORD = "DRIFTLINE_ES_PASSWORD";
  public static final String ENV_CA_CERT = "DRIFTLINE_ES_CA_CERT";
  /** A file holding the API key, for deployments that mount secrets as files. */
  public static final String ENV_API_KEY_FILE = "DRIFTLINE_ES_API_KEY_FILE";
  /** A file holding the password. */
  public static final String ENV_PASSWORD_FILE = "DRIFTLINE_ES_PASSWORD_FILE";

  private final List<String> urls;
  private final String apiKey;
  private final String username;
  private final String password;
  private final String caCertificate;

  private ElasticsearchConfig(List<String> urls, String apiKey, String username, String password, String caCertificate) {
    this.urls = List.copyOf(urls);
    this.apiKey = blankToNull(apiKey);
    this.username = blankToNull(username);
    this.password = password == null || password.isEmpty() ? null : password;
    this.caCertificate = blankToNull(caCertificate);
    if (this.urls.isEmpty()) {
      throw new IllegalArgumentException("Elasticsearch URLs: expected http(s)://host:port[,...], got nothing");
    }
    this.urls.forEach(ElasticsearchConfig::checkUrl);
    if (this.apiKey != null && (this.username != null || this.password != null)) {
      throw new IllegalArgumentException("Elasticsearch credentials: expected an API key or a username/password, got both");
    }
    if ((this.username == null) != (this.password == null)) {
      throw new IllegalArgumentException("Elasticsearch credentials: expected a username and a password, got only the "
          + (this.username == null ? "password" : "username"));
    }
  }

  /** No credentials, no custom CA. */
  public static ElasticsearchConfig of(String... urls) {
    return new ElasticsearchConfig(List.of(urls), null, null, null, null);
  }

  /**
   * From command-line style values; {@code urls} is comma-separated, every other argument may be
   * null or blank for "not given".
   */
  public static ElasticsearchConfig fromArgs(String urls, String apiKey, String username, String password, String caCertificate) {
    return new ElasticsearchConfig(splitUrls(urls), apiKey, username, password, caCertificate);
  }

  /** From {@value #ENV_URLS} (comma-separated) and the other {@code DRIFTLINE_ES_*} variables of {@code env}. */
  public static ElasticsearchConfig fromEnvironment(Map<String, String> env) {
    return fromArgs(env.get(ENV_URLS), env.get(ENV_API_KEY), env.get(ENV_USERNAME), env.get(ENV_PASSWORD), env.get(ENV_CA_CERT));
  }

  /** {@link #fromEnvironment(Map)} of this process's environment. */
  public static ElasticsearchConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public ElasticsearchConfig withApiKey(String key) {
    return new ElasticsearchConfig(urls, key, null, null, caCertificate);
  }

  public ElasticsearchConfig withBasicAuth(String user, String pass) {
    return new ElasticsearchConfig(urls, null, user, pass, caCertificate);
  }

  public ElasticsearchConfig withCaCertificate(String pemPath) {
    return new ElasticsearchConfig(urls, apiKey, username, password, pemPath);
  }

  public List<String> urls() {
    return urls;
  }

  /** The URLs joined by commas, for messages. */
  public String describeUrls() {
    return String.join(",", urls);
  }

  /**
   * Who the requests authenticate as, for messages: {@code user "driftline"}, {@code API key
   * "VuaCfGcBCdbkQm-e5aOx"} (the key's id, not its secret) or {@code no credentials}.
   */
  public String principal() {
    if (username != null) {
      return "user \"" + username + "\"";
    }
    if (apiKey != null) {
      String id = apiKeyId(apiKey);
      return id == null ? "the API key" : "API key \"" + id + "\"";
    }
    return "no credentials";
  }

  /** The CA certificate file given to trust, or null for the JVM's default trust store. */
  public String caCertificate() {
    return caCertificate;
  }

  /**
   * One line for a failed request, naming the URLs and the cause without any secret: e.g.
   * {@code Elasticsearch at https://es:9200: authentication failed (401) for user "driftline"} or
   * {@code Elasticsearch at https://es:9200: certificate not trusted (PKIX path building failed); pass --es-ca-cert}.
   */
  public String failure(Throwable error) {
    return "Elasticsearch at " + describeUrls() + ": " + ElasticsearchErrors.describe(error, this);
  }

  /** The id in an encoded API key ({@code base64(id:secret)}), or null when it is not in that form. */
  private static String apiKeyId(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String id = colon > 0 ? decoded.substring(0, colon) : null;
      return id != null && id.matches("[A-Za-z0-9_-]{1,64}") ? id : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /**
   * A blocking client over a new {@link Rest5Client}; close it (it owns the HTTP connections).
   *
   * @throws IllegalArgumentException when the CA certificate cannot be read
   */
  public ElasticsearchClient newClient() {
    return new ElasticsearchClient(newTransport());
  }

  /** Like {@link #newClient()}, with futures instead of blocking calls. */
  public ElasticsearchAsyncClient newAsyncClient() {
    return new ElasticsearchAsyncClient(newTransport());
  }

  private Rest5ClientTransport newTransport() {
    Rest5ClientBuilder builder = Rest5Client.builder(urls.stream().map(URI::create).toList());
    List<Header> headers = new ArrayList<>();
    if (apiKey != null) {
      headers.add(new BasicHeader("Authorization", "ApiKey " + apiKey));
    }
    if (username != null) {
      String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      headers.add(new BasicHeader("Authorization", "Basic " + basic));
    }
    if (!headers.isEmpty()) {
      builder.setDefaultHeaders(headers.toArray(new Header[0]));
    }
    if (caCertificate != null) {
      builder.setSSLContext(sslContextTrusting(Paths.get(caCertificate)));
    }
    return new Rest5ClientTransport(builder.build(), new JacksonJsonpMapper());
  }

  static SSLContext sslContextTrusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("Elasticsearch CA certificate " + pem + ": no certificate in it");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException e) {
      throw new IllegalArgumentException("Elasticsearch CA certificate " + pem + ": cannot read: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Elasticsearch CA certificate " + pem + ": not a PEM X.509 certificate: " + e.getMessage(), e);
    }
  }

  private static List<String> splitUrls(String urls) {
    List<String> out = new ArrayList<>();
    if (urls != null) {
      for (String u : urls.split(",")) {
        if (!u.isBlank()) {
          out.add(u.trim());
        }
      }
    }
    return out;
  }

  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Elasticsearch URL: expected http(s)://host:port, got \"" + redact(url) + "\"");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("Elasticsearch URL: credentials in the URL are not accepted, got \"" + redact(url)
          + "\" (use " + ENV_USERNAME + "/" + ENV_PASSWORD + " or " + ENV_API_KEY + ")");
    }
    boolean path = uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/");
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || path || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("Elasticsearch URL: expected http(s)://host:port, got \"" + redact(url) + "\"");
    }
  }

  /** {@code url} without anything between "://" and "@", which may be a password. */
  private static String redact(String url) {
    return url.replaceAll("(?<=://)[^/@]*@", "****@");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "ElasticsearchConfig{urls=" + describeUrls()
        + ", auth=" + (apiKey != null ? "api-key" : username != null ? "basic(" + username + ")" : "none")
        + (caCertificate != null ? ", ca=" + caCertificate : "") + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ElasticsearchConfig c && urls.equals(c.urls) && Objects.equals(apiKey, c.apiKey)
        && Objects.equals(username, c.username) && Objects.equals(password, c.password)
        && Objects.equals(caCertificate, c.caCertificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(urls, apiKey, username, password, caCertificate);
  }
}
