package dev.driftline.core.estimation;

/**
 * Platt scaling on the log-odds of a probability score: the maximum-likelihood logistic regression
 * {@code P(y = 1 | s) = sigmoid(slope · logit(s) + intercept)} of 0/1 labels, fitted by Newton's
 * method from (1, 0) (the identity), each step halved until the likelihood does not fall. Scores
 * are clipped to [{@link #EPSILON}, 1 − {@link #EPSILON}] before the logit. Deterministic; stateless.
 */
public final class PlattScaling {
  /** Scores are clipped this far inside (0, 1) before their log-odds. */
  public static final double EPSILON = 1e-6;
  private static final int MAX_ITERATIONS = 100;

  private PlattScaling() {}

  /** Fitted coefficients. */
  public record Fit(double slope, double intercept) {}

  /**
   * Fits {@code labels} on {@code scores} (probabilities in [0, 1]), at least one row. When the
   * classes are separable the likelihood has no maximum: the fit stops after {@value #MAX_ITERATIONS}
   * Newton steps with steep but finite coefficients.
   */
  public static Fit fit(double[] scores, boolean[] labels) {
    if (scores.length != labels.length || scores.length == 0) {
      throw new IllegalArgumentException("expected as many labels as scores, at least one, got "
          + scores.length + " and " + labels.length);
    }
    double[] x = new double[scores.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = logit(scores[i]);
    }
    double a = 1;
    double b = 0;
    double ll = logLikelihood(x, labels, a, b);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double ga = 0;
      double gb = 0;
      double haa = 0;
      double hab = 0;
      double hbb = 0;
      for (int i = 0; i < x.length; i++) {
        double p = sigmoid(a * x[i] + b);
        double r = (labels[i] ? 1 : 0) - p;
        double v = p * (1 - p);
        ga += r * x[i];
        gb += r;
        haa += v * x[i] * x[i];
        hab += v * x[i];
        hbb += v;
      }
      double det = haa * hbb - hab * hab;
      if (!(Math.abs(det) > 1e-300)) {
        break;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      double step = 1;
      double next = logLikelihood(x, labels, a + da, b + db);
      while (next < ll && step > 1e-10) {
        step /= 2;
        next = logLikelihood(x, labels, a + step * da, b + step * db);
      }
      if (next < ll) {
        break;
      }
      a += step * da;
      b += step * db;
      boolean converged = Math.abs(step * da) < 1e-12 * (1 + Math.abs(a)) && Math.abs(step * db) < 1e-12 * (1 + Math.abs(b));
      ll = next;
      if (converged) {
        break;
      }
    }
    return new Fit(a, b);
  }

  /** The calibrated probability of {@code score} under {@code (slope, intercept)}. */
  public static double apply(double slope, double intercept, double score) {
    return sigmoid(slope * logit(score) + intercept);
  }

  static double logit(double score) {
    double s = Math.min(Math.max(score, EPSILON), 1 - EPSILON);
    return Math.log(s / (1 - s));
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  private static double logLikelihood(double[] x, boolean[] labels, double a, double b) {
    double ll = 0;
    for (int i = 0; i < x.length; i++) {
      double z = a * x[i] + b;
      // log sigmoid(z) = -log1p(exp(-z)), computed without overflow on either side.
      double logP = z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
      double logQ = logP - z;
      ll += labels[i] ? logP : logQ;
    }
    return ll;
  }
}
