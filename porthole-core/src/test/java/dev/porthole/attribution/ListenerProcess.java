package dev.porthole.attribution;

import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.SocketInventory;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A real process started by a test, stopped on close, that listens on {@link #port()}. */
final class ListenerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private ListenerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Returns a port free right now (bound and released). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code argv} in {@code dir} and waits (at most 20 s) until something holds {@code port}.
   */
  static ListenerProcess start(Path dir, int port, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    ListenerProcess p = new ListenerProcess(pb.start(), port);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (p.listener().isEmpty()) {
      if (!p.process.isAlive() || System.nanoTime() > deadline) {
        p.close();
        throw new IllegalStateException(String.join(" ", argv) + " did not listen on " + port);
      }
      Thread.sleep(50);
    }
    return p;
  }

  /**
   * Starts {@code argv} and waits (at most 20 s) until {@code ready}; a forwarder told its ports
   * afterwards (slirp4netns's API) is then found with {@link #listeningOn}.
   */
  static ListenerProcess startUntil(BooleanSupplier ready, String... argv) throws Exception {
    Process process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    ListenerProcess p = new ListenerProcess(process, -1);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        p.close();
        throw new IllegalStateException(String.join(" ", argv) + " did not get ready");
      }
      Thread.sleep(50);
    }
    return p;
  }

  /** Returns this process as the holder of {@code port}, once it holds it (at most 20 s). */
  ListenerProcess listeningOn(int port) throws Exception {
    ListenerProcess p = new ListenerProcess(process, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (p.listener().isEmpty()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("PID " + process.pid() + " did not listen on " + port);
      }
      Thread.sleep(50);
    }
    return p;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Returns the listener on the port, with its owners. */
  Optional<OwnedSocket> listener() {
    List<OwnedSocket> found =
        SocketInventory.system().snapshot(s -> s.listening() && s.localPort() == port).sockets();
    return found.stream().filter(s -> !s.owners().isEmpty()).findFirst();
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
