package dev.driftline.runtime.elasticsearch;

/** The sink gives up: Elasticsearch keeps failing, or failed in a way no retry fixes. Fails the job. */
public final class ElasticsearchSinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ElasticsearchSinkException(String message) {
    super(message);
  }

  public ElasticsearchSinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
