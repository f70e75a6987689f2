package dev.driftline.cli.savepoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.savepoint.SavepointContents.Contents;
import dev.driftline.cli.savepoint.SavepointContents.Policy;
import dev.driftline.cli.savepoint.SavepointContents.View;
import dev.driftline.cli.savepoint.SavepointContents.Waiting;
import dev.driftline.cli.savepoint.SavepointContents.Windows;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code driftline savepoint inspect PATH}: which job a savepoint belongs to and what an operator
 * checks before and after an upgrade. Drift job: open drift and performance windows per model and
 * segment, predictions waiting for labels and labels waiting for predictions per model. Trigger
 * job: the policy's memory per model and segment. Feature pipeline: entities held per view. A
 * table by default, {@code --json} for machines; a path that is not a savepoint of one of the jobs
 * is a one-line error, exit code 2.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show what a savepoint of the drift-detection, retrain-trigger or feature-pipeline job holds: "
        + "open windows, predictions waiting for labels, the trigger policy's memory, feature entities. "
        + "Exit code 2 when PATH is not a savepoint of one of them.")
public final class SavepointInspectCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(index = "0", paramLabel = "PATH", description = "The savepoint directory (the one holding _metadata).")
  Path path;

  @CommandLine.Option(names = "--json", description = "One JSON object instead of tables.")
  boolean json;

  @CommandLine.Option(names = "--spec", paramLabel = "FILE",
      description = "A model's monitor spec (repeatable): the trigger job's cooldown end of that model.")
  List<Path> specs = new ArrayList<>();

  @CommandLine.Option(names = "--view", paramLabel = "FILE",
      description = "A feature view (repeatable): the feature pipeline's state shown under the view's name, "
          + "not its operator's uid hash.")
  List<Path> views = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Map<String, MonitorSpec> byModel = new LinkedHashMap<>();
    for (Path f : specs) {
      MonitorSpec s = MonitorSpecParser.load(f);
      byModel.put(s.modelId(), s);
    }
    List<FeatureView> featureViews = new ArrayList<>();
    for (Path f : views) {
      featureViews.add(FeatureViewParser.load(f));
    }
    Contents c = SavepointContents.read(path, byModel, featureViews);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.mapper().writeValueAsString(toJson(c)));
    } else {
      print(c, out);
    }
    out.flush();
    return 0;
  }

  static ObjectNode toJson(Contents c) {
    ObjectNode root = Json.mapper().createObjectNode().put("job", c.job().id);
    switch (c.job()) {
      case DRIFT_DETECTION -> {
        windows(root.putArray("drift_windows"), c.drift().driftWindows());
        windows(root.putArray("performance_windows"), c.drift().performanceWindows());
        waiting(root.putArray("predictions_waiting_for_labels"), c.drift().predictionsWaiting());
        waiting(root.putArray("labels_waiting_for_predictions"), c.drift().labelsWaiting());
      }
      case RETRAIN_TRIGGER -> {
        ArrayNode a = root.putArray("policies");
        for (Policy p : c.policies()) {
          ObjectNode n = a.addObject().put("model_id", p.modelId()).put("segment", p.segment())
              .put("drift_windows_in_history", p.driftWindowsInHistory())
              .put("performance_windows_in_history", p.performanceWindowsInHistory())
              .put("armed", p.armed()).put("last_trigger", p.lastTrigger()).put("cooldown_until", p.cooldownUntil())
              .put("pending_drift_windows", p.pendingDriftWindows()).put("pending_performance_updates", p.pendingPerformanceUpdates());
          ObjectNode detectors = n.putObject("detectors");
          p.detectors().forEach(detectors::set);
        }
      }
      case FEATURE_PIPELINE -> {
        ArrayNode a = root.putArray("views");
        for (View v : c.views()) {
          a.addObject().put("view", v.view()).put("entities", v.entities()).put("pending_events", v.pendingEvents());
        }
      }
    }
    return root;
  }

  private static void windows(ArrayNode a, List<Windows> windows) {
    for (Windows w : windows) {
      a.addObject().put("model_id", w.modelId()).put("segment", w.segment()).put("open", w.open()).put("predictions", w.predictions())
          .put("oldest_start", w.oldestStart()).put("newest_start", w.newestStart());
    }
  }

  private static void waiting(ArrayNode a, List<Waiting> waiting) {
    for (Waiting w : waiting) {
      a.addObject().put("model_id", w.modelId()).put("count", w.count()).put("oldest", w.oldest());
    }
  }

  static void print(Contents c, PrintWriter out) {
    out.println("job: " + c.job().id);
    switch (c.job()) {
      case DRIFT_DETECTION -> {
        out.println();
        out.println("open drift windows");
        windows(out, c.drift().driftWindows());
        out.println();
        out.println("open performance windows");
        windows(out, c.drift().performanceWindows());
        out.println();
        out.println("predictions waiting for labels");
        waiting(out, c.drift().predictionsWaiting(), "oldest prediction");
        out.println();
        out.println("labels waiting for predictions");
        waiting(out, c.drift().labelsWaiting(), "oldest label");
      }
      case RETRAIN_TRIGGER -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "segment", "drift windows", "performance windows", "detectors", "armed", "last trigger",
            "cooldown until", "pending windows", "pending updates"});
        for (Policy p : c.policies()) {
          rows.add(new String[] {p.modelId(), p.segment(), "" + p.driftWindowsInHistory(), "" + p.performanceWindowsInHistory(),
              p.detectors().isEmpty() ? "-" : String.join(",", p.detectors().keySet()), p.armed() ? "yes" : "no",
              dash(p.lastTrigger()), dash(p.cooldownUntil()), "" + p.pendingDriftWindows(), "" + p.pendingPerformanceUpdates()});
        }
        out.println();
        out.println("trigger policy per model and segment (windows in its K-of-N history)");
        table(out, rows);
      }
      case FEATURE_PIPELINE -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"view", "entities", "pending events"});
        for (View v : c.views()) {
          rows.add(new String[] {v.view(), "" + v.entities(), "" + v.pendingEvents()});
        }
        out.println();
        table(out, rows);
      }
    }
  }

  private static void windows(PrintWriter out, List<Windows> windows) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"model", "segment", "open", "predictions", "oldest start", "newest start"});
    for (Windows w : windows) {
      rows.add(new String[] {w.modelId(), w.segment(), "" + w.open(), "" + w.predictions(), w.oldestStart(), w.newestStart()});
    }
    table(out, rows);
  }

  private static void waiting(PrintWriter out, List<Waiting> waiting, String oldest) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"model", "waiting", oldest});
    for (Waiting w : waiting) {
      rows.add(new String[] {w.modelId(), "" + w.count(), w.oldest()});
    }
    table(out, rows);
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** Left-aligned columns two spaces apart; a table with only its header says "(none)". */
  private static void table(PrintWriter out, List<String[]> rows) {
    if (rows.size() == 1) {
      out.println("  (none)");
      return;
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < r.length; i++) {
        line.append(' ').append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s ", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
