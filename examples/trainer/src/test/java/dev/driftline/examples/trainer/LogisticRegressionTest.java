package dev.driftline.examples.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
  /**
   * The Python trainer's scikit-learn model with the same penalty: L2 of weight 1 on the
   * coefficients, none on the intercept. Both example trainers fit the same model.
   * <pre>
   * from sklearn.linear_model import LogisticRegression
   * m = LogisticRegression(C=1.0, tol=1e-12, max_iter=10000).fit(x, y)
   * m.intercept_[0], m.coef_[0]   # -0.3949792136057035, [1.0934481324712013, 0.7974646254853557]
   * </pre>
   * Equal within 1e-6: scikit-learn's lbfgs stops there, Newton's method here goes further.
   */
  @Test
  void fitsTheCoefficientsOfScikitLearnsLogisticRegressionWithCOne() {
    double[][] x = {{-1.5, 0.2}, {-0.7, -1.1}, {-0.2, 0.9}, {0.1, -0.4}, {0.4, 1.3}, {0.9, -0.8}, {1.3, 0.5}, {2.0, -0.1},
        {-1.1, 1.6}, {0.6, 0.0}};
    double[] y = {0, 0, 1, 0, 1, 0, 1, 1, 0, 1};
    double[] beta = LogisticRegression.fit(x, y, 1.0, 50).coefficients();
    assertThat(beta[0]).isCloseTo(-0.3949792136057035, within(1e-6));
    assertThat(beta[1]).isCloseTo(1.0934481324712013, within(1e-6));
    assertThat(beta[2]).isCloseTo(0.7974646254853557, within(1e-6));
  }
}
