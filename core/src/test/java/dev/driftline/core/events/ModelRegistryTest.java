package dev.driftline.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  private static MonitorSpec spec(String modelId, String feature) {
    return MonitorSpecParser.parse(modelId + ".yaml", String.join("\n",
        "model_id: " + modelId,
        "task: binary_classification",
        "features:",
        "  - {name: " + feature + ", type: numeric}",
        "reference: {source: previous_window}",
        "window: {size: 1h}"));
  }

  private static Object roundTrip(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void everyDeserializedCopyOfTheSameSpecsIsOneInstanceAndOtherSpecsAnother() throws Exception {
    ModelRegistry models = new ModelRegistry(List.of(spec("churn", "tenure"), spec("price", "rooms")));
    ModelRegistry other = new ModelRegistry(List.of(spec("churn", "tenure"), spec("price", "area")));

    ModelRegistry first = (ModelRegistry) roundTrip(models);
    ModelRegistry second = (ModelRegistry) roundTrip(models);
    ModelRegistry third = (ModelRegistry) roundTrip(other);

    assertThat(second).isSameAs(first);
    assertThat(third).isNotSameAs(first);
    assertThat(first.get("price").features().get(0).name()).isEqualTo("rooms");
    assertThat(third.get("price").features().get(0).name()).isEqualTo("area");
    assertThat(first.all()).extracting(MonitorSpec::modelId).containsExactly("churn", "price");
  }
}
