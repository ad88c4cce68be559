package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real listeners, opened and closed by the tests, seen by a watcher cycling every 100 ms. */
@Timeout(120)
class WatcherTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final long ME = ProcessHandle.current().pid();

  @TempDir Path dir;
  private Store store;
  private Watcher watcher;
  private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void openStore() {
    store = Store.open(dir.resolve("porthole.db"));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    store.close();
  }

  private Watcher start(Path policy) {
    watcher =
        new Watcher(
            ListenerReader.system(),
            new WatchStore(store),
            new Watcher.Options(INTERVAL, policy, Duration.ofDays(30)));
    watcher.addSink(events::add);
    watcher.start();
    return watcher;
  }

  private ServerSocket listen(String address, int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    cleanup.add(s);
    return s;
  }

  /** Returns the first event (within 30 s: many intervals) that {@code match} accepts. */
  private WatchEvent await(String type, int port, Predicate<WatchEvent> match)
      throws InterruptedException {
    long deadline =
        System.nanoTime()
            + TimeUnit.SECONDS.toNanos(
                30); // the first cycle scans every fd: slow on a loaded machine
    List<WatchEvent> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      WatchEvent e = events.poll(50, TimeUnit.MILLISECONDS);
      if (e != null && e.type().equals(type) && e.port() == port && match.test(e)) {
        return e;
      }
      if (e != null) {
        seen.add(e);
      }
    }
    throw new AssertionError(
        "no "
            + type
            + " event for port "
            + port
            + " within 30 s; saw "
            + seen.stream().filter(x -> x.port() == port).map(WatchEvent::message).toList());
  }

  @Test
  void aListenerOpenedAndClosedIsSeenWithItsProcessInDetail() throws Exception {
    start(null);
    ServerSocket s = listen("127.0.0.1", 0);
    int port = s.getLocalPort();
    WatchEvent opened = await("opened", port, e -> true);
    ProcessDetails p = opened.process();
    assertThat(opened.id()).isPositive();
    assertThat(opened.address()).isEqualTo("127.0.0.1");
    assertThat(opened.scope()).isEqualTo("loopback");
    assertThat(p.pid()).isEqualTo(ME);
    assertThat(p.exe()).endsWith("/java");
    assertThat(p.sha256()).matches("[0-9a-f]{64}");
    assertThat(p.cwd()).isEqualTo(Path.of("").toAbsolutePath().toString());
    assertThat(p.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(p.commandLine()).contains("java");
    assertThat(p.startTime()).isNotNull();
    assertThat(p.parents()).isNotEmpty();
    assertThat(p.parents().getFirst().pid())
        .isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    assertThat(opened.action()).isEqualTo("porthole kill " + port);

    s.close();
    await("closed", port, e -> e.process().pid() == ME);
    List<WatchStore.HistoryEntry> history = new WatchStore(store).history(port);
    assertThat(history).hasSize(1);
    assertThat(history.getFirst().closed()).isNotNull();
    assertThat(history.getFirst().owner().pid()).isEqualTo(ME);
  }

  @Test
  void aPortFreedAndTakenByAnotherProcessIsAnOwnerChange() throws Exception {
    start(null);
    ServerSocket s = listen("127.0.0.1", 0);
    int port = s.getLocalPort();
    await("opened", port, e -> true);
    s.close();
    Process python =
        new ProcessBuilder(
                "python3",
                "-c",
                "import socket,time\n"
                    + "s=socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                    + "s.bind(('127.0.0.1',"
                    + port
                    + "))\ns.listen()\ntime.sleep(60)")
            .start();
    cleanup.add(python::destroyForcibly);
    WatchEvent changed = await("owner-changed", port, e -> true);
    assertThat(changed.previous().pid()).isEqualTo(ME);
    assertThat(changed.process().pid()).isEqualTo(python.pid());
    assertThat(changed.process().name()).startsWith("python");
    assertThat(changed.message()).contains("-> " + changed.process().label());
  }

  @Test
  void aListenerOnAllInterfacesIsAnExposure() throws Exception {
    start(null);
    // Bound to all interfaces for the test's few hundred milliseconds; nothing connects to it.
    ServerSocket s = listen("0.0.0.0", 0);
    WatchEvent exposed = await("exposed", s.getLocalPort(), e -> true);
    assertThat(exposed.scope()).isEqualTo("all");
    assertThat(exposed.message()).endsWith("is bound to all interfaces");
  }

  @Test
  void policyViolationsAndAnExpectedServiceDownAndBackUp() throws Exception {
    ServerSocket held = listen("127.0.0.1", 0);
    int given = held.getLocalPort();
    int service;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      service = probe.getLocalPort();
    }
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
            unexpected: ignore
            expected:
              - port: %d
                process: postgres
            services:
              - name: db
                port: %d
            """
                .formatted(given, service));
    start(policy);
    WatchEvent violation = await("violation", given, e -> true);
    assertThat(violation.alert()).isTrue();
    assertThat(violation.message()).endsWith("policy gives port " + given + " to process postgres");
    await(
        "down",
        service,
        e -> e.message().equals("expected service db is not listening on tcp port " + service));

    listen("127.0.0.1", service);
    await("up", service, e -> true);
  }

  @Test
  void aBrokenPolicyIsRejectedAndTheLastGoodOneKept() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "unexpected: event\n");
    start(policy);
    Policy good = watcher.policy();
    // Replaced whole, as editors save: a watcher cycle between truncate and write would read an
    // empty file, rightly rejected too, but not the rejection this test is about.
    Path next =
        Files.writeString(
            dir.resolve("policy.yaml.new"), "unexpected: event\nexpected:\n  - port: 0\n");
    Files.move(next, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    WatchEvent rejected = await("policy-rejected", 0, e -> true);
    assertThat(rejected.message())
        .isEqualTo(
            "policy rejected, keeping the last good one: "
                + policy
                + ": line 3: port: '0' (expected: a port 1-65535 or a range A-B, e.g. 3000-3999)");
    assertThat(watcher.policy()).isSameAs(good);
  }

  @Test
  void aRestartedWatcherResumesFromTheStoreWithoutRepeatingOpenedEvents() throws Exception {
    ServerSocket s = listen("127.0.0.1", 0);
    int port = s.getLocalPort();
    try (Watcher first =
        new Watcher(
            ListenerReader.system(),
            new WatchStore(store),
            new Watcher.Options(INTERVAL, null, null))) {
      assertThat(first.cycle()).anyMatch(e -> e.type().equals("opened") && e.port() == port);
    }
    try (Watcher second =
        new Watcher(
            ListenerReader.system(),
            new WatchStore(store),
            new Watcher.Options(INTERVAL, null, null))) {
      assertThat(second.cycle()).noneMatch(e -> e.port() == port);
      s.close();
      assertThat(second.cycle()).anyMatch(e -> e.type().equals("closed") && e.port() == port);
    }
  }

  @Test
  void eventsWaitInMemoryWhileTheStoreCannotBeWrittenAndNoneIsLost() throws Exception {
    ServerSocket s = listen("127.0.0.1", 0);
    int port = s.getLocalPort();
    try (Watcher w =
            new Watcher(
                ListenerReader.system(),
                new WatchStore(store),
                new Watcher.Options(INTERVAL, null, null));
        java.sql.Connection other =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("porthole.db"))) {
      try (java.sql.Statement st = other.createStatement()) {
        st.execute("BEGIN EXCLUSIVE"); // another writer holds the file: every write fails
      }
      List<WatchEvent> unstored = w.cycle(); // waits out the store's busy timeout, then gives up
      assertThat(unstored)
          .anyMatch(e -> e.type().equals("opened") && e.port() == port && e.id() == 0);
      try (java.sql.Statement st = other.createStatement()) {
        st.execute("ROLLBACK");
      }
      w.cycle();
      assertThat(new WatchStore(store).events(new WatchStore.EventQuery(null, null, port, 0)))
          .extracting(WatchEvent::type)
          .containsExactly("opened");
    }
  }

  @Test
  void aSecondCycleRescansNoFdsWhenNoSocketIsNew() {
    ListenerReader reader = ListenerReader.system();
    reader.read();
    int scans = reader.ownerCache().scans();
    reader.read();
    // Other processes on this machine may open sockets meanwhile; usually none did.
    assertThat(reader.ownerCache().scans()).isBetween(scans, scans + 1);
    assertThat(reader.ownerCache().lastScanned()).isLessThan(5);
  }
}
