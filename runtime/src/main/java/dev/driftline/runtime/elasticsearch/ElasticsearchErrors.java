package dev.driftline.runtime.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** One-line descriptions of client failures, and which of them are worth retrying. */
final class ElasticsearchErrors {
  private ElasticsearchErrors() {}

  /**
   * As {@link #describe(Throwable)}, with what only the settings can tell: whom a 401 or 403 was
   * for, and whether an untrusted certificate was checked against a given CA. No secret in it.
   */
  static String describe(Throwable t, ElasticsearchConfig es) {
    Throwable e = unwrap(t);
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException
          || String.valueOf(c.getMessage()).contains("PKIX path building failed")) {
        return es.caCertificate() == null
            ? "certificate not trusted (PKIX path building failed); pass --es-ca-cert"
            : "certificate not trusted by the CA in " + es.caCertificate() + " (PKIX path building failed)";
      }
      if (c instanceof SSLPeerUnverifiedException
          || c instanceof CertificateException && String.valueOf(c.getMessage()).contains("subject alternative")) {
        return "certificate does not name this host (" + oneLine(c.getMessage()) + ")";
      }
    }
    int status = e instanceof ElasticsearchException ex ? ex.status() : e instanceof TransportException te ? te.statusCode() : 0;
    if (status == 401) {
      return "authentication failed (401) for " + es.principal();
    }
    if (status == 403) {
      String reason = e instanceof ElasticsearchException ex && ex.error() != null ? ": " + oneLine(ex.error().reason()) : "";
      return "not authorized (403) for " + es.principal() + reason;
    }
    return describe(t);
  }

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
