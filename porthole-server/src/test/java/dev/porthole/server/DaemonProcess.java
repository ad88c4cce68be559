package dev.porthole.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Returns a daemon in a child JVM (this test classpath), for tests that must kill it with -9.
 *
 * <p>{@code main(port, dataDir)} starts a loopback daemon, prints {@code ready} and waits.
 */
final class DaemonProcess implements AutoCloseable {
  private final Process process;

  DaemonProcess(int port, Path dataDir, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                DaemonProcess.class.getName(),
                Integer.toString(port),
                dataDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** Kills the daemon with SIGKILL and waits (bounded) for it to be gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("the daemon process did not die");
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Daemon d = Daemon.start(DaemonConfig.local(Integer.parseInt(args[0]), Path.of(args[1])));
    System.out.println("ready " + d.url());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5)); // the test kills us long before
    d.close();
  }
}
