package dev.driftline.core.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and writing {@link ReferenceProfile} documents (JSON). */
public final class ReferenceProfiles {
  private ReferenceProfiles() {}

  public static void write(ReferenceProfile profile, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), profile);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write: " + e.getMessage());
    }
  }

  public static ReferenceProfile read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Reads a profile from a stream; {@code source} names it in errors. */
  public static ReferenceProfile read(String source, InputStream in) {
    ReferenceProfile profile;
    try {
      profile = Json.mapper().readValue(in, ReferenceProfile.class);
    } catch (JsonProcessingException e) {
      throw new InputException(source + ": not a Driftline profile: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (profile == null || !ReferenceProfile.FORMAT.equals(profile.format())) {
      throw new InputException(source + ": not a Driftline profile: expected format "
          + ReferenceProfile.FORMAT + ", got " + (profile == null ? "nothing" : profile.format()));
    }
    if (profile.features() == null) {
      throw new InputException(source + ": not a Driftline profile: no features");
    }
    return profile;
  }

  /**
   * Checks that {@code profile} covers every feature of {@code spec} with the right type. A
   * profile built from another version of the spec is still usable if it does.
   */
  public static void checkCovers(ReferenceProfile profile, String source, MonitorSpec spec) {
    if (!profile.modelId().equals(spec.modelId())) {
      throw new InputException(source + ": profile is for model " + profile.modelId()
          + ", spec is for model " + spec.modelId());
    }
    for (FeatureSpec feature : spec.features()) {
      FeatureProfile fp = profile.features().get(feature.name());
      if (fp == null) {
        throw new InputException(source + ": no reference for feature " + feature.name()
            + "; rebuild it with driftline baseline build");
      }
      if (!fp.type().equals(feature.type().id())) {
        throw new InputException(source + ": feature " + feature.name() + " is " + fp.type()
            + " in the profile, " + feature.type().id() + " in the spec");
      }
    }
  }
}
