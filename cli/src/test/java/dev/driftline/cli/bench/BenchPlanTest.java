package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.io.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {
  @Test
  void runsComeInTheCanonicalOrderWhateverTheOrderAsked() {
    assertThat(BenchPlan.parseRuns("naive, drift")).containsExactly("drift", "naive");
    assertThat(BenchPlan.parseRuns(null)).containsExactly("pass-through", "drift", "drift+labels", "features", "naive");
  }

  @Test
  void unknownRunIsAOneLineInputError() {
    assertThatThrownBy(() -> BenchPlan.parseRuns("drift,fast"))
        .isInstanceOf(InputException.class)
        .hasMessage("--runs: expected names from pass-through,drift,drift+labels,features,naive, got \"fast\"");
  }

  @Test
  void derivedRunsFollowWhenDriftWithLabelsIsRun() {
    List<BenchPlan.Run> runs = BenchPlan.runs(BenchPlan.ALL, true, 2);

    assertThat(runs).extracting(BenchPlan.Run::name).containsExactly("pass-through", "drift", "drift+labels", "features",
        "naive", "drift+labels@10x-window", "drift+labels@p1");
    assertThat(runs.get(5)).isEqualTo(new BenchPlan.Run("drift+labels@10x-window", BenchPlan.Kind.DRIFT_LABELS, 2, true));
    assertThat(runs.get(6)).isEqualTo(new BenchPlan.Run("drift+labels@p1", BenchPlan.Kind.DRIFT_LABELS, 1, false));
    assertThat(BenchPlan.runs(List.of("drift"), true, 2)).extracting(BenchPlan.Run::name).containsExactly("drift");
    assertThat(BenchPlan.runs(BenchPlan.ALL, false, 2)).hasSize(5);
  }

  @Test
  void slugsAreValidTopicNames() {
    assertThat(new BenchPlan.Run("drift+labels@10x-window", BenchPlan.Kind.DRIFT_LABELS, 2, true).slug())
        .isEqualTo("drift-and-labels-at-10x-window");
  }

  @Test
  void laterRoundsOfARunHaveTheirOwnSlug() {
    BenchPlan.Run run = new BenchPlan.Run("drift+labels@p1", BenchPlan.Kind.DRIFT_LABELS, 1, false);
    assertThat(run.again(1).slug()).isEqualTo("drift-and-labels-at-p1");
    assertThat(run.again(3).slug()).isEqualTo("drift-and-labels-at-p1-r3");
    assertThat(run.again(3).name()).isEqualTo("drift+labels@p1");
  }
}
