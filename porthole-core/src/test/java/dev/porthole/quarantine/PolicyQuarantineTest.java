package dev.porthole.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.store.Store;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchStore;
import dev.porthole.watch.Watcher;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's {@code quarantine} action in a real watcher on a real listener of this JVM: the
 * violation is an alert, followed by the action's outcome. Freezing and dropping for real happens
 * in the CLI's namespace test; here the listener is porthole's own, which the action refuses.
 */
@Timeout(120)
class PolicyQuarantineTest {
  @TempDir Path dir;
  private Store store;
  private ServerSocket socket;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(dir.resolve("porthole.db"));
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void close() throws Exception {
    socket.close();
    store.close();
  }

  /** Runs cycles (at most 30 s) until the listener's events include {@code type}. */
  private List<WatchEvent> cycleUntil(Watcher w, String type) {
    List<WatchEvent> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (WatchEvent e : w.cycle()) {
        if (e.port() == socket.getLocalPort()) {
          seen.add(e);
        }
      }
      if (seen.stream().anyMatch(e -> e.type().equals(type))) {
        return seen;
      }
    }
    throw new AssertionError("no " + type + " event in 30 s; saw " + seen);
  }

  private Watcher watcher(String policy) throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), policy);
    return new Watcher(
        ListenerReader.system(),
        new WatchStore(store),
        new Watcher.Options(Duration.ofMillis(100), file, null));
  }

  @Test
  void anUnexpectedListenerIsHandedToTheActionOnceAndTheEventSaysSo() throws Exception {
    List<String> handed = new CopyOnWriteArrayList<>();
    try (Watcher w = watcher("unexpected: quarantine\n")) {
      List<WatchEvent> sink = new CopyOnWriteArrayList<>();
      w.addSink(sink::add);
      w.quarantineWith(
          l -> {
            handed.add(l.key());
            return "0badf00d";
          });
      List<WatchEvent> events = cycleUntil(w, "quarantined");
      WatchEvent violation =
          events.stream().filter(e -> e.type().equals("violation")).findFirst().orElseThrow();
      WatchEvent done =
          events.stream().filter(e -> e.type().equals("quarantined")).findFirst().orElseThrow();
      assertThat(violation.alert()).isTrue();
      assertThat(done.alert()).isTrue();
      assertThat(done.id()).as("stored").isPositive();
      assertThat(done.message())
          .startsWith("quarantined 0badf00d: java (pid " + ProcessHandle.current().pid() + ")")
          .endsWith("is dropped, by the policy");
      assertThat(done.action()).isEqualTo("porthole quarantine release 0badf00d");
      assertThat(sink).contains(done);
      for (int i = 0; i < 3; i++) {
        w.cycle();
      }
      // Every unexpected listener of the machine is handed over; ours exactly once.
      assertThat(handed).containsOnlyOnce("tcp 127.0.0.1:" + socket.getLocalPort());
      assertThat(
              new WatchStore(store)
                  .events(
                      new WatchStore.EventQuery(
                          null, Set.of("quarantined"), socket.getLocalPort(), 10)))
          .hasSize(1);
    }
  }

  @Test
  void theRealActionRefusesPortholeItselfWithTheSameWordsAsKill() throws Exception {
    try (Watcher w = watcher("unexpected: quarantine\n")) {
      PolicyQuarantine real = new PolicyQuarantine(store, () -> true);
      int mine = socket.getLocalPort();
      // Only this test's listener reaches the real action: the machine's others belong to other
      // people, and the real action would freeze them and drop their ports.
      w.quarantineWith(
          l -> {
            if (l.port() != mine) {
              throw new IllegalStateException("not this test's listener");
            }
            return real.quarantine(l);
          });
      List<WatchEvent> events = cycleUntil(w, "quarantine-failed");
      WatchEvent failed =
          events.stream()
              .filter(e -> e.type().equals("quarantine-failed"))
              .findFirst()
              .orElseThrow();
      assertThat(failed.alert()).isTrue();
      assertThat(failed.message())
          .isEqualTo(
              "not quarantined: java (pid "
                  + ProcessHandle.current().pid()
                  + ") on tcp 127.0.0.1:"
                  + socket.getLocalPort()
                  + ": refused: that is porthole itself");
      assertThat(new QuarantineStore(store).open()).isEmpty();
    }
  }

  @Test
  void withoutThePrivilegeNothingIsDoneAndTheEventSaysWhatItNeeds() throws Exception {
    try (Watcher w = watcher("unexpected: alert\nmismatch: quarantine\nexpected:\n  - port: "
        + socket.getLocalPort() + "\n    process: postgres\n")) {
      // Another pid than ours, so only the privilege check stands in the way.
      w.quarantineWith(
          l -> {
            throw new IllegalStateException("needs root or CAP_NET_ADMIN");
          });
      WatchEvent failed =
          cycleUntil(w, "quarantine-failed").stream()
              .filter(e -> e.type().equals("quarantine-failed"))
              .findFirst()
              .orElseThrow();
      assertThat(failed.message()).endsWith(": needs root or CAP_NET_ADMIN");
      assertThat(failed.action()).isEqualTo("porthole kill " + socket.getLocalPort());
    }
  }
}
