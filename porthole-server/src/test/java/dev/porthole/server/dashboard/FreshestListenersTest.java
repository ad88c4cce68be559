package dev.porthole.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.attribution.Attributor;
import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.DockerEngine;
import dev.porthole.sockets.UserNames;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.ProcessDetailsReader;
import dev.porthole.watch.Watcher;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real watch whose first cycle is held between reading the sockets and publishing them, as a
 * loaded machine holds it: a listener opened in between, once the dashboard has shown it, must not
 * vanish when that older cycle is published.
 */
@Timeout(60)
class FreshestListenersTest {
  private static final Path PROC = Path.of("/proc");

  @Test
  void aCycleBegunBeforeTheDashboardsOwnReadingDoesNotReplaceIt() throws Exception {
    CountDownLatch socketsRead = new CountDownLatch(1);
    CountDownLatch publish = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    // The attributor is asked for after the sockets were read and before the cycle ends.
    ListenerReader held =
        new ListenerReader(
            PROC,
            UserNames.system(),
            ProcessDetailsReader.system(),
            () -> {
              if (first.getAndSet(false)) {
                socketsRead.countDown();
                awaitQuietly(publish);
              }
              return new Attributor(PROC, new ContainerLookup(DockerEngine.local()));
            });
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket ours = new ServerSocket(0, 5, loopback); // makes the attributor be asked
        Watcher watcher =
            new Watcher(held, null, new Watcher.Options(Duration.ofHours(1), null, null))) {
      FreshestListeners listeners = new FreshestListeners(() -> lastCycle(watcher), reader());
      watcher.start();
      assertThat(socketsRead.await(30, TimeUnit.SECONDS)).as("first cycle read").isTrue();
      try (ServerSocket late = new ServerSocket(0, 5, loopback)) {
        assertThat(ports(listeners.get())).contains(ours.getLocalPort(), late.getLocalPort());
        publish.countDown();
        for (int i = 0; i < 300 && watcher.lastCycleNanos() == 0; i++) {
          Thread.sleep(100);
        }
        assertThat(watcher.lastCycleNanos()).as("first cycle published").isNotZero();
        assertThat(ports(watcher.listeners())).doesNotContain(late.getLocalPort());
        assertThat(ports(listeners.get()))
            .as("after the older cycle")
            .contains(late.getLocalPort());

        watcher.cycle(); // begun after the dashboard's reading: the dashboard takes it
        assertThat(listeners.get()).isSameAs(watcher.listeners());
        assertThat(ports(listeners.get())).contains(late.getLocalPort());
      } finally {
        publish.countDown();
      }
    }
  }

  @Test
  void withNoCycleYetItReadsItself() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      FreshestListeners listeners = new FreshestListeners(Optional::empty, reader());
      assertThat(ports(listeners.get())).contains(s.getLocalPort());
    }
  }

  private static ListenerReader reader() {
    return new ListenerReader(PROC, UserNames.system(), ProcessDetailsReader.system());
  }

  /** The shape WatchModule gives: empty until a cycle has ended. */
  private static Optional<Watcher.Reading> lastCycle(Watcher watcher) {
    return watcher.lastCycleNanos() == 0 ? Optional.empty() : Optional.of(watcher.lastReading());
  }

  private static List<Integer> ports(List<Listener> listeners) {
    return listeners.stream().map(Listener::port).toList();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
