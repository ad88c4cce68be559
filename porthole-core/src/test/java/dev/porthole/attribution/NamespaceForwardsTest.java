package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pasta and slirp4netns forwarding a host port on 127.0.0.1 into the network namespace of a
 * sleeping child ({@code unshare --user --map-root-user --net}): the host listener is named
 * "forward into namespace of PID N" with the guest port. rootlesskit needs a user with subordinate
 * ids, so its real test is with rootless Podman's user (porthole-cli's PodmanRootlessTest).
 */
@Timeout(90)
class NamespaceForwardsTest {
  @TempDir Path temp;
  private Process child;

  @BeforeEach
  void startNamespace() throws Exception {
    child =
        new ProcessBuilder("unshare", "--user", "--map-root-user", "--net", "sleep", "60").start();
    Path ns = Path.of("/proc/" + child.pid() + "/ns/net");
    String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    for (int i = 0; i < 100 && Files.readSymbolicLink(ns).toString().equals(own); i++) {
      Thread.sleep(50); // unshare execs sleep after it made the namespace: 5 s at most
    }
  }

  @AfterEach
  void stop() throws Exception {
    child.destroy();
    child.waitFor(5, TimeUnit.SECONDS);
  }

  private Origin originOf(ListenerProcess p) {
    Attributor attributor =
        new Attributor(
            Path.of("/proc"),
            new ContainerLookup(DockerEngine.at(temp.resolve("none.sock"), Duration.ofSeconds(1))));
    return attributor.origin(p.listener().orElseThrow());
  }

  @Test
  void pastaForwardNamesTheNamespaceAndTheGuestPort() throws Exception {
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            null,
            port,
            "pasta",
            "-f",
            "-q",
            "--runas",
            "0", // as root pasta turns into nobody, who may not enter root's namespace
            "-t",
            "127.0.0.1/" + port + ":8080",
            "-u",
            "none",
            "-T",
            "none",
            "-U",
            "none",
            Long.toString(child.pid()))) {
      Origin o = originOf(p);
      assertThat(o.kind()).isEqualTo("forward");
      assertThat(o.name())
          .isEqualTo("pasta forward into namespace of PID " + child.pid() + " port 8080");
      assertThat(o.details())
          .containsEntry("tool", "pasta")
          .containsEntry("guestPort", "8080")
          .containsEntry("namespacePid", Long.toString(child.pid()))
          .containsEntry("netns", Files.readSymbolicLink(nsOf(child.pid())).toString());
    }
  }

  @Test
  void slirp4netnsHostForwardIsReadFromItsApiSocket() throws Exception {
    Path api = temp.resolve("slirp.sock");
    try (ListenerProcess slirp =
        ListenerProcess.startUntil(
            () -> Files.exists(api),
            "slirp4netns",
            "--configure",
            "--disable-host-loopback",
            "--api-socket",
            api.toString(),
            Long.toString(child.pid()),
            "tap0")) {
      int port = ListenerProcess.freePort();
      String answer = addHostForward(api, port, 5432);
      assertThat(answer).contains("\"return\"");
      ListenerProcess p = slirp.listeningOn(port);
      Origin o = originOf(p);
      assertThat(o.kind()).isEqualTo("forward");
      assertThat(o.name())
          .isEqualTo("slirp4netns forward into namespace of PID " + child.pid() + " port 5432");
      assertThat(o.details())
          .containsEntry("tool", "slirp4netns")
          .containsEntry("guestPort", "5432");
    }
  }

  @Test
  void slirp4netnsWithoutItsApiSocketSaysWhyTheGuestPortIsUnknown() throws Exception {
    Path api = temp.resolve("gone.sock");
    try (ListenerProcess slirp =
        ListenerProcess.startUntil(
            () -> Files.exists(api),
            "slirp4netns",
            "--api-socket",
            api.toString(),
            Long.toString(child.pid()),
            "tap0")) {
      int port = ListenerProcess.freePort();
      addHostForward(api, port, 80);
      Files.delete(api); // the socket file gone: slirp4netns still forwards, nobody can ask it
      Origin o = originOf(slirp.listeningOn(port));
      assertThat(o.name()).isEqualTo("slirp4netns forward into namespace of PID " + child.pid());
      assertThat(o.detail("problem")).startsWith("its API socket " + api + " did not answer");
    }
  }

  private static String addHostForward(Path api, int hostPort, int guestPort) throws Exception {
    String request =
        "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
            + "\"host_port\":"
            + hostPort
            + ",\"guest_port\":"
            + guestPort
            + "}}";
    return new String(
        UnixHttp.exchange(api, request, Duration.ofSeconds(5)), StandardCharsets.UTF_8);
  }

  private static Path nsOf(long pid) {
    return Path.of("/proc/" + pid + "/ns/net");
  }
}
