package dev.driftline.core.synth;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded synthetic traffic for the example credit-default classifier: twelve features, the model's
 * score and the true label. Used by the examples, the demo and tests; deterministic per seed.
 */
public final class CreditDefaultData {
  public static final List<String> COLUMNS = List.of(
      "ts", "prediction_id", "entity_id", "segment", "age", "income", "debt_to_income",
      "credit_utilization", "num_open_accounts", "num_late_payments_12m", "months_employed",
      "loan_amount", "loan_term", "home_ownership", "loan_purpose", "employment_type", "score", "label");

  private static final String[] HOME = {"RENT", "MORTGAGE", "OWN", "OTHER"};
  private static final double[] HOME_P = {0.45, 0.38, 0.15, 0.02};
  private static final String[] PURPOSE = {"debt_consolidation", "credit_card", "home_improvement", "car", "medical", "business"};
  private static final double[] PURPOSE_P = {0.46, 0.22, 0.12, 0.10, 0.05, 0.05};
  private static final double[] PURPOSE_DRIFT_P = {0.25, 0.20, 0.10, 0.10, 0.15, 0.20};
  private static final String[] EMPLOYMENT = {"salaried", "self_employed", "contract", "unemployed"};
  private static final double[] EMPLOYMENT_P = {0.70, 0.15, 0.12, 0.03};
  private static final String[] SEGMENT = {"retail", "premium"};

  /** What differs from the training distribution. */
  public enum Shift {
    /** Same distribution as training. */
    NONE,
    /** Incomes fall by a quarter and the loan purpose mix changes. */
    INCOME_AND_PURPOSE
  }

  private final SplittableRandom random;
  private final Shift shift;
  private long next;

  public CreditDefaultData(long seed, Shift shift) {
    this.random = new SplittableRandom(seed);
    this.shift = shift;
  }

  /** Writes a header and {@code rows} rows, event times from {@code startMillis} one second apart. */
  public void writeCsv(Writer out, int rows, long startMillis) throws IOException {
    out.write(String.join(",", COLUMNS));
    out.write('\n');
    for (int i = 0; i < rows; i++) {
      out.write(String.join(",", row(startMillis + 1000L * i)));
      out.write('\n');
    }
  }

  /**
   * Writes a CSV file of {@code rows} rows drawn with {@code seed} and {@code shift}, event times
   * from 0 one second apart, and returns it.
   */
  public static Path writeCsv(Path file, long seed, Shift shift, int rows) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      new CreditDefaultData(seed, shift).writeCsv(w, rows, 0L);
    }
    return file;
  }

  /** One row, in {@link #COLUMNS} order. */
  public List<String> row(long tsMillis) {
    boolean drifted = shift == Shift.INCOME_AND_PURPOSE;
    double age = clamp(Math.round(38 + 11 * random.nextGaussian()), 18, 85);
    double income = Math.exp(10.9 + 0.45 * random.nextGaussian()) * (drifted ? 0.75 : 1.0);
    double dti = clamp(0.18 + 0.09 * random.nextGaussian(), 0, 0.9);
    double utilization = clamp(beta2(2, 3), 0, 1);
    double openAccounts = poisson(7);
    double late = poisson(0.4);
    double monthsEmployed = Math.max(0, Math.round(-60 * Math.log(1 - random.nextDouble())));
    double loanAmount = Math.round(Math.exp(9.3 + 0.6 * random.nextGaussian()));
    String term = random.nextDouble() < 0.7 ? "36" : "60";
    String home = pick(HOME, HOME_P);
    String purpose = pick(PURPOSE, drifted ? PURPOSE_DRIFT_P : PURPOSE_P);
    String employment = pick(EMPLOYMENT, EMPLOYMENT_P);
    String segment = income > 90_000 ? SEGMENT[1] : SEGMENT[0];

    double logit = -2.2 + 3.2 * (dti - 0.18) + 2.0 * (utilization - 0.4) + 0.55 * late
        - 0.6 * (Math.log(income) - 10.9) - 0.01 * (age - 38) + 0.3 * ("60".equals(term) ? 1 : 0)
        + ("unemployed".equals(employment) ? 1.2 : 0) + ("medical".equals(purpose) ? 0.4 : 0);
    double truth = sigmoid(logit);
    // The deployed model saw the same features but is slightly miscalibrated, as real ones are.
    double score = sigmoid(0.9 * logit + 0.25 * random.nextGaussian());
    String label = random.nextDouble() < truth ? "1" : "0";
    long id = next++;
    return List.of(Long.toString(tsMillis), "p-" + id, "c-" + random.nextInt(5000), segment,
        num(age), num(income), num(dti), num(utilization), num(openAccounts), num(late),
        num(monthsEmployed), num(loanAmount), term, home, purpose, employment, num(score), label);
  }

  private String pick(String[] values, double[] p) {
    double u = random.nextDouble();
    double c = 0;
    for (int i = 0; i < values.length; i++) {
      c += p[i];
      if (u < c) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private double poisson(double mean) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private double beta2(int a, int b) {
    double x = gammaInt(a);
    double y = gammaInt(b);
    return x / (x + y);
  }

  private double gammaInt(int shape) {
    double s = 0;
    for (int i = 0; i < shape; i++) {
      s -= Math.log(1 - random.nextDouble());
    }
    return s;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
  }
}
