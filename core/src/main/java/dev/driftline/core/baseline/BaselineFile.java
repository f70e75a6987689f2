package dev.driftline.core.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.stats.PcaModel;
import java.util.List;
import java.util.Map;

/**
 * A model's drift baseline, as built by {@code driftline baseline build} and loaded by the jobs.
 *
 * @param format always {@link #FORMAT}; a reader rejects anything else
 * @param profileId identifies this baseline in every result that used it
 * @param specHash the {@code specHash} of the monitor spec it was built for
 * @param createdAt ISO-8601 instant
 * @param source where the training data came from
 * @param features per spec feature
 * @param score the prediction score column, when the training data had one
 * @param label the label column, when the training data had one
 * @param calibration of the score on the rows with both a score and a label (binary classifiers
 *     whose spec asks for performance estimation); absent from profiles built without those
 *     columns and from older profiles, which then give no estimated performance
 * @param pca the reconstruction-error model of the numeric features, when the spec asks for
 *     {@code pca}; absent from other and from older profiles, which then give no
 *     {@code pca_reconstruction} result
 * @param classCalibrations a multiclass classifier's one-vs-rest calibration of each class's
 *     probability, in the order of the spec's {@code classes} (see {@link
 *     dev.driftline.core.estimation.MulticlassEstimator#fit}), fitted on the rows with every class's
 *     probability and a label when the spec estimates performance; absent from other and from
 *     older profiles, which then give no estimated performance
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BaselineFile(
    String format,
    String profileId,
    String modelId,
    String specHash,
    String createdAt,
    String source,
    long rows,
    Map<String, FeatureBaseline> features,
    FeatureBaseline score,
    FeatureBaseline label,
    ScoreCalibration calibration,
    String triggerId,
    PcaModel pca,
    List<ScoreCalibration> classCalibrations) {

  public static final String FORMAT = "driftline-profile/1";

  /** A profile without class calibrations (a binary classifier's or a regressor's). */
  public BaselineFile(String format, String profileId, String modelId, String specHash, String createdAt,
      String source, long rows, Map<String, FeatureBaseline> features, FeatureBaseline score, FeatureBaseline label,
      ScoreCalibration calibration, String triggerId, PcaModel pca) {
    this(format, profileId, modelId, specHash, createdAt, source, rows, features, score, label, calibration, triggerId,
        pca, null);
  }

  /** This profile, recorded as the answer to the retrain trigger {@code triggerId}. */
  public BaselineFile answering(String triggerId) {
    return new BaselineFile(format, profileId, modelId, specHash, createdAt, source, rows, features, score, label,
        calibration, triggerId, pca, classCalibrations);
  }
}
