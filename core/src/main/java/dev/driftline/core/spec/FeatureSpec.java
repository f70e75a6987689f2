package dev.driftline.core.spec;

import java.io.Serializable;

/**
 * One monitored input feature.
 *
 * @param critical drift on this feature alone is enough for the trigger policy to fire
 */
public record FeatureSpec(String name, FeatureType type, boolean critical) implements Serializable {}
