package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watch's listeners and events carry the origin of a real socat forward. */
@Timeout(30)
class OriginEventsTest {
  @Test
  void aNewSocatForwardIsOpenedWithItsOriginNamedOncePerInode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int[] attributors = {0};
    ListenerReader reader =
        new ListenerReader(
            java.nio.file.Path.of("/proc"),
            dev.porthole.sockets.UserNames.system(),
            ProcessDetailsReader.system(),
            () -> {
              attributors[0]++;
              return dev.porthole.attribution.Attributor.system();
            });
    reader.read(); // everything already listening: attributed in this first cycle
    int afterFirst = attributors[0];
    Process socat =
        new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1", "TCP:127.0.0.1:9")
            .start();
    try {
      Listener mine = null;
      for (int i = 0; i < 200 && mine == null; i++) { // 10 s
        Thread.sleep(50);
        mine = find(reader.read(), port);
      }
      assertThat(mine).as("socat listening on " + port).isNotNull();
      assertThat(mine.origin().name()).isEqualTo("socat forward to TCP:127.0.0.1:9");
      assertThat(attributors[0]).isGreaterThan(afterFirst);
      // A known inode keeps its origin: the very same object, not a new attribution (other
      // processes of this machine may open listeners meanwhile, so calls are not counted).
      assertThat(find(reader.read(), port).origin()).isSameAs(mine.origin());

      WatchEvent opened =
          new EventDetector().step(List.of(mine), Policy.NONE, Instant.now()).events().getFirst();
      assertThat(opened.origin().kind()).isEqualTo("forward");
      assertThat(opened.message()).endsWith("for socat forward to TCP:127.0.0.1:9)");
      assertThat(opened.toJson()).contains("\"origin\":{\"kind\":\"forward\"");

      // The policy can expect the forward by its origin, and refuses it where a container is due.
      String rule = "expected:\n  - port: " + port + "\n    origin: ";
      assertThat(PolicyFile.parse(rule + "forward\n", "p.yaml").check(mine)).isNull();
      assertThat(PolicyFile.parse(rule + "docker\n", "p.yaml").check(mine).message())
          .endsWith(
              "policy gives port " + port + " to docker, not socat forward to TCP:127.0.0.1:9");
    } finally {
      socat.destroy();
      socat.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static Listener find(List<Listener> listeners, int port) {
    return listeners.stream()
        .filter(l -> l.port() == port && l.owner() != null)
        .findFirst()
        .orElse(null);
  }
}
