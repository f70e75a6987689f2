package dev.driftline.core.synth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.FieldNames;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.NumericHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.math3.special.Erf;

/**
 * Synthetic traffic of a monitored model: predictions and their delayed labels, merged into one
 * stream in event-time order, deterministic per {@link TrafficConfig#seed()}.
 *
 * <p>Prediction {@code i} (0-based) has a time drawn uniformly within its slot
 * {@code [start + i/rate, start + (i+1)/rate)}, so there are exactly {@link TrafficConfig#predictions()}
 * of them, in order, all before the end. Its label, unless it is among the {@code labelMissing}
 * fraction that never get one, follows after an exponential delay with mean {@code labelDelay}; labels
 * may fall after the end of the run. A label never precedes its prediction; on equal times the
 * prediction comes first. Memory is bounded by the labels waiting to be due (about
 * {@code rate × labelDelay}), not by the length of the run.
 *
 * <p>The "true" model: {@code eta = intercept + Σ w·z + Σ effect(category)} over standardized
 * numeric features {@code z} (clipped to ±5) and per-category effects, with fixed seeded
 * coefficients scaled so that the signal has variance 2. For binary classification the label is
 * Bernoulli(sigmoid(eta)) and the deployed model's score sigmoid(0.9·eta + 0.3·noise); for
 * regression the label is {@code 100 + 10·(eta + 0.5·noise)} and the score {@code 100 + 10·0.9·eta}
 * plus noise. For multiclass classification each class {@code c} of the spec's {@code classes} has a
 * signal of its own (seeded weights and category effects, variance {@value #CLASS_SIGNAL_VARIANCE}),
 * the scores are {@code softmax(log prior(c) + signal(c))} with the prior {@code ∝ 1/(c+1)²}, and the
 * label, a class name, is drawn from the scores: the model is calibrated, its accuracy is what its
 * scores imply. A multiclass {@code DECAY} draws the label from the scores of an independent signal
 * (a random other record's), a {@code label} {@code MIX} reweights the label's classes by the reversed
 * prior over the prior (the most frequent class becomes the rarest), the scores staying as they were.
 * Drift changes feature values ({@link DriftInjection.Kind#SHIFT}, {@code SCALE},
 * {@code MIX}), so the score moves with them, or labels ({@code DECAY}; {@code label} {@code SHIFT}:
 * the labels' log-odds, or a regressor's labels, move while the scores stay), or hides values
 * ({@code MISSING}: a share of a feature's values is sent as null; the score and label stay those of
 * the value drawn), or couples two numeric features ({@code CORRELATION}: a Gaussian copula on their
 * draws, so each keeps its distribution while their rank correlation becomes the amount). Every prediction consumes the same random draws whatever the drift (which values
 * go missing comes from a stream of its own), so a drifted run differs from the undrifted run of the
 * same seed only where the drift applies.
 *
 * <p>Not thread-safe.
 */
public final class TrafficGenerator implements Iterator<TrafficEvent> {
  /** Key of the model id in every event (the spec does not name it). */
  public static final String MODEL_ID_FIELD = "model_id";
  /** Key of the feature object in prediction events. */
  public static final String FEATURES_FIELD = "features";
  /**
   * Key of a multiclass prediction's probability of its predicted class, which the prediction/1
   * schema requires (unless the spec's score field, the class probabilities, has this name).
   */
  public static final String PREDICTED_SCORE_FIELD = "score";

  private static final int ENTITIES = 10_000;
  private static final double[] SEGMENT_P = {0.6, 0.3, 0.1};
  private static final double[] SYNTHETIC_CATEGORY_P = {0.30, 0.25, 0.20, 0.15, 0.10};
  private static final double SIGNAL_VARIANCE = 2.0;
  private static final double INTERCEPT = -1.0;
  private static final double MODEL_SLOPE = 0.9;
  private static final double SCORE_NOISE = 0.3;
  private static final double REGRESSION_MEAN = 100;
  private static final double REGRESSION_SCALE = 10;
  private static final double REGRESSION_NOISE = 0.5;
  private static final double Z_CLIP = 5;
  /**
   * Variance of each class's signal in a multiclass model: over four classes, an accuracy of about
   * 0.8 and a macro F1 of about 0.78 (0.77 to 0.80 by seed).
   */
  static final double CLASS_SIGNAL_VARIANCE = 12.0;
  private static final Comparator<Pending> DUE =
      Comparator.comparingLong((Pending p) -> p.event().ts()).thenComparingLong(Pending::seq);

  private final TrafficConfig config;
  private final FieldNames fields;
  private final boolean binary;
  /** A multiclass classifier's classes, in the spec's order; empty for the other tasks. */
  private final List<String> classes;
  /** Per class, the log of its prior share (multiclass only). */
  private final double[] logPrior;
  /** Per class, the label's weight while a {@code label} MIX is in force: reversed prior over prior. */
  private final double[] mixWeight;
  private final List<DriftInjection> labelMixes;
  private final SplittableRandom random;
  /** Draws of MISSING injections only, so that they leave every other draw as it was. */
  private final SplittableRandom missingness;
  private final List<FeatureModel> features = new ArrayList<>();
  /** Per feature (as {@link #features}), its MISSING injections. */
  private final List<List<DriftInjection>> missing = new ArrayList<>();
  private final String idPrefix;
  private final String[] segments;
  private final double[] segmentCumulative;
  private final List<DriftInjection> decays;
  private final List<DriftInjection> labelShifts;
  /** Positive rate of a label drawn without regard to the features (about the overall rate). */
  private final double independentRate;
  private final long total;
  private final long startMillis;
  private final double millisPerPrediction;
  private final double meanDelayMillis;
  private final PriorityQueue<Pending> labels = new PriorityQueue<>(DUE);

  private long generated;
  private Upcoming upcoming;
  private long predictionsOut;
  private long labelsOut;
  private long missingOut;

  private record Pending(TrafficEvent event, long seq) {}

  private record Upcoming(TrafficEvent event, boolean missing) {}

  public TrafficGenerator(TrafficConfig config) {
    this.config = config;
    MonitorSpec spec = config.spec();
    this.fields = spec.fields();
    this.binary = spec.task() == Task.BINARY_CLASSIFICATION;
    this.classes = spec.task() == Task.MULTICLASS_CLASSIFICATION ? spec.classes() : List.of();
    SplittableRandom root = new SplittableRandom(config.seed());
    SplittableRandom params = root.split();
    this.random = root.split();
    this.missingness = root.split();
    // Split after the others, and only drawn from for a multiclass model: the other tasks' draws stay as they were.
    SplittableRandom classParams = root.split();
    this.idPrefix = String.format("%08x", params.nextInt());

    double rawVariance = 0;
    for (FeatureSpec f : spec.features()) {
      List<DriftInjection> drifts = config.drifts().stream()
          .filter(d -> d.target().equals(f.name()) && d.kind() != DriftInjection.Kind.MISSING).toList();
      missing.add(config.drifts().stream()
          .filter(d -> d.target().equals(f.name()) && d.kind() == DriftInjection.Kind.MISSING).toList());
      FeatureBaseline profile = config.reference() == null ? null : config.reference().features().get(f.name());
      FeatureModel model = f.type() == FeatureType.NUMERIC
          ? NumericFeature.create(f.name(), profile, drifts, params)
          : CategoricalFeature.create(f.name(), profile, drifts, params);
      rawVariance += model.signalVariance();
      features.add(model);
    }
    coupleCorrelatedPairs(spec, config.drifts());
    double scale = rawVariance > 0 ? Math.sqrt(SIGNAL_VARIANCE / rawVariance) : 0;
    for (FeatureModel f : features) {
      f.scaleSignal(scale);
    }
    int k = classes.size();
    this.logPrior = new double[k];
    this.mixWeight = new double[k];
    if (k > 0) {
      double[] classVariance = new double[k];
      for (FeatureModel f : features) {
        f.drawClassSignals(k, classParams);
        for (int c = 0; c < k; c++) {
          classVariance[c] += f.classSignalVariance(c);
        }
      }
      double[] classScale = new double[k];
      for (int c = 0; c < k; c++) {
        classScale[c] = classVariance[c] > 0 ? Math.sqrt(CLASS_SIGNAL_VARIANCE / classVariance[c]) : 0;
      }
      for (FeatureModel f : features) {
        f.scaleClassSignals(classScale);
      }
      double[] prior = new double[k];
      double sum = 0;
      for (int c = 0; c < k; c++) {
        prior[c] = 1.0 / ((c + 1) * (c + 1));
        sum += prior[c];
      }
      for (int c = 0; c < k; c++) {
        logPrior[c] = Math.log(prior[c] / sum);
        mixWeight[c] = prior[k - 1 - c] / prior[c];
      }
    }
    // E[sigmoid(N(b, v))] by the probit approximation: close enough for labels that ignore the score.
    this.independentRate = sigmoid(INTERCEPT / Math.sqrt(1 + Math.PI * SIGNAL_VARIANCE / 8));

    String seg = fields.segment() == null ? "segment" : fields.segment();
    this.segments = new String[] {seg + "_a", seg + "_b", seg + "_c"};
    this.segmentCumulative = cumulative(SEGMENT_P);
    this.decays = config.drifts().stream().filter(d -> d.kind() == DriftInjection.Kind.DECAY).toList();
    List<DriftInjection> labelDrifts = spec.feature(DriftInjection.LABEL).isPresent() ? List.of()
        : config.drifts().stream().filter(d -> d.target().equals(DriftInjection.LABEL)).toList();
    this.labelShifts = labelDrifts.stream().filter(d -> d.kind() == DriftInjection.Kind.SHIFT).toList();
    this.labelMixes = labelDrifts.stream().filter(d -> d.kind() == DriftInjection.Kind.MIX).toList();
    this.total = config.predictions();
    this.startMillis = config.start().toEpochMilli();
    this.millisPerPrediction = 1000.0 / config.rate();
    this.meanDelayMillis = config.labelDelay().toMillis();
    this.upcoming = generate();
  }

  /**
   * Gives the later (in spec order) feature of each CORRELATION pair its copula coupling to the
   * earlier one, which then keeps its normal score of each row for it.
   */
  private void coupleCorrelatedPairs(MonitorSpec spec, List<DriftInjection> drifts) {
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    for (DriftInjection d : drifts) {
      if (d.kind() != DriftInjection.Kind.CORRELATION) {
        continue;
      }
      int a = names.indexOf(d.pair().get(0));
      int b = names.indexOf(d.pair().get(1));
      NumericFeature earlier = (NumericFeature) features.get(Math.min(a, b));
      NumericFeature later = (NumericFeature) features.get(Math.max(a, b));
      earlier.keepsNormalScore = true;
      later.couplings.add(new Coupling(earlier, d));
    }
  }

  /** The events of {@code config} as a sequential, ordered, lazy stream. */
  public static Stream<TrafficEvent> stream(TrafficConfig config) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new TrafficGenerator(config),
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public boolean hasNext() {
    return upcoming != null || !labels.isEmpty();
  }

  @Override
  public TrafficEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (upcoming != null && (labels.isEmpty() || upcoming.event().ts() <= labels.peek().event().ts())) {
      Upcoming out = upcoming;
      predictionsOut++;
      if (out.missing()) {
        missingOut++;
      }
      upcoming = generated < total ? generate() : null;
      return out.event();
    }
    labelsOut++;
    return labels.poll().event();
  }

  /** Counts of what {@link #next()} has returned so far. */
  public TrafficCounts counts() {
    return new TrafficCounts(predictionsOut, labelsOut, missingOut);
  }

  private Upcoming generate() {
    long i = generated++;
    long ts = startMillis + (long) Math.floor((i + random.nextDouble()) * millisPerPrediction);
    String predictionId = "p-" + idPrefix + "-" + i;

    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put(MODEL_ID_FIELD, config.spec().modelId());
    body.put(fields.predictionId(), predictionId);
    body.put(fields.timestamp(), ts);
    int entity = random.nextInt(ENTITIES);
    if (fields.entity() != null) {
      body.put(fields.entity(), "e-" + entity);
    }
    int segment = pick(segmentCumulative, random.nextDouble());
    if (fields.segment() != null) {
      body.put(fields.segment(), segments[segment]);
    }
    ObjectNode values = body.putObject(FEATURES_FIELD);
    double signal = 0;
    for (int k = 0; k < features.size(); k++) {
      FeatureModel f = features.get(k);
      signal += f.draw(random, ts, values);
      List<DriftInjection> hidden = missing.get(k);
      // Drawn whether or not an injection is in force yet: which rows go missing does not depend on when.
      if (!hidden.isEmpty() && missingness.nextDouble() < activeShare(hidden, ts)) {
        values.putNull(f.name());
      }
    }
    double scoreNoise = random.nextGaussian();
    double uMissing = random.nextDouble();
    double uDelay = random.nextDouble();
    double uDecay = random.nextDouble();
    double uLabel = random.nextDouble();
    double labelNoise = random.nextGaussian();
    double[] classScores = null;
    double[] independentScores = null;
    if (!classes.isEmpty()) {
      double[] eta = logPrior.clone();
      for (FeatureModel f : features) {
        f.addClassSignals(eta);
      }
      classScores = softmax(eta);
      double[] other = logPrior.clone();
      double sd = Math.sqrt(CLASS_SIGNAL_VARIANCE);
      for (int c = 0; c < other.length; c++) {
        other[c] += sd * random.nextGaussian();
      }
      independentScores = softmax(other);
    }

    double score;
    if (classScores != null) {
      ObjectNode scores = body.putObject(fields.score());
      for (int c = 0; c < classes.size(); c++) {
        scores.put(classes.get(c), classScores[c]);
      }
      int predicted = argmax(classScores);
      // The predicted class's probability as "score" too: what keeps the record a prediction/1 record.
      if (!fields.score().equals(PREDICTED_SCORE_FIELD)) {
        body.put(PREDICTED_SCORE_FIELD, classScores[predicted]);
      }
      if (fields.predictedClass() != null) {
        body.put(fields.predictedClass(), classes.get(predicted));
      }
    } else if (binary) {
      double eta = INTERCEPT + signal;
      score = sigmoid(MODEL_SLOPE * eta + SCORE_NOISE * scoreNoise);
      body.put(fields.score(), score);
      if (fields.predictedClass() != null) {
        body.put(fields.predictedClass(), score >= config.spec().classificationThreshold() ? 1 : 0);
      }
    } else {
      score = REGRESSION_MEAN + REGRESSION_SCALE * (MODEL_SLOPE * signal + SCORE_NOISE * scoreNoise);
      body.put(fields.score(), score);
    }
    TrafficEvent prediction = new TrafficEvent(TrafficEvent.Type.PREDICTION, ts, config.spec().modelId(), body);

    boolean missing = uMissing < config.labelMissing();
    if (!missing) {
      boolean decayed = uDecay < decayProbability(ts);
      long labelTs = ts + Math.round(-meanDelayMillis * Math.log1p(-uDelay));
      ObjectNode label = JsonNodeFactory.instance.objectNode();
      label.put(MODEL_ID_FIELD, config.spec().modelId());
      label.put(fields.predictionId(), predictionId);
      label.put(fields.timestamp(), labelTs);
      double shift = labelShift(ts);
      if (classScores != null) {
        double[] p = decayed ? independentScores : classScores;
        if (labelMixes.stream().anyMatch(d -> d.activeAt(ts))) {
          p = p.clone();
          for (int c = 0; c < p.length; c++) {
            p[c] *= mixWeight[c];
          }
        }
        label.put(fields.label(), classes.get(pick(cumulative(p), uLabel)));
      } else if (binary) {
        double p = decayed ? independentRate : sigmoid(INTERCEPT + signal);
        if (shift != 0) {
          p = sigmoid(logit(p) + shift);
        }
        label.put(fields.label(), uLabel < p ? 1 : 0);
      } else {
        double spread = Math.sqrt(SIGNAL_VARIANCE + REGRESSION_NOISE * REGRESSION_NOISE);
        double y = (decayed ? spread * labelNoise : signal + REGRESSION_NOISE * labelNoise);
        if (shift != 0) {
          y += shift * spread;
        }
        label.put(fields.label(), REGRESSION_MEAN + REGRESSION_SCALE * y);
      }
      labels.add(new Pending(new TrafficEvent(TrafficEvent.Type.LABEL, labelTs, config.spec().modelId(), label), i));
    }
    return new Upcoming(prediction, missing);
  }

  /** Label shift in force at {@code ts}: log-odds for a classifier, standard deviations for a regressor. */
  private double labelShift(long ts) {
    double k = 0;
    for (DriftInjection d : labelShifts) {
      if (d.activeAt(ts)) {
        k += d.amount();
      }
    }
    return k;
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /** Probability that a label of a prediction at {@code ts} ignores the score: any active decay. */
  private double decayProbability(long ts) {
    return activeShare(decays, ts);
  }

  /** Probability that any of {@code injections} in force at {@code ts} applies, each with its amount as probability. */
  private static double activeShare(List<DriftInjection> injections, long ts) {
    double keep = 1;
    for (DriftInjection d : injections) {
      if (d.activeAt(ts)) {
        keep *= 1 - d.amount();
      }
    }
    return 1 - keep;
  }

  private static void putNumber(ObjectNode node, String key, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      node.put(key, (long) v);
    } else {
      node.put(key, v);
    }
  }

  /** {@code exp(x) / Σ exp(x)}, computed from the largest {@code x} so that no term overflows. */
  static double[] softmax(double[] x) {
    double max = x[argmax(x)];
    double[] p = new double[x.length];
    double sum = 0;
    for (int c = 0; c < x.length; c++) {
      p[c] = Math.exp(x[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < x.length; c++) {
      p[c] /= sum;
    }
    return p;
  }

  /** The index of the largest value, the first of equal ones. */
  static int argmax(double[] x) {
    int best = 0;
    for (int c = 1; c < x.length; c++) {
      if (x[c] > x[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Standard normal quantile of {@code u} in [0, 1), finite: 0 maps to the quantile of 2^-53. */
  static double probit(double u) {
    double p = Math.max(u, 0x1p-53);
    return -Math.sqrt(2) * Erf.erfcInv(2 * p);
  }

  /** Standard normal CDF, kept below 1 so that it is a valid argument of an inverse CDF drawing from [0, 1). */
  static double normalCdf(double z) {
    return Math.min(0.5 * Erf.erfc(-z / Math.sqrt(2)), Math.nextDown(1.0));
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double[] cumulative(double[] p) {
    double[] c = new double[p.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      sum += p[i];
      c[i] = sum;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= sum;
    }
    return c;
  }

  static int pick(double[] cumulative, double u) {
    for (int i = 0; i < cumulative.length - 1; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }

  /** One feature's distribution and its part in the true model's signal. */
  private interface FeatureModel {
    /** The feature's name, its key in the feature object. */
    String name();

    /** Draws the value at event time {@code ts} into {@code values}; returns its signal term. */
    double draw(SplittableRandom random, long ts, ObjectNode values);

    /** Variance of the signal term under the undrifted distribution (before scaling). */
    double signalVariance();

    void scaleSignal(double factor);

    /** Draws the feature's part in each of {@code classes} classes' signals (multiclass models only). */
    void drawClassSignals(int classes, SplittableRandom params);

    /** Variance of class {@code c}'s signal term under the undrifted distribution (before scaling). */
    double classSignalVariance(int c);

    void scaleClassSignals(double[] factors);

    /** Adds the value last drawn's term of each class's signal to {@code eta}. */
    void addClassSignals(double[] eta);
  }

  /**
   * From {@code injection}'s time on, a feature's normal score is {@code ρ·z(partner) + √(1−ρ²)·z}
   * with ρ the injection's copula correlation: a Gaussian copula, so its distribution stays the same.
   */
  private record Coupling(NumericFeature partner, DriftInjection injection) {
    double mix(double z) {
      double rho = injection.copulaCorrelation();
      return rho * partner.normalScore + Math.sqrt(1 - rho * rho) * z;
    }
  }

  /**
   * A numeric feature: drawn from the reference by inverse CDF, or N(mean, sd²), of a normal score
   * (the uniform's probit, or the normal draw) that a CORRELATION coupling mixes with a partner's.
   */
  private static final class NumericFeature implements FeatureModel {
    final String name;
    final NumericHistogram.Buckets reference;
    final long[] cumulative;
    final double mean;
    final double sd;
    final List<DriftInjection> drifts;
    /** Couplings to earlier features, in injection order; the latest in force applies. */
    final List<Coupling> couplings = new ArrayList<>();
    /** Whether a later feature is coupled to this one, so {@link #normalScore} must be kept. */
    boolean keepsNormalScore;
    /** This row's normal score, when {@link #keepsNormalScore}. */
    double normalScore;
    double weight;
    double[] classWeights = new double[0];
    /** The clipped standardized value last drawn. */
    double lastZ;

    private NumericFeature(String name, NumericSummary reference, double mean, double sd,
        List<DriftInjection> drifts, double weight) {
      this.name = name;
      this.reference = reference == null ? null : reference.buckets();
      this.cumulative = this.reference == null ? null : this.reference.cumulativeCounts();
      this.mean = mean;
      this.sd = sd > 0 && Double.isFinite(sd) ? sd : 1.0;
      this.drifts = drifts;
      this.weight = weight;
    }

    static NumericFeature create(String name, FeatureBaseline profile, List<DriftInjection> drifts,
        SplittableRandom params) {
      double weight = params.nextGaussian();
      double syntheticMean = Math.round(50 * params.nextGaussian());
      double syntheticSd = Math.round(100 * Math.exp(params.nextDouble(0, Math.log(20)))) / 100.0;
      if (profile == null) {
        return new NumericFeature(name, null, syntheticMean, syntheticSd, drifts, weight);
      }
      NumericSummary s = profile.numeric();
      return new NumericFeature(name, s, s.mean(), s.std(), drifts, weight);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public double draw(SplittableRandom random, long ts, ObjectNode values) {
      // The same draws as uncoupled; a coupling mixes only their normal scores, so until one is in
      // force every value is the one an uncoupled run draws.
      Coupling coupling = coupling(ts);
      double x;
      if (reference != null) {
        double u = random.nextDouble();
        if (coupling == null) {
          x = reference.quantile(cumulative, u);
          normalScore = keepsNormalScore ? probit(u) : Double.NaN;
        } else {
          normalScore = coupling.mix(probit(u));
          x = reference.quantile(cumulative, normalCdf(normalScore));
        }
      } else {
        double z = random.nextGaussian();
        normalScore = coupling == null ? z : coupling.mix(z);
        x = mean + sd * normalScore;
      }
      for (DriftInjection d : drifts) {
        if (d.activeAt(ts)) {
          x = d.kind() == DriftInjection.Kind.SHIFT ? x + d.amount() * sd : mean + d.amount() * (x - mean);
        }
      }
      // Six decimals: full doubles would triple the size of a prediction and carry no information.
      x = Math.abs(x) < 1e9 ? Math.round(x * 1e6) / 1e6 : x;
      putNumber(values, name, x);
      lastZ = Math.max(-Z_CLIP, Math.min(Z_CLIP, (x - mean) / sd));
      return weight * lastZ;
    }

    @Override
    public void drawClassSignals(int classes, SplittableRandom params) {
      classWeights = new double[classes];
      for (int c = 0; c < classes; c++) {
        classWeights[c] = params.nextGaussian();
      }
    }

    @Override
    public double classSignalVariance(int c) {
      return classWeights[c] * classWeights[c];
    }

    @Override
    public void scaleClassSignals(double[] factors) {
      for (int c = 0; c < classWeights.length; c++) {
        classWeights[c] *= factors[c];
      }
    }

    @Override
    public void addClassSignals(double[] eta) {
      for (int c = 0; c < classWeights.length; c++) {
        eta[c] += classWeights[c] * lastZ;
      }
    }

    /** The coupling in force at {@code ts}: of those that are, the latest to start (then the last given). */
    private Coupling coupling(long ts) {
      Coupling inForce = null;
      for (Coupling c : couplings) {
        if (c.injection().activeAt(ts) && (inForce == null || !c.injection().at().isBefore(inForce.injection().at()))) {
          inForce = c;
        }
      }
      return inForce;
    }

    @Override
    public double signalVariance() {
      return weight * weight;
    }

    @Override
    public void scaleSignal(double factor) {
      weight *= factor;
    }
  }

  /**
   * A categorical feature: categories by decreasing popularity (the reference's counts, or
   * {@code <name>_a … <name>_e} with a fixed skew); a MIX drift reverses which gets which share.
   */
  private static final class CategoricalFeature implements FeatureModel {
    final String name;
    final String[] categories;
    final double[] probabilities;
    final double[] cumulative;
    final double[] mixedCumulative;
    final double[] effects;
    final List<DriftInjection> drifts;
    /** Per class, per category, its effect on the class's signal. */
    double[][] classEffects = new double[0][];
    /** The category last drawn. */
    int last;

    private CategoricalFeature(String name, String[] categories, double[] probabilities,
        List<DriftInjection> drifts, SplittableRandom params) {
      this.name = name;
      this.categories = categories;
      this.probabilities = probabilities;
      this.cumulative = cumulative(probabilities);
      double[] reversed = new double[probabilities.length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = probabilities[probabilities.length - 1 - i];
      }
      this.mixedCumulative = cumulative(reversed);
      this.drifts = drifts;
      // Centred on the reference mix, so that categories move the odds without moving the base rate.
      this.effects = centredEffects(params);
    }

    /** Standard normal effects per category, centred on the reference mix. */
    private double[] centredEffects(SplittableRandom params) {
      double[] e = new double[categories.length];
      double mean = 0;
      for (int i = 0; i < e.length; i++) {
        e[i] = params.nextGaussian();
        mean += probabilities[i] * e[i];
      }
      for (int i = 0; i < e.length; i++) {
        e[i] -= mean;
      }
      return e;
    }

    @Override
    public void drawClassSignals(int classes, SplittableRandom params) {
      classEffects = new double[classes][];
      for (int c = 0; c < classes; c++) {
        classEffects[c] = centredEffects(params);
      }
    }

    @Override
    public double classSignalVariance(int c) {
      double v = 0;
      for (int i = 0; i < categories.length; i++) {
        v += probabilities[i] * classEffects[c][i] * classEffects[c][i];
      }
      return v;
    }

    @Override
    public void scaleClassSignals(double[] factors) {
      for (int c = 0; c < classEffects.length; c++) {
        for (int i = 0; i < categories.length; i++) {
          classEffects[c][i] *= factors[c];
        }
      }
    }

    @Override
    public void addClassSignals(double[] eta) {
      for (int c = 0; c < classEffects.length; c++) {
        eta[c] += classEffects[c][last];
      }
    }

    static CategoricalFeature create(String name, FeatureBaseline profile, List<DriftInjection> drifts,
        SplittableRandom params) {
      if (profile == null) {
        String[] names = new String[SYNTHETIC_CATEGORY_P.length];
        for (int i = 0; i < names.length; i++) {
          names[i] = name + "_" + (char) ('a' + i);
        }
        return new CategoricalFeature(name, names, SYNTHETIC_CATEGORY_P.clone(), drifts, params);
      }
      List<Map.Entry<String, Long>> byCount = profile.categories().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .toList();
      double n = byCount.stream().mapToLong(Map.Entry::getValue).sum();
      String[] names = byCount.stream().map(Map.Entry::getKey).toArray(String[]::new);
      double[] p = byCount.stream().mapToDouble(en -> en.getValue() / n).toArray();
      return new CategoricalFeature(name, names, p, drifts, params);
    }

    @Override
    public double signalVariance() {
      double v = 0;
      for (int i = 0; i < effects.length; i++) {
        v += probabilities[i] * effects[i] * effects[i];
      }
      return v;
    }

    @Override
    public void scaleSignal(double factor) {
      for (int i = 0; i < effects.length; i++) {
        effects[i] *= factor;
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public double draw(SplittableRandom random, long ts, ObjectNode values) {
      double u = random.nextDouble();
      boolean mixed = drifts.stream().anyMatch(d -> d.activeAt(ts));
      int k = pick(mixed ? mixedCumulative : cumulative, u);
      last = k;
      values.put(name, categories[k]);
      return effects[k];
    }
  }
}
