package example;

import dev.porthole.testing.PortReservation;
import dev.porthole.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server in a temporary directory on a free port, for the tests: Debian's
 * binaries ({@code /usr/lib/postgresql/N/bin}, or {@code PG_BIN}), run as {@code nobody} when the
 * tests run as root, because PostgreSQL refuses root.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process process;

  private PostgresServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Returns a started server that accepts {@code postgres} without a password. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("porthole-pg");
    run(List.of("chmod", "755", dir.toString()));
    if (root()) {
      run(List.of("chown", "nobody", dir.toString()));
    }
    Path data = dir.resolve("data");
    run(
        asOwner(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8"));
    try (PortReservation reserved = Ports.reserve()) {
      int port = reserved.release(); // postgres binds it right away
      Process p =
          new ProcessBuilder(
                  asOwner(
                      bin.resolve("postgres").toString(),
                      "-D",
                      data.toString(),
                      "-p",
                      Integer.toString(port),
                      "-k",
                      dir.toString(),
                      "-c",
                      "listen_addresses=127.0.0.1",
                      "-c",
                      "fsync=off"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("postgres.log").toFile())
              .start();
      PostgresServer server = new PostgresServer(dir, port, p);
      server.awaitReady();
      return server;
    }
  }

  /** Returns the port PostgreSQL listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** Returns a JDBC URL for {@code host:port} (a proxy's, or the server's own). */
  public static String url(String hostPort) {
    return "jdbc:postgresql://" + hostPort + "/postgres?user=postgres&connectTimeout=10";
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    SQLException last = null;
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Connection c = DriverManager.getConnection(url("127.0.0.1:" + port))) {
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    String log = Files.readString(dir.resolve("postgres.log"));
    close();
    throw new IOException("postgres did not start on port " + port + ": " + last + "\n" + log);
  }

  private static Path binaries() throws IOException {
    String env = System.getenv("PG_BIN");
    if (env != null) {
      return Path.of(env);
    }
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Path::compareTo)
          .orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql (set PG_BIN)"));
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asOwner(String... command) {
    List<String> out = new ArrayList<>();
    if (root()) {
      out.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  /** Stops the server (smart shutdown, then kill) and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
