package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server starts from the resolved jars on its own port, keeps its data under its directory, and stops on close. */
class ZooKeeperNodeTest {
  @Test
  void servesOnItsPortWithItsDataUnderItsDirectoryAndCloseStopsIt() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "zookeeper-");
    List<ProcessHandle> before = ProcessHandle.current().children().toList();
    List<ProcessHandle> started;
    int port;
    try (ZooKeeperNode node = ZooKeeperNode.start(dir)) {
      assertThat(node.connectString()).matches("127\\.0\\.0\\.1:\\d+");
      port = Integer.parseInt(node.connectString().substring("127.0.0.1:".length()));
      assertThat(accepts(port)).isTrue();
      started = ProcessHandle.current().children().filter(p -> !before.contains(p)).toList();
      assertThat(started).hasSize(1);
      assertThat(dir.resolve("data/version-2")).isDirectory();
      assertThat(Files.readString(dir.resolve("zoo.cfg"))).contains("clientPort=" + port, "tickTime=500");
    }
    assertThat(started).noneMatch(ProcessHandle::isAlive);
    assertThat(accepts(port)).isFalse();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
