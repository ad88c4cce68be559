package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the checkout's {@code ./porthole} launcher for {@code up} and reads the heap bound the JVM
 * got, and whether Netty may use {@code sun.misc.Unsafe}. The JVM is started for real, with {@code
 * -XX:+PrintFlagsFinal -version} (or {@code -XshowSettings:properties -version}) appended through
 * PORTHOLE_JAVA_OPTS, so it prints its flags and exits before it would open the jar; the jar is an
 * empty file newer than the sources, so the launcher does not rebuild it.
 */
@Timeout(60)
class LauncherHeapTest {
  private static final Path LAUNCHER = Path.of("..", "porthole").toAbsolutePath().normalize();

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run up(String heap) throws IOException, InterruptedException {
    return up(heap, "-XX:+PrintFlagsFinal -version");
  }

  private Run up(String heap, String javaOpts) throws IOException, InterruptedException {
    Path jar = Files.createFile(dir.resolve("porthole-" + System.nanoTime() + ".jar"));
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "up");
    pb.environment().put("PORTHOLE_JAR", jar.toString());
    pb.environment().put("PORTHOLE_JAVA_OPTS", javaOpts);
    pb.environment().remove("PORTHOLE_HEAP");
    if (heap != null) {
      pb.environment().put("PORTHOLE_HEAP", heap);
    }
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private static long maxHeap(Run r) {
    for (String line : r.out().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[1].equals("MaxHeapSize")) {
        return Long.parseLong(f[3]);
      }
    }
    throw new AssertionError("no MaxHeapSize in: " + r);
  }

  @Test
  void theDaemonsHeapIsBoundedBy128MiBUnlessPortholeHeapSaysOtherwise() throws Exception {
    Run bounded = up(null);
    assertThat(bounded.exit()).as(bounded.err()).isZero();
    assertThat(maxHeap(bounded)).isEqualTo(128L << 20);

    Run raised = up("1g");
    assertThat(raised.exit()).as(raised.err()).isZero();
    assertThat(maxHeap(raised)).isEqualTo(1L << 30);
  }

  /** Returns the system property {@code name} from {@code -XshowSettings:properties}, or null. */
  private static String property(Run r, String name) {
    for (String line : r.err().split("\n")) {
      String[] kv = line.trim().split(" = ", 2);
      if (kv.length == 2 && kv[0].equals(name)) {
        return kv[1];
      }
    }
    return null;
  }

  @Test
  void theDaemonLetsNettyUseUnsafeFromJdk23On() throws Exception {
    Run r = up(null, "-XshowSettings:properties -version");
    assertThat(r.exit()).as(r.err()).isZero();
    int major = Integer.parseInt(property(r, "java.specification.version"));
    // JDK 23 added the switch (21 and 22 reject it, and allow Unsafe anyway); from 25 on Netty
    // leaves Unsafe unused unless it is given.
    assertThat(property(r, "sun.misc.unsafe.memory.access"))
        .as("JDK %d", major)
        .isEqualTo(major >= 23 ? "allow" : null);
  }

  @Test
  void aHeapSizeThatIsNotOneIsRefusedInOneLineWithExit2() throws Exception {
    for (String bad : new String[] {"lots", "512", "1.5g", "32m", "٨m", "1g2m"}) {
      Run r = up(bad);
      assertThat(r.exit()).as(bad).isEqualTo(2);
      assertThat(r.out()).as(bad).isEmpty();
      assertThat(r.err().strip())
          .as(bad)
          .isEqualTo(
              "porthole: PORTHOLE_HEAP="
                  + bad
                  + " is not a heap size of at least 64m (expected like 256m or 1g)");
    }
  }
}
