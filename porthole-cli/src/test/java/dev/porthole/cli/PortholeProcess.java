package dev.porthole.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs porthole in a child JVM with {@code DOCKER_HOST} pointing at a given engine socket. */
final class PortholeProcess {
  private PortholeProcess() {}

  static Run run(Path dockerSocket, String... args) throws Exception {
    return runIn(null, dockerSocket, args);
  }

  /** Runs porthole inside the network namespace {@code netns} (null: this one) with nsenter. */
  static Run runIn(Path netns, Path dockerSocket, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(List.of("nsenter", "--net=" + netns));
    }
    command.addAll(
        List.of(java, "-cp", System.getProperty("java.class.path"), Porthole.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("DOCKER_HOST", "unix://" + dockerSocket);
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("porthole " + String.join(" ", args) + ": no end in 60 s");
    }
    return new Run(p.exitValue(), out, err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
