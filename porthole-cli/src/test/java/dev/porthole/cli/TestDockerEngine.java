package dev.porthole.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Docker engine of the test run's own: {@code dockerd --storage-driver=vfs} with its data,
 * exec root and socket in a temporary directory, on a bridge of its own (so it never touches
 * another engine's docker0), {@code --iptables=false} (published ports go through docker-proxy);
 * or, from {@link #startWithoutUserlandProxy()}, in a namespace of its own with DNAT rules. An
 * image {@code porthole-busybox:test} is imported from Debian's busybox-static. Started once per
 * run by {@link DockerEngineExtension}; closing stops it and removes what it made.
 */
final class TestDockerEngine implements AutoCloseable {
  static final String IMAGE = "porthole-busybox:test";
  private final Path dir;
  private final String bridge;
  private final Process dockerd;

  private TestDockerEngine(Path dir, String bridge, Process dockerd) {
    this.dir = dir;
    this.bridge = bridge;
    this.dockerd = dockerd;
  }

  /** Returns the network namespace dockerd runs in, for {@code nsenter --net=...}. */
  Path netns() {
    return Path.of("/proc", Long.toString(dockerd.pid()), "ns", "net");
  }

  /** Returns the engine's socket, for DOCKER_HOST=unix://... */
  Path socket() {
    return dir.resolve("docker.sock");
  }

  static TestDockerEngine start() throws Exception {
    return start(false);
  }

  /**
   * Returns an engine of its own started with {@code --userland-proxy=false} and iptables on, in a
   * network namespace of its own ({@code unshare --net}, so its nat rules touch nothing of this
   * machine): a published port there is a DNAT rule and no socket. Close it after use.
   */
  static TestDockerEngine startWithoutUserlandProxy() throws Exception {
    return start(true);
  }

  private static TestDockerEngine start(boolean dnat) throws Exception {
    Path dir = Files.createTempDirectory("porthole-dockerd");
    int n = (int) (ProcessHandle.current().pid() % 200) + 20 + (dnat ? 1 : 0);
    String bridge = "phbr" + ProcessHandle.current().pid() + (dnat ? "n" : "");
    String subnet = (dnat ? "10.214." : "10.213.") + n + ".1/24";
    List<String> bridgeSetup =
        List.of(
            "ip link add " + bridge + " type bridge",
            "ip addr add " + subnet + " dev " + bridge,
            "ip link set " + bridge + " up");
    List<String> dockerd =
        new ArrayList<>(
            List.of(
                "dockerd",
                "--storage-driver=vfs",
                "--data-root=" + dir.resolve("data"),
                "--exec-root=" + dir.resolve("exec"),
                "--host",
                "unix://" + dir.resolve("docker.sock"),
                "--pidfile",
                dir.resolve("docker.pid").toString(),
                "--bridge=" + bridge,
                "--ip6tables=false"));
    List<String> command;
    if (dnat) {
      dockerd.add("--userland-proxy=false");
      // The bridge and loopback are made inside the new namespace, then dockerd replaces sh.
      command =
          List.of(
              "unshare",
              "--net",
              "sh",
              "-c",
              "ip link set lo up && "
                  + String.join(" && ", bridgeSetup)
                  + " && exec "
                  + String.join(" ", dockerd));
    } else {
      dockerd.add("--iptables=false");
      for (String step : bridgeSetup) {
        run(step.split(" "));
      }
      command = dockerd;
    }
    Process started =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dockerd.log").toFile())
            .start();
    TestDockerEngine engine = new TestDockerEngine(dir, bridge, started);
    try {
      engine.awaitReady();
      engine.importBusybox();
    } catch (Exception e) {
      String log = Files.readString(dir.resolve("dockerd.log"));
      engine.close();
      throw new IllegalStateException(
          "the test's dockerd did not start: " + e.getMessage() + "\n" + tail(log), e);
    }
    return engine;
  }

  private void awaitReady() throws Exception {
    for (int i = 0; i < 300; i++) { // 30 s
      if (!dockerd.isAlive()) {
        throw new IllegalStateException("dockerd exited with " + dockerd.exitValue());
      }
      if (Files.exists(socket()) && docker(false, "version").startsWith("ok")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no answer on " + socket() + " within 30 s");
  }

  private void importBusybox() throws Exception {
    Path root = Files.createDirectories(dir.resolve("image/bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
    for (String applet : List.of("sh", "httpd", "sleep", "nc")) {
      Files.createSymbolicLink(root.resolve(applet), Path.of("busybox"));
    }
    Path tar = dir.resolve("image.tar");
    run("tar", "-C", dir.resolve("image").toString(), "-cf", tar.toString(), ".");
    docker("import", tar.toString(), IMAGE);
  }

  /** Runs the docker CLI against this engine and returns its stdout; fails on a non-zero exit. */
  String docker(String... args) throws Exception {
    String out = docker(true, args);
    return out.substring(3);
  }

  private String docker(boolean strict, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker", "-H", "unix://" + socket()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + ": no end within 60 s");
    }
    if (p.exitValue() != 0) {
      if (strict) {
        throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
      }
      return "failed " + out;
    }
    return "ok " + out.strip();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  @Override
  public void close() throws Exception {
    try {
      Process list = new ProcessBuilder("docker", "-H", "unix://" + socket(), "ps", "-aq").start();
      String ids = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      list.waitFor(30, TimeUnit.SECONDS);
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(List.of(ids.split("\\s+")));
        docker(false, rm.toArray(String[]::new));
      }
    } finally {
      dockerd.destroy();
      if (!dockerd.waitFor(20, TimeUnit.SECONDS)) {
        dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      new ProcessBuilder("ip", "link", "del", bridge).start().waitFor(10, TimeUnit.SECONDS);
      new ProcessBuilder("umount", "-R", dir.resolve("exec").toString())
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a file still held by a dying containerd-shim: the temp dir is all that is left
      }
    }
  }
}
