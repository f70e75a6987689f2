package dev.driftline.runtime.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/** One-line descriptions of Kafka client failures, naming whom a refused login was for and never a secret. */
public final class KafkaErrors {
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private KafkaErrors() {}

  /**
   * E.g. {@code Kafka at 127.0.0.1:9092: authentication failed (SCRAM-SHA-256) for user "driftline"},
   * {@code Kafka at 127.0.0.1:9092: did not answer (Timed out waiting for a node assignment. Call: listTopics)}.
   */
  public static String describe(Throwable error, KafkaConfig kafka) {
    return "Kafka at " + kafka.bootstrapServers() + ": " + cause(error, kafka);
  }

  static String cause(Throwable error, KafkaConfig kafka) {
    Throwable e = error;
    while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
      e = e.getCause();
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SslAuthenticationException) {
        return "TLS handshake failed (" + oneLine(rootMessage(c)) + ")";
      }
      if (c instanceof AuthenticationException) {
        String user = username(kafka);
        return "authentication failed (" + mechanism(kafka) + ")" + (user == null ? "" : " for user \"" + user + "\"");
      }
      if (c instanceof AuthorizationException) {
        String user = username(kafka);
        return "not authorized" + (user == null ? "" : " for user \"" + user + "\"") + ": " + oneLine(c.getMessage());
      }
      if (c instanceof TimeoutException || c instanceof java.util.concurrent.TimeoutException) {
        return c.getMessage() == null ? "did not answer" : "did not answer (" + oneLine(c.getMessage()) + ")";
      }
    }
    return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
  }

  /** The SASL user in {@code sasl.jaas.config}, or null without one. */
  static String username(KafkaConfig kafka) {
    Object jaas = kafka.clientProperties().get("sasl.jaas.config");
    if (jaas == null) {
      return null;
    }
    Matcher m = JAAS_USERNAME.matcher(jaas.toString());
    return m.find() ? m.group(1) : null;
  }

  private static String mechanism(KafkaConfig kafka) {
    Object protocol = kafka.clientProperties().get("security.protocol");
    if (protocol != null && protocol.toString().startsWith("SASL")) {
      return "SASL " + kafka.clientProperties().getProperty("sasl.mechanism", "GSSAPI");
    }
    return String.valueOf(protocol == null ? "PLAINTEXT" : protocol);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage();
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
