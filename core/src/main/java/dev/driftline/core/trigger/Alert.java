package dev.driftline.core.trigger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An alert for people, written to the {@code alerts} topic and the {@code driftline-alerts} index.
 *
 * @param severity {@code warning} (moderate drift, one bad window) or {@code critical} (a retrain
 *     trigger)
 * @param kind the condition, e.g. {@code dataset_drift}, {@code psi_limit}, {@code performance}
 * @param triggerId the trigger this alert announces, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
    String alertId,
    String severity,
    String kind,
    String modelId,
    String segment,
    String message,
    String triggerId,
    String windowStart,
    String windowEnd,
    String createdAt,
    String policyVersion,
    List<Evidence> evidence) {

  @JsonIgnore
  public String id() {
    return alertId;
  }
}
