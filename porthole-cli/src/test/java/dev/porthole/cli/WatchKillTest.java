package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.store.Store;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watch runs in a child JVM that is killed with SIGKILL: what it committed must survive. */
@Timeout(180)
class WatchKillTest {
  @TempDir Path data;

  @Test
  void committedEventsSurviveKillDashNine() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.porthole.cli.Porthole",
                "watch",
                "--data-dir",
                data.toString(),
                "--interval",
                "100ms",
                "--no-notify")
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("child.log").toFile())
            .start();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = listener.getLocalPort();
      awaitEvent(port, "opened");
      listener.close();
      awaitEvent(port, "closed");
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);

      try (Store store = Store.open(data.resolve("porthole.db"))) {
        assertThat(store.query("PRAGMA integrity_check", rs -> rs.getString(1)))
            .containsExactly("ok");
        List<WatchEvent> events = events(store, port);
        assertThat(events).extracting(WatchEvent::type).containsExactly("opened", "closed");
        assertThat(new WatchStore(store).history(port))
            .singleElement()
            .satisfies(h -> assertThat(h.closed()).isNotNull());
      }
    } finally {
      child.destroyForcibly();
    }
  }

  private void awaitEvent(int port, String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // includes the JVM's start
    while (System.nanoTime() < deadline) {
      if (data.resolve("porthole.db").toFile().exists()) {
        try (Store store = Store.open(data.resolve("porthole.db"))) {
          if (events(store, port).stream().anyMatch(e -> e.type().equals(type))) {
            return;
          }
        } catch (RuntimeException e) {
          // The child is creating the schema right now: look again.
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + type + " event for port " + port + " within 60 s");
  }

  private static List<WatchEvent> events(Store store, int port) {
    return new WatchStore(store).events(new WatchStore.EventQuery(null, null, port, 0));
  }
}
