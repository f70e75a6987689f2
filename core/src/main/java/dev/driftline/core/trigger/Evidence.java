package dev.driftline.core.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * One fact behind an alert or trigger: which condition, which window, which feature or metric,
 * the value seen and the threshold it crossed. Fields that do not apply are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evidence(
    String condition,
    String windowStart,
    String windowEnd,
    String feature,
    String test,
    String metric,
    Double value,
    Double threshold,
    Double labelCoverage) implements Serializable {}
