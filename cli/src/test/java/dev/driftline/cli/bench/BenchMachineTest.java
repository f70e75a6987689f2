package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMachineTest {
  @Test
  void cpuIsTheFirstModelName() {
    assertThat(BenchMachine.cpu(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC 7B13",
        "model name\t: other"))).isEqualTo("AMD EPYC 7B13");
    assertThat(BenchMachine.cpu(List.of())).isEqualTo("unknown");
  }
}
