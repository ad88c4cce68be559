package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.DockerEngine;
import dev.porthole.attribution.NamespaceListener;
import dev.porthole.attribution.NamespaceListeners;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socat listening on 127.0.0.1 inside its own network namespace ({@code unshare --net}): found
 * through {@code /proc/PID/net}, and named by a failing check of the same port here.
 */
@Timeout(60)
class NamespaceDiagnosisTest {
  private static final CommandRunner RUNNER = CommandRunner.system(Duration.ofSeconds(5));
  private static Process inside;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free here; the namespace has no other socket at all
    }
    inside =
        new ProcessBuilder(
                "unshare",
                "--net",
                "sh",
                "-c",
                "ip link set lo up && exec socat TCP-LISTEN:" + port + ",bind=127.0.0.1 -")
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    for (int i = 0; i < 200 && find() == null; i++) { // 10 s
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    inside.destroy();
    inside.waitFor(5, TimeUnit.SECONDS);
  }

  private static NamespaceListener find() {
    return listeners().stream()
        .filter(l -> l.socket().localPort() == port && l.pid() == inside.pid())
        .findFirst()
        .orElse(null);
  }

  private static List<NamespaceListener> listeners() {
    return new NamespaceListeners(
            Path.of("/proc"),
            new ContainerLookup(
                DockerEngine.at(Path.of("/nonexistent.sock"), Duration.ofSeconds(1))))
        .read();
  }

  @Test
  void theListenerIsFoundInItsOwnNamespace() {
    NamespaceListener l = find();
    assertThat(l).as("socat inside the namespace on " + port).isNotNull();
    assertThat(l.process()).isEqualTo("socat");
    assertThat(l.socket().localAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(l.namespace()).startsWith("net:[");
    assertThat(l.origin().kind()).isEqualTo("namespace");
    assertThat(l.origin().name())
        .isEqualTo("network namespace of PID " + inside.pid() + " (socat)");
  }

  @Test
  void aRefusedCheckSaysThePortListensInThatNamespace() {
    Target t = Target.parse("127.0.0.1:" + port);
    CheckResult r = new Check(Duration.ofSeconds(3), RUNNER, Diagnoser.system(RUNNER, port)).run(t);
    assertThat(r.up()).isFalse();
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.LISTENS_IN_OTHER_NAMESPACE);
    assertThat(r.diagnosis().summary())
        .isEqualTo(
            port
                + " listens inside the network namespace of PID "
                + inside.pid()
                + " (socat) on its own 127.0.0.1; it is not published.");
    assertThat(r.diagnosis().fix()).contains("nsenter -t " + inside.pid() + " -n");
  }
}
