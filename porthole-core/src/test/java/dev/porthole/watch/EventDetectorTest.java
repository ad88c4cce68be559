package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDetectorTest {
  private static final Instant T = Instant.parse("2026-11-21T12:00:00Z");
  private final EventDetector detector = new EventDetector();

  static ProcessDetails proc(int pid, String name, String exe) {
    return new ProcessDetails(
        pid, 1, name, name, 1000, "dev", exe, "ab", null, pid * 10L, "/", List.of(), null);
  }

  static Listener tcp(String address, int port, ProcessDetails owner) {
    return new Listener(Protocol.TCP, address, port, BindScope.of(ip(address)), port, owner);
  }

  private static java.net.InetAddress ip(String a) {
    try {
      return java.net.InetAddress.getByName(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private List<String> types(List<Listener> now, Policy policy) {
    return detector.step(now, policy, T).events().stream().map(WatchEvent::type).toList();
  }

  @Test
  void aNewListenerIsOpenedAndAGoneOneClosed() {
    Listener a = tcp("127.0.0.1", 8080, proc(10, "python3", "/usr/bin/python3"));
    assertThat(types(List.of(a), Policy.NONE)).containsExactly("opened");
    assertThat(types(List.of(a), Policy.NONE)).isEmpty();
    EventDetector.Step gone = detector.step(List.of(), Policy.NONE, T);
    assertThat(gone.events()).extracting(WatchEvent::type).containsExactly("closed");
    assertThat(gone.closed()).containsExactly(a);
  }

  @Test
  void aPortTakenByAnotherProcessIsAnOwnerChange() {
    ProcessDetails first = proc(10, "python3", "/usr/bin/python3");
    ProcessDetails second = proc(20, "nc", "/usr/bin/nc");
    types(List.of(tcp("127.0.0.1", 8080, first)), Policy.NONE);
    types(List.of(), Policy.NONE);
    List<WatchEvent> events =
        detector.step(List.of(tcp("127.0.0.1", 8080, second)), Policy.NONE, T).events();
    assertThat(events).extracting(WatchEvent::type).containsExactly("opened", "owner-changed");
    assertThat(events.get(1).previous().pid()).isEqualTo(10);
    assertThat(events.get(1).process().pid()).isEqualTo(20);
    assertThat(events.get(1).message())
        .isEqualTo(
            "port 8080 changed owner: python3 (pid 10) -> nc (pid 20) on tcp 127.0.0.1:8080");
    assertThat(events.get(1).action()).isEqualTo("porthole kill 8080");
  }

  @Test
  void anOwnerChangeBetweenTwoSnapshotsReplacesTheListener() {
    types(List.of(tcp("127.0.0.1", 8080, proc(10, "a", "/a"))), Policy.NONE);
    EventDetector.Step step =
        detector.step(List.of(tcp("127.0.0.1", 8080, proc(20, "b", "/b"))), Policy.NONE, T);
    assertThat(step.events()).extracting(WatchEvent::type).containsExactly("owner-changed");
    assertThat(step.closed()).hasSize(1);
    assertThat(step.opened()).hasSize(1);
  }

  @Test
  void exposureIsRaisedOnceUnlessARuleStatesTheScope() {
    Listener open = tcp("0.0.0.0", 8080, proc(10, "python3", "/usr/bin/python3"));
    assertThat(types(List.of(open), Policy.NONE)).containsExactly("opened", "exposed");
    assertThat(types(List.of(open), Policy.NONE)).isEmpty();

    Policy allowed = PolicyFile.parse("expected:\n  - port: 8080\n    scope: all\n", "p");
    EventDetector fresh = new EventDetector();
    assertThat(fresh.step(List.of(open), allowed, T).events())
        .extracting(WatchEvent::type)
        .containsExactly("opened");
  }

  @Test
  void unexpectedListenersAndWrongOwnersAreViolations() {
    Policy policy =
        PolicyFile.parse(
            """
            unexpected: event
            mismatch: alert
            exposure: ignore
            expected:
              - port: 5432
                process: postgres
            """,
            "p");
    List<WatchEvent> events =
        detector
            .step(
                List.of(
                    tcp("127.0.0.1", 5432, proc(10, "nc", "/usr/bin/nc")),
                    tcp("127.0.0.1", 9000, proc(11, "java", "/usr/bin/java"))),
                policy,
                T)
            .events();
    assertThat(events)
        .filteredOn(e -> e.type().equals("violation"))
        .extracting(WatchEvent::message, WatchEvent::alert)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "tcp 127.0.0.1:5432 held by nc (pid 10) (user dev,"
                    + " scope loopback): policy gives port 5432 to process postgres",
                true),
            org.assertj.core.groups.Tuple.tuple(
                "unexpected listener tcp 127.0.0.1:9000 held by java"
                    + " (pid 11): no rule expects port 9000",
                false));
  }

  @Test
  void anExpectedServiceIsDownOnceAndUpOnce() {
    Policy policy = PolicyFile.parse("services:\n  - name: db\n    port: 5432\n", "p");
    assertThat(types(List.of(), policy)).containsExactly("down");
    assertThat(types(List.of(), policy)).isEmpty();
    Listener db = tcp("127.0.0.1", 5432, proc(10, "postgres", "/usr/bin/postgres"));
    assertThat(types(List.of(db), policy)).containsExactly("opened", "violation", "up");
  }

  @Test
  void aRestoredStateRaisesNoEventsForListenersStillThere() {
    Listener a = tcp("127.0.0.1", 8080, proc(10, "python3", "/usr/bin/python3"));
    detector.restore(List.of(a), Map.of());
    assertThat(types(List.of(a), Policy.NONE)).isEmpty();
  }
}
