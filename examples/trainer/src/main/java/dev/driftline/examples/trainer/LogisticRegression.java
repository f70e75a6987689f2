package dev.driftline.examples.trainer;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * L2-regularized logistic regression fitted by iteratively reweighted least squares (Newton's
 * method), with Commons Math doing the linear algebra. The first coefficient is the intercept.
 */
public final class LogisticRegression {
  private final double[] coefficients;

  private LogisticRegression(double[] coefficients) {
    this.coefficients = coefficients;
  }

  /** Fits {@code y} (0/1) on the rows of {@code x} (no intercept column; it is added). */
  public static LogisticRegression fit(double[][] x, double[] y, double l2, int iterations) {
    int n = x.length;
    int p = x[0].length + 1;
    RealVector beta = new ArrayRealVector(p);
    for (int iter = 0; iter < iterations; iter++) {
      RealMatrix hessian = new Array2DRowRealMatrix(p, p);
      RealVector gradient = new ArrayRealVector(p);
      for (int i = 0; i < n; i++) {
        double[] row = withIntercept(x[i]);
        double mu = sigmoid(dot(beta.toArray(), row));
        double w = Math.max(mu * (1 - mu), 1e-9);
        for (int a = 0; a < p; a++) {
          gradient.addToEntry(a, (y[i] - mu) * row[a]);
          for (int b = a; b < p; b++) {
            hessian.addToEntry(a, b, w * row[a] * row[b]);
          }
        }
      }
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < a; b++) {
          hessian.setEntry(a, b, hessian.getEntry(b, a)); // exactly symmetric, as Cholesky requires
        }
      }
      for (int a = 1; a < p; a++) {
        hessian.addToEntry(a, a, l2);
        gradient.addToEntry(a, -l2 * beta.getEntry(a));
      }
      RealVector step = new CholeskyDecomposition(hessian).getSolver().solve(gradient);
      beta = beta.add(step);
      if (step.getNorm() < 1e-8) {
        break;
      }
    }
    return new LogisticRegression(beta.toArray());
  }

  public double predict(double[] features) {
    return sigmoid(dot(coefficients, withIntercept(features)));
  }

  public double[] coefficients() {
    return coefficients.clone();
  }

  private static double[] withIntercept(double[] x) {
    double[] row = new double[x.length + 1];
    row[0] = 1;
    System.arraycopy(x, 0, row, 1, x.length);
    return row;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
