package dev.driftline.core.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A decision that a model must be retrained, for the trainers on the {@code retrain-triggers}
 * topic. Its id is deterministic (model, segment, window and policy version), so a replay
 * produces the same trigger and consumers can drop repeats.
 *
 * @param reasons one line per condition that fired
 * @param evidence the windows, features, statistics and thresholds behind the reasons
 * @param referenceId the baseline the drift was measured against
 * @param trainingFrom suggested start of the training data (ISO-8601): the earliest window in the evidence
 * @param trainingTo suggested end of the training data (ISO-8601): the end of the deciding window
 * @param policyVersion the spec hash the policy came from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrainTrigger(
    String triggerId,
    String modelId,
    String segment,
    List<String> reasons,
    List<Evidence> evidence,
    String referenceId,
    String trainingFrom,
    String trainingTo,
    String createdAt,
    String policyVersion) {}
