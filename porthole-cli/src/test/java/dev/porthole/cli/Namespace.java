package dev.porthole.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs porthole inside a private network and mount namespace ({@code unshare --net --mount}), after
 * a setup script: firewall rules, a staged /etc/hosts, listeners. Nothing leaves the namespace,
 * whose only interface is its own loopback, and nothing it changes is seen by the machine.
 *
 * <p>Ports inside the namespace are fixed numbers: a fresh namespace has no other socket, so they
 * cannot clash.
 */
final class Namespace {
  private Namespace() {}

  /** Returns what {@code porthole ARGS} printed and its exit code, after {@code setup} ran. */
  static Run run(String setup, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String script =
        String.join(
            "\n",
            "set -e",
            "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
            "ip link set lo up",
            setup,
            "set +e",
            quote(java)
                + " -cp "
                + quote(cp)
                + " dev.porthole.cli.Porthole "
                + List.of(args).stream().map(Namespace::quote).collect(Collectors.joining(" ")));
    Process p = new ProcessBuilder("unshare", "--net", "--mount", "bash", "-c", script).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException(
          "porthole in the namespace did not finish in 90 s: " + err.join());
    }
    return new Run(p.exitValue(), out.join(), err.join());
  }

  /**
   * Returns what a whole script printed inside a fresh namespace, where {@code porthole ARGS} is a
   * shell function that runs this build's porthole (so a script can start it in the background,
   * kill it, and list the rules in between).
   */
  static Run shell(String body) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String script =
        String.join(
            "\n",
            "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
            "ip link set lo up",
            // In a subshell (cmd &, $(cmd)) exec, so that $! is porthole's own pid for kill.
            "porthole() { if [ \"$BASHPID\" != \"$$\" ]; then exec "
                + quote(java)
                + " -cp "
                + quote(cp)
                + " dev.porthole.cli.Porthole \"$@\"; else "
                + quote(java)
                + " -cp "
                + quote(cp)
                + " dev.porthole.cli.Porthole \"$@\"; fi; }",
            body);
    Process p = new ProcessBuilder("unshare", "--net", "--mount", "bash", "-c", script).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      // Its children too: one left behind (a stopped process ignores SIGTERM) holds the pipes
      // open, and reading them would never end.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException(
          "the namespace script did not finish in 120 s: " + err.join());
    }
    return new Run(p.exitValue(), out.join(), err.join());
  }

  /** Returns a shell loop that waits (at most 20 s) until {@code condition} holds. */
  static String until(String condition) {
    return "for i in $(seq 400); do " + condition + " && break; sleep 0.05; done";
  }

  /** Returns a setup line that starts a TCP listener (socat) on 127.0.0.1:PORT and waits for it. */
  static String listener(int port) {
    return listener("127.0.0.1", port);
  }

  /** Returns a setup line that starts a TCP listener (socat) on ADDRESS:PORT and waits for it. */
  static String listener(String address, int port) {
    String ready = "ss -Hltn \"sport = :" + port + "\" | grep -q .";
    return "socat TCP-LISTEN:"
        + port
        + ",bind="
        + address
        + ",reuseaddr,fork SYSTEM:'sleep 5' &\n"
        + "for i in $(seq 100); do "
        + ready
        + " && break; sleep 0.05; done\n"
        + ready;
  }

  /**
   * Returns setup lines that bind-mount {@code hosts} over /etc/hosts, resolving from files only.
   */
  static String hostsFile(Path dir, String hosts) throws IOException {
    Path file = dir.resolve("hosts");
    Path nss = dir.resolve("nsswitch.conf");
    java.nio.file.Files.writeString(file, hosts);
    java.nio.file.Files.writeString(nss, "hosts: files\n");
    return "mount --bind "
        + quote(file.toString())
        + " /etc/hosts\n"
        + "mount --bind "
        + quote(nss.toString())
        + " /etc/nsswitch.conf";
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
