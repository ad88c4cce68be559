package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.build.BuildInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the packaged jar the way a user with any Java 21+ does: {@code java -jar porthole.jar}. */
@Timeout(120)
class RunnableJarIT {
  private static final Path JAR = Path.of(System.getProperty("porthole.jar", "target/porthole.jar"));

  private record Result(int exit, String out) {}

  private static Result javaJar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited in time: " + command).isTrue();
    return new Result(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theJarRunsAnyCommandWithJavaDashJar() throws Exception {
    assertThat(Files.isRegularFile(JAR)).as(JAR + " was packaged").isTrue();

    Result version = javaJar("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out())
        .startsWith("porthole " + BuildInfo.current().version() + " (commit ")
        .contains("runtime: ");

    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Result who = javaJar("who", String.valueOf(listener.getLocalPort()), "--json");
      assertThat(who.exit()).as(who.out()).isZero();
      assertThat(who.out()).contains(String.valueOf(ProcessHandle.current().pid()));
    }
  }

  @Test
  void badInputThroughTheJarIsAUsageErrorWithoutAStackTrace() throws Exception {
    Result bad = javaJar("who", "notaport");

    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
