package dev.driftline.runtime.options;

import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How to authenticate to Elasticsearch and whom to trust, as options every job and command that
 * reads or writes Elasticsearch takes (a picocli mixin). Each falls back to its {@code DRIFTLINE_ES_*}
 * variable. Secrets can come from files ({@code --es-password-file}, {@code --es-api-key-file}) so
 * that they are neither in the process list nor in anything that logs program arguments.
 */
public final class ElasticsearchOptions {
  @Option(names = "--es-api-key", paramLabel = "KEY",
      description = "Elasticsearch API key, encoded (default: $DRIFTLINE_ES_API_KEY); prefer --es-api-key-file.")
  public String apiKey;

  @Option(names = "--es-api-key-file", paramLabel = "FILE",
      description = "Read the Elasticsearch API key from FILE (default: $DRIFTLINE_ES_API_KEY_FILE).")
  public Path apiKeyFile;

  @Option(names = "--es-username", paramLabel = "USER", description = "Elasticsearch user (default: $DRIFTLINE_ES_USERNAME).")
  public String username;

  @Option(names = "--es-password", paramLabel = "PASSWORD",
      description = "Elasticsearch password (default: $DRIFTLINE_ES_PASSWORD); prefer --es-password-file.")
  public String password;

  @Option(names = "--es-password-file", paramLabel = "FILE",
      description = "Read the Elasticsearch password from FILE (default: $DRIFTLINE_ES_PASSWORD_FILE).")
  public Path passwordFile;

  @Option(names = "--es-ca-cert", paramLabel = "PEM", description = "CA certificate for Elasticsearch TLS (default: $DRIFTLINE_ES_CA_CERT).")
  public String caCert;

  /** The settings for {@code urls} (comma-separated), from these options and this process's environment. */
  public ElasticsearchConfig config(String urls) {
    return config(urls, System.getenv());
  }

  /**
   * The settings for {@code urls}: an option beats its variable; a secret given both directly and
   * as a file (as options, or as variables) is an error.
   *
   * @throws IllegalArgumentException one line naming the option, never a secret
   */
  public ElasticsearchConfig config(String urls, Map<String, String> env) {
    String key = SecretFiles.either("--es-api-key", apiKey, "--es-api-key-file", apiKeyFile);
    if (key == null) {
      key = fromEnvironment(env, ElasticsearchConfig.ENV_API_KEY, ElasticsearchConfig.ENV_API_KEY_FILE);
    }
    String pass = SecretFiles.either("--es-password", password, "--es-password-file", passwordFile);
    if (pass == null) {
      pass = fromEnvironment(env, ElasticsearchConfig.ENV_PASSWORD, ElasticsearchConfig.ENV_PASSWORD_FILE);
    }
    return ElasticsearchConfig.fromArgs(urls, key, username != null ? username : env.get(ElasticsearchConfig.ENV_USERNAME),
        pass, caCert != null ? caCert : env.get(ElasticsearchConfig.ENV_CA_CERT));
  }

  private static String fromEnvironment(Map<String, String> env, String variable, String fileVariable) {
    String file = env.get(fileVariable);
    return SecretFiles.either("$" + variable, env.get(variable), "$" + fileVariable, file == null || file.isBlank() ? null : Path.of(file));
  }
}
