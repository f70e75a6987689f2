package dev.driftline.core.spec;

import dev.driftline.core.stats.PcaModel;
import java.io.Serializable;

/**
 * Multivariate drift by PCA reconstruction error (spec key {@code pca}): with it, {@code driftline
 * baseline build} fits a {@link PcaModel} on the spec's numeric features and windows get a
 * {@code pca_reconstruction} result. Off unless the spec has the key.
 *
 * @param enabled whether the spec asks for it
 * @param varianceShare the share of variance the kept components reach ({@code variance_share}), in (0, 1]
 * @param chunkSize reference rows per chunk of the threshold ({@code chunk_size}); about a window's
 *     predictions, since the threshold bounds a window's mean error
 */
public record PcaSpec(boolean enabled, double varianceShare, int chunkSize) implements Serializable {

  public static final PcaSpec OFF = new PcaSpec(false, PcaModel.DEFAULT_VARIANCE_SHARE, PcaModel.DEFAULT_CHUNK_SIZE);

  /** {@code pca: {variance_share: 0.65, chunk_size: 1000}}; an empty mapping takes both defaults. */
  static PcaSpec parse(SpecNode node, java.util.List<FeatureSpec> features) {
    if (!node.isPresent()) {
      return OFF;
    }
    node.requireMapping("variance_share", "chunk_size");
    long numeric = features.stream().filter(f -> f.type() == FeatureType.NUMERIC).count();
    if (numeric < 2) {
      throw node.error("expected at least 2 numeric features, got " + numeric);
    }
    return new PcaSpec(true,
        node.get("variance_share").number(PcaModel.DEFAULT_VARIANCE_SHARE, Double.MIN_VALUE, 1.0),
        node.get("chunk_size").integer(PcaModel.DEFAULT_CHUNK_SIZE, 2, 10_000_000));
  }
}
