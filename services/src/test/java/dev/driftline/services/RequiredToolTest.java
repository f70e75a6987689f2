package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {
  @Test
  void missingToolSkipsOutsideCiAndFailsInCi() {
    assertThatThrownBy(() -> RequiredTool.require(false, "no chromium on PATH", false))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("no chromium on PATH");
    assertThatThrownBy(() -> RequiredTool.require(false, "no chromium on PATH", true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("no chromium on PATH (CI=true: .ci/run installs it; a check that needs it must run, not skip)");
    assertThatCode(() -> RequiredTool.require(true, "unused", true)).doesNotThrowAnyException();
  }
}
