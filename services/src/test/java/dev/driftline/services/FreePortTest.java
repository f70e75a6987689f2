package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
  /** Services' ports come from below the range the kernel gives client connections, each once, each bindable. */
  @Test
  void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws IOException {
    int low = ServiceLocations.ephemeralLow();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = ServiceLocations.freePort();
      assertThat(port).isBetween(ServiceLocations.FIRST_PORT, low - 1);
      assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
    }
    int last = ports.iterator().next();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), last), 1);
      assertThat(s.getLocalPort()).isEqualTo(last);
    }
  }
}
