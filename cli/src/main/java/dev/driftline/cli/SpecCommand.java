package dev.driftline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftline spec validate}: checks a monitor spec and summarizes it. */
@Command(name = "spec", mixinStandardHelpOptions = true, description = "Work with monitor specs.")
final class SpecCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate a monitor spec; exit 2 with a one-line error naming the path in the document.")
  int validate(@Option(names = "--spec", required = true, paramLabel = "SPEC") Path file,
      @Option(names = "--json", description = "Print what a trainer needs of the valid spec as one JSON object "
          + "(model_id, task, spec_hash, fields, classification_threshold, features with name and type).") boolean json) {
    MonitorSpec m = MonitorSpecParser.load(file);
    long numeric = m.features().stream().filter(f -> f.type() == FeatureType.NUMERIC).count();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(summary(m));
      out.flush();
      return 0;
    }
    out.printf("%s: valid. model %s (%s), %d features (%d numeric, %d categorical), window %s, reference %s, spec hash %s%n",
        file, m.modelId(), m.task().id(), m.features().size(), numeric, m.features().size() - numeric,
        m.window().describe(), m.reference().source().id(), m.specHash().substring(0, 12));
    out.flush();
    return 0;
  }

  /** The spec as programs outside the JVM (the Python trainer) read it: names resolved, defaults applied. */
  static String summary(MonitorSpec m) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("model_id", m.modelId()).put("task", m.task().id()).put("spec_hash", m.specHash());
    ObjectNode fields = n.putObject("fields");
    fields.put("timestamp", m.fields().timestamp()).put("prediction_id", m.fields().predictionId())
        .put("entity", m.fields().entity()).put("segment", m.fields().segment()).put("score", m.fields().score())
        .put("label", m.fields().label());
    n.put("classification_threshold", m.classificationThreshold());
    if (!m.classes().isEmpty()) {
      m.classes().forEach(n.putArray("classes")::add);
    }
    ArrayNode features = n.putArray("features");
    for (FeatureSpec f : m.features()) {
      features.addObject().put("name", f.name()).put("type", f.type().id());
    }
    return n.toString();
  }
}
