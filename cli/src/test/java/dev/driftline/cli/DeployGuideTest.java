package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link DeployGuideIT} runs of docs/deploy.md, checked without services: the marked blocks,
 * the one settings block first, and the script made of them.
 */
class DeployGuideTest {
  @Test
  void marksBlocksAfterTheCommentAndLeavesTheOthers() {
    String page = """
        # Guide
        <!-- tested: settings -->
        ```bash
        KAFKA=kafka:9092   # a comment
        ES_URL=http://es:9200
        ```
        ```bash
        mvn -B package -DskipTests
        ```
        <!-- tested -->
        ```bash
        echo "$KAFKA"
        ```
        """;
    List<GuideBlocks.Block> blocks = GuideBlocks.parse(page, "g.md");
    assertThat(blocks).containsExactly(
        new GuideBlocks.Block(3, true, "bash", "KAFKA=kafka:9092   # a comment\nES_URL=http://es:9200\n"),
        new GuideBlocks.Block(11, false, "bash", "echo \"$KAFKA\"\n"));
    assertThat(GuideBlocks.variables(blocks.get(0))).containsExactly("KAFKA", "ES_URL");
    assertThat(GuideBlocks.script(blocks, "KAFKA='127.0.0.1:1'\nES_URL='http://127.0.0.1:2'\n", "g.md")).isEqualTo("""
        set -euo pipefail

        # g.md:3 (settings, replaced by the test)
        KAFKA='127.0.0.1:1'
        ES_URL='http://127.0.0.1:2'

        # g.md:11
        echo "$KAFKA"
        """);
  }

  @Test
  void aMarkerWithoutABlockOrAnUnclosedBlockIsAnErrorNamingTheLine() {
    assertThatThrownBy(() -> GuideBlocks.parse("text\n<!-- tested -->\nnot a fence\n", "g.md"))
        .hasMessage("g.md:2: <!-- tested --> is not followed by a fenced block");
    assertThatThrownBy(() -> GuideBlocks.parse("<!-- tested -->\n```bash\necho\n", "g.md"))
        .hasMessage("g.md:2: fenced block not closed");
  }

  @Test
  void theDeployGuideHasOneSettingsBlockFirstAndRunsBashOnly() throws IOException {
    List<GuideBlocks.Block> blocks = GuideBlocks.parse(Files.readString(DocsTest.repoRoot().resolve(DeployGuideIT.GUIDE)),
        DeployGuideIT.GUIDE);
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6).allSatisfy(b -> assertThat(b.info()).isEqualTo("bash"));
    assertThat(blocks.get(0).settings()).isTrue();
    assertThat(blocks.stream().filter(GuideBlocks.Block::settings)).hasSize(1);
    assertThat(GuideBlocks.variables(blocks.get(0)))
        .containsExactly("KAFKA", "ES_URL", "CHECKPOINTS", "CHECKPOINT_INTERVAL", "PARTITIONS", "REPLICATION", "MIN_INSYNC_REPLICAS",
            "SPECS");
    // The build is the reader's step, not the test's: it runs after mvn package.
    assertThat(blocks).noneSatisfy(b -> assertThat(b.text()).contains("mvn "));
  }
}
