package dev.porthole.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Returns a child JVM running {@link Listener}, with the ports it bound; closing ends it. */
final class Child implements AutoCloseable {
  final Process process;
  private final Map<String, Integer> ports = new HashMap<>();

  private Child(Process process) {
    this.process = process;
  }

  /** Starts a listener child; {@code specs} as {@code tcp:127.0.0.1}, {@code udp:::1}. */
  static Child start(String... specs) throws Exception {
    return start(List.of(), specs);
  }

  /** Starts a listener child with extra JVM options ({@code -Djava.net.preferIPv4Stack=true}). */
  static Child start(List<String> jvmOptions, String... specs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(Listener.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    List<String> command =
        new java.util.ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classes, Listener.class.getName()));
    command.addAll(List.of(specs));
    Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) { // bounded by the test class's @Timeout
      if (line.equals("ready")) {
        return child;
      }
      String[] f = line.split(" ");
      if (f.length == 3 && f[2].chars().allMatch(Character::isDigit)) {
        child.ports.put(f[0] + ":" + f[1], Integer.parseInt(f[2]));
      }
    }
    child.close();
    throw new IllegalStateException("listener child died before it was ready");
  }

  /** Returns the port bound for {@code spec} ("tcp:127.0.0.1"). */
  int port(String spec) {
    Integer port = ports.get(spec);
    if (port == null) {
      throw new IllegalArgumentException("spec: " + spec + " (not started)");
    }
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
