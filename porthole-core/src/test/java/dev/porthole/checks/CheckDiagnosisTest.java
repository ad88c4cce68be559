package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stages each diagnosis for real on loopback and checks what {@link Check} says about it. */
@Timeout(60)
class CheckDiagnosisTest {
  private static final String PID = "PID " + ProcessHandle.current().pid();
  private static final CommandRunner RUNNER = CommandRunner.system(Duration.ofSeconds(5));

  @TempDir static Path dir;
  static TestServer http;
  static TestServer tls;

  @BeforeAll
  static void start() throws Exception {
    http = TestServer.plain("127.0.0.1", TestServer.Behaviour.HTTP);
    tls = TestServer.tls(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    tls.close();
  }

  private static CheckResult check(String target, Duration timeout) {
    Target t = Target.parse(target);
    return new Check(timeout, RUNNER, Diagnoser.system(RUNNER, t.port())).run(t);
  }

  private static CheckResult check(String target) {
    return check(target, Duration.ofSeconds(3));
  }

  @Test
  void httpServerIsUpWithStatusHeadersAndBodySize() {
    CheckResult r = check("http://127.0.0.1:" + http.port() + "/health");
    assertThat(r.up()).isTrue();
    assertThat(r.diagnosis()).isNull();
    assertThat(r.steps())
        .extracting(Step::name)
        .containsExactly("resolve", "connect", "request", "first-byte", "body");
    assertThat(r.http().status()).isEqualTo(200);
    assertThat(r.http().headers()).containsEntry("content-type", "text/plain");
    assertThat(r.http().bodyBytes()).isEqualTo(2);
    assertThat(r.totalMillis()).isBetween(0.0, 10_000.0);
  }

  @Test
  void tlsServerWithSelfSignedCertificateIsInspected() {
    CheckResult r = check("https://127.0.0.1:" + tls.port() + "/");
    assertThat(r.up()).isTrue();
    assertThat(r.tls().selfSigned()).isTrue();
    assertThat(r.tls().trusted()).isFalse();
    assertThat(r.tls().subject()).isEqualTo("CN=localhost");
    assertThat(r.tls().protocol()).startsWith("TLSv1.");
    assertThat(r.http().status()).isEqualTo(200);
  }

  @Test
  void nothingListens() throws Exception {
    try (Socket held = TestServer.refusingPort("127.0.0.1")) {
      int port = held.getLocalPort();
      CheckResult r = check("127.0.0.1:" + port);
      assertThat(r.up()).isFalse();
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.NOTHING_LISTENS);
      assertThat(r.diagnosis().summary()).isEqualTo("Nothing listens on port " + port + ".");
    }
  }

  @Test
  void listensOnIpv6OnlyWhileIpv4WasAsked() throws Exception {
    try (TestServer.Staged v6 =
        TestServer.staged("::1", "127.0.0.1", TestServer.Behaviour.SILENT)) {
      CheckResult r = check("127.0.0.1:" + v6.port());
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.LISTENS_ON_IPV6_ONLY);
      assertThat(r.diagnosis().summary())
          .isEqualTo(
              "Port "
                  + v6.port()
                  + " listens on [::1]:"
                  + v6.port()
                  + " only, not on 127.0.0.1:"
                  + v6.port()
                  + ".");
      assertThat(r.diagnosis().details().get(0)).startsWith(PID + " (java");
      // Derived on this machine, not stated: the JVM's first address and getent's first.
      String jvmFirst = Resolution.text(java.net.InetAddress.getAllByName("localhost")[0]);
      assertThat(r.diagnosis().details().get(1))
          .startsWith("'localhost' here: the JVM tries " + jvmFirst + " first, ")
          .contains("the system resolver (getent ahosts");
    }
  }

  @Test
  void listensOnIpv4OnlyWhileIpv6WasAsked() throws Exception {
    try (TestServer.Staged v4 =
        TestServer.staged("127.0.0.1", "::1", TestServer.Behaviour.SILENT)) {
      CheckResult r = check("[::1]:" + v4.port());
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.LISTENS_ON_IPV4_ONLY);
      assertThat(r.diagnosis().fix()).startsWith("connect to 127.0.0.1:" + v4.port());
    }
  }

  @Test
  void listensOnAnotherLoopbackAddress() throws Exception {
    try (TestServer.Staged other =
        TestServer.staged("127.0.0.2", "127.0.0.1", TestServer.Behaviour.SILENT)) {
      CheckResult r = check("127.0.0.1:" + other.port());
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.LISTENS_ON_OTHER_LOOPBACK);
      assertThat(r.diagnosis().fix()).startsWith("connect to 127.0.0.2:" + other.port());
      assertThat(r.diagnosis().details().get(0)).startsWith(PID);
    }
  }

  @Test
  void acceptedButNoAnswerWithinTheTimeout() throws Exception {
    try (TestServer silent = TestServer.plain("127.0.0.1", TestServer.Behaviour.SILENT)) {
      CheckResult r = check("http://127.0.0.1:" + silent.port() + "/", Duration.ofMillis(500));
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.NO_ANSWER);
      assertThat(r.diagnosis().details().get(0)).startsWith(PID);
      Step firstByte = r.steps().get(r.steps().size() - 1);
      assertThat(firstByte.name()).isEqualTo("first-byte");
      assertThat(firstByte.millis()).isBetween(400.0, 5_000.0);
    }
  }

  @Test
  void resetRightAfterConnect() throws Exception {
    try (TestServer reset = TestServer.plain("127.0.0.1", TestServer.Behaviour.RESET)) {
      CheckResult r = check("127.0.0.1:" + reset.port());
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.RESET_AFTER_CONNECT);
    }
  }

  @Test
  void closedRightAfterConnect() throws Exception {
    try (TestServer closing = TestServer.plain("127.0.0.1", TestServer.Behaviour.CLOSE)) {
      CheckResult r = check("127.0.0.1:" + closing.port());
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.CLOSED_AFTER_CONNECT);
    }
  }

  @Test
  void tlsSpokenToPlainPort() {
    CheckResult r = check("https://127.0.0.1:" + http.port() + "/");
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.TLS_TO_PLAIN_PORT);
    assertThat(r.diagnosis().fix()).isEqualTo("use http://127.0.0.1:" + http.port() + "/");
  }

  @Test
  void plainHttpSpokenToTlsPort() {
    CheckResult r = check("http://127.0.0.1:" + tls.port() + "/");
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.PLAIN_TO_TLS_PORT);
    assertThat(r.diagnosis().fix()).isEqualTo("use https://127.0.0.1:" + tls.port() + "/");
  }

  @Test
  void ephemeralPortHeldByAnOutgoingConnection() throws Exception {
    try (TestServer server = TestServer.plain("127.0.0.1", TestServer.Behaviour.SILENT);
        Socket outgoing = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
      int port = outgoing.getLocalPort();
      CheckResult r = check("127.0.0.1:" + port);
      assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.EPHEMERAL_PORT_TAKEN);
      assertThat(r.diagnosis().details().get(0))
          .startsWith(PID)
          .contains("connection to 127.0.0.1:" + server.port());
    }
  }

  @Test
  void theLiveConnectionIsNamedBesideAnEarlierOneInTimeWait() throws Exception {
    try (TestServer first = TestServer.plain("127.0.0.1", TestServer.Behaviour.SILENT);
        TestServer second = TestServer.plain("127.0.0.1", TestServer.Behaviour.SILENT);
        Socket earlier = new Socket()) {
      // The client closes first, so its end (an ephemeral port) stays in TIME_WAIT, ownerless.
      earlier.setReuseAddress(true);
      earlier.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = earlier.getLocalPort();
      earlier.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), first.port()));
      earlier.close();
      try (Socket live = new Socket()) {
        live.setReuseAddress(true);
        live.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        live.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), second.port()));
        CheckResult r = check("127.0.0.1:" + port);
        assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.EPHEMERAL_PORT_TAKEN);
        assertThat(r.diagnosis().details().get(0))
            .startsWith(PID)
            .contains("connection to 127.0.0.1:" + second.port());
      }
    }
  }

  @Test
  void nameThatDoesNotResolve() {
    CheckResult r = check("no-such-name.invalid:8080");
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.NAME_NOT_RESOLVING);
    assertThat(r.steps()).extracting(Step::name).containsExactly("resolve");
  }
}
