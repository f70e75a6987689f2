package dev.driftline.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.SpecException;
import dev.driftline.core.spec.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MulticlassDecodingTest {
  static final String SPEC = String.join("\n",
      "model_id: fruit",
      "task: multiclass_classification",
      "classes: [apple, banana, cherry]",
      "features:",
      "  - {name: weight, type: numeric}",
      "reference: {source: previous_window}",
      "window: {size: 1h}");
  private static final MonitorSpec FRUIT = MonitorSpecParser.parse("fruit.yaml", SPEC);
  private static final ModelRegistry MODELS = new ModelRegistry(List.of(FRUIT));
  private static final String HEAD = "{'model_id':'fruit','prediction_id':'p1','ts':1767225600000,'features':{'weight':120},";

  private static Decoded<Prediction> prediction(String scores) {
    return new PredictionDecoder(MODELS).decode((HEAD + "'scores':" + scores + "}").replace('\'', '"')
        .getBytes(StandardCharsets.UTF_8));
  }

  private static Decoded<Label> label(String value) {
    return new LabelDecoder(MODELS).decode(("{'model_id':'fruit','prediction_id':'p1','ts':1767225600000,'label':"
        + value + "}").replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void specDeclaresTheClassesAndTheScoresField() {
    assertThat(FRUIT.task()).isEqualTo(Task.MULTICLASS_CLASSIFICATION);
    assertThat(FRUIT.classes()).containsExactly("apple", "banana", "cherry");
    assertThat(FRUIT.fields().score()).isEqualTo("scores");
    assertThat(FRUIT.classIndex("cherry")).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "missing classes | `classes: [apple, banana, cherry]` | `description: no classes`"
          + " | `fruit.yaml: classes: required for task multiclass_classification, missing; expected a list of at least 3 class names`",
      "two classes | `classes: [apple, banana, cherry]` | `classes: [apple, banana]`"
          + " | `fruit.yaml: classes: expected at least 3 classes, got 2 (use binary_classification for 2)`",
      "repeated class | `classes: [apple, banana, cherry]` | `classes: [apple, banana, apple]`"
          + " | `fruit.yaml: classes[2]: class \"apple\" is listed twice`",
      "classes of a binary model | `task: multiclass_classification` | `task: binary_classification`"
          + " | `fruit.yaml: classes: only for task multiclass_classification`",
      "threshold | `classes: [apple, banana, cherry]` | `classes: [apple, banana, cherry]\nclassification_threshold: 0.4`"
          + " | `fruit.yaml: classification_threshold: only for task binary_classification`",
  })
  void refusesABadClassDeclarationInOneLine(String name, String from, String to, String message) {
    assertThatThrownBy(() -> MonitorSpecParser.parse("fruit.yaml", SPEC.replace(from, to)))
        .isInstanceOf(SpecException.class).hasMessage(message);
  }

  @Test
  void decodesScoresByClassNameInTheSpecsOrder() {
    Prediction p = prediction("{'cherry':0.125,'apple':0.25,'banana':0.625}").value();

    assertThat(p.classScores()).containsExactly(0.25, 0.625, 0.125);
    assertThat(p.score()).isEqualTo(0.625);
    assertThat(p.predictedClass()).isEqualTo("banana");
  }

  @Test
  void decodesAnArrayOfScoresAndRenormalisesWithinTheTolerance() {
    Prediction p = prediction("[0.5000004, 0.25, 0.25]").value();

    double sum = 1.0000004;
    assertThat(p.classScores()).containsExactly(0.5000004 / sum, 0.25 / sum, 0.25 / sum);
    assertThat(p.predictedClass()).isEqualTo("apple");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
      "unknown class ; {'apple':0.5,'banana':0.3,'cherry':0.1,'date':0.1} ; `scores.date: unknown class; expected one of apple|banana|cherry`",
      "missing class ; {'apple':0.5,'banana':0.5} ; `scores.cherry: missing; expected a probability for every class apple|banana|cherry`",
      "negative ; {'apple':1.2,'banana':-0.2,'cherry':0} ; scores.banana: expected a probability (not negative), got -0.2",
      "not summing to 1 ; {'apple':0.5,'banana':0.3,'cherry':0.1} ; scores: expected probabilities summing to 1 (within 1.0E-6), got a sum of 0.9",
      "short array ; [0.5, 0.5] ; scores: expected 3 probabilities (one per class apple|banana|cherry), got 2",
      "text ; {'apple':'0.5','banana':0.3,'cherry':0.2} ; `scores.apple: expected a finite number, got \"0.5\"`",
      "a single score ; 0.7 ; scores: expected an object of class to probability, got 0.7",
  })
  void refusesBadScoresWithAOneLineReason(String name, String scores, String reason) {
    Decoded<Prediction> d = prediction(scores);

    assertThat(d.isOk()).isFalse();
    assertThat(d.error()).isEqualTo(reason);
  }

  @Test
  void labelsAreClassNamesHeldAsTheirIndex() {
    assertThat(label("'cherry'").value().value()).isEqualTo(2.0);
    assertThat(label("'apple'").value().value()).isEqualTo(0.0);
    assertThat(label("'date'").error()).isEqualTo("label: expected one of the classes apple|banana|cherry, got \"date\"");
    assertThat(label("1").error()).isEqualTo("label: expected one of the classes apple|banana|cherry, got 1");
  }
}
