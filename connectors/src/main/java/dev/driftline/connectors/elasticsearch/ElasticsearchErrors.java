package dev.driftline.connectors.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** One-line descriptions of client failures, and which of them are worth retrying. */
final class ElasticsearchErrors {
  private ElasticsearchErrors() {}

  /** E.g. {@code connection refused}, {@code HTTP 401 security_exception: missing authentication credentials}. */
  static String describe(Throwable t) {
    Throwable e = unwrap(t);
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      } else if (c instanceof UnknownHostException) {
        return "unknown host " + c.getMessage();
      } else if (c instanceof NoRouteToHostException) {
        return "no route to host";
      } else if (c instanceof SSLException) {
        return "TLS failed: " + oneLine(c.getMessage());
      } else if (c instanceof SocketTimeoutException || c instanceof TimeoutException) {
        return "timed out";
      }
    }
    if (e instanceof ElasticsearchException es) {
      return "HTTP " + es.status() + " " + describe(es.error());
    }
    if (e instanceof TransportException te) {
      return "HTTP " + te.statusCode() + ": " + oneLine(te.getMessage());
    }
    return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
  }

  /** {@code type: reason}, e.g. {@code document_parsing_exception: [1:8] failed to parse field [n] of type [long]}. */
  static String describe(ErrorCause cause) {
    if (cause == null) {
      return "unknown error";
    }
    StringBuilder s = new StringBuilder(cause.type()).append(": ").append(oneLine(cause.reason()));
    // the useful words are often at the bottom: "No handler for type [nonsense] declared on field [x]"
    int depth = 0;
    for (ErrorCause c = cause.causedBy(); c != null && depth < 3; c = c.causedBy(), depth++) {
      s.append(" (caused by ").append(c.type()).append(": ").append(oneLine(c.reason())).append(')');
    }
    return s.toString();
  }

  /** Connection trouble, overload (429) and server errors (5xx) may pass; anything else will not. */
  static boolean isRetryable(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof ElasticsearchException es) {
      return isRetryableStatus(es.status());
    }
    if (e instanceof TransportException te) {
      return te.statusCode() <= 0 || isRetryableStatus(te.statusCode()) || te.getCause() instanceof java.io.IOException;
    }
    return e instanceof java.io.IOException;
  }

  static boolean isRetryableStatus(int status) {
    return status == 429 || status >= 500;
  }

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
