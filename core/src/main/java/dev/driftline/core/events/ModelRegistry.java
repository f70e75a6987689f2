package dev.driftline.core.events;

import dev.driftline.core.io.Interned;
import dev.driftline.core.spec.MonitorSpec;
import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The monitored models of a job, by model id. Immutable and serializable. */
public final class ModelRegistry implements Serializable {
  private static final long serialVersionUID = 2L;
  private final LinkedHashMap<String, MonitorSpec> specs = new LinkedHashMap<>();
  /** Identifies the specs: every operator of a job in one JVM reads one copy (see {@link Interned}). */
  private final String fingerprint;

  public ModelRegistry(List<MonitorSpec> specs) {
    for (MonitorSpec spec : specs) {
      if (this.specs.put(spec.modelId(), spec) != null) {
        throw new IllegalArgumentException("two specs for model " + spec.modelId());
      }
    }
    if (this.specs.isEmpty()) {
      throw new IllegalArgumentException("no monitor specs: give at least one");
    }
    this.fingerprint = Interned.fingerprint(this.specs);
  }

  /** The copy of these specs already in use in this JVM, if any: called by Java deserialization. */
  private Object readResolve() {
    return Interned.intern(fingerprint, this);
  }

  /** The spec, or null for an unknown model. */
  public MonitorSpec get(String modelId) {
    return specs.get(modelId);
  }

  public Collection<MonitorSpec> all() {
    return specs.values();
  }

  public Map<String, MonitorSpec> asMap() {
    return Map.copyOf(specs);
  }

  String known() {
    return String.join(", ", specs.keySet());
  }
}
