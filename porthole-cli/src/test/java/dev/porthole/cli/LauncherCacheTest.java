package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the checkout's {@code ./porthole} launcher and reads which AOT cache (JDK 25+) or AppCDS
 * archive the JVM was given: {@code who PORT}, {@code ports} and {@code ports --all} have their
 * own, every other short command shares one. As in {@link LauncherHeapTest}, {@code
 * -XX:+PrintFlagsFinal -version} through PORTHOLE_JAVA_OPTS makes the JVM print its flags and exit
 * before it opens the (empty) jar.
 */
@Timeout(60)
class LauncherCacheTest {
  private static final Path LAUNCHER = Path.of("..", "porthole").toAbsolutePath().normalize();
  private static final int MAJOR = Runtime.version().feature();

  @TempDir Path dir;

  @Test
  void theShortcutShapesStartFromTheirOwnCacheAndTheRestShareOne() throws Exception {
    Path jar = Files.createFile(dir.resolve("porthole.jar"));
    String ext = MAJOR >= 25 ? ".aot" : ".jsa";
    for (String name : new String[] {"", "-who", "-ports", "-scan"}) {
      // Present and not older than the jar, so the launcher uses them and trains nothing.
      Files.createFile(dir.resolve("porthole-jdk" + MAJOR + name + ext));
    }
    String shared = "porthole-jdk" + MAJOR + ext;

    assertThat(cacheOf(jar, "who", "62893")).isEqualTo("porthole-jdk" + MAJOR + "-who" + ext);
    assertThat(cacheOf(jar, "ports", "--all")).isEqualTo("porthole-jdk" + MAJOR + "-ports" + ext);
    assertThat(cacheOf(jar, "ports")).isEqualTo("porthole-jdk" + MAJOR + "-ports" + ext);
    assertThat(cacheOf(jar, "ports", "-a")).isEqualTo("porthole-jdk" + MAJOR + "-ports" + ext);
    assertThat(cacheOf(jar, "ports", "--tcp")).isEqualTo(shared);
    String scan = "porthole-jdk" + MAJOR + "-scan" + ext;
    assertThat(cacheOf(jar, "scan")).isEqualTo(scan);
    assertThat(cacheOf(jar, "scan", "--json")).isEqualTo(scan);
    assertThat(cacheOf(jar, "scan", "127.0.0.1", "1-65535", "--json")).isEqualTo(scan);
    assertThat(cacheOf(jar, "scan", "--no-color", "::1", "22,80")).isEqualTo(scan);
    // Shapes that go through picocli, as Shortcuts declines them.
    assertThat(cacheOf(jar, "scan", "--timeout", "2s")).isEqualTo(shared);
    assertThat(cacheOf(jar, "scan", "--json", "--json")).isEqualTo(shared);
    assertThat(cacheOf(jar, "scan", "127.0.0.1", "80", "81")).isEqualTo(shared);
    assertThat(cacheOf(jar, "scan", "--help")).isEqualTo(shared);
    assertThat(cacheOf(jar, "ports", "--all", "--json")).isEqualTo(shared);
    // Shapes that need picocli, which who's own cache leaves out.
    assertThat(cacheOf(jar, "who", "62893", "--json")).isEqualTo(shared);
    assertThat(cacheOf(jar, "who", "--help")).isEqualTo(shared);
    assertThat(cacheOf(jar, "info", "62893")).isEqualTo(shared);
    assertThat(cacheOf(jar, "--version")).isEqualTo(shared);
  }

  @Test
  void shortCommandsNameTheMainClassAndLongRunningOnesKeepMinusJar() throws Exception {
    // A stand-in JDK whose java prints its arguments: the launcher's command line, exactly.
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"" + MAJOR + "\"\n");
    for (String tool : new String[] {"java", "javac"}) {
      Path script = jdk.resolve(tool);
      Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
      script.toFile().setExecutable(true);
    }
    Path jar = Files.createFile(dir.resolve("porthole.jar"));
    for (String name : new String[] {"", "-who", "-ports", "-scan"}) {
      Files.createFile(
          dir.resolve("porthole-jdk" + MAJOR + name + (MAJOR >= 25 ? ".aot" : ".jsa")));
    }

    List<String> who = launch(dir.resolve("jdk"), jar, "who", "22");
    assertThat(who)
        .containsSubsequence("-cp", jar.toString(), Porthole.class.getName(), "who", "22");
    assertThat(who).doesNotContain("-jar");
    List<String> up = launch(dir.resolve("jdk"), jar, "up");
    assertThat(up).containsSubsequence("-jar", jar.toString(), "up");
    assertThat(up).doesNotContain(Porthole.class.getName());
  }

  /** Returns the arguments the launcher gave {@code jdk}'s java for {@code args}, one per line. */
  private static List<String> launch(Path jdk, Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PORTHOLE_JAR", jar.toString());
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().remove("PORTHOLE_JAVA_OPTS");
    pb.environment().remove("PORTHOLE_HEAP");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  /** Returns the file name of the cache or archive the launcher gave the JVM for {@code args}. */
  private String cacheOf(Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PORTHOLE_JAR", jar.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("PORTHOLE_JAVA_OPTS", "-XX:+PrintFlagsFinal -version");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String flag = MAJOR >= 25 ? "AOTCache" : "SharedArchiveFile";
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[1].equals(flag)) {
        return Path.of(f[3]).getFileName().toString();
      }
    }
    throw new AssertionError("no " + flag + " for " + String.join(" ", args) + " in: " + out);
  }
}
