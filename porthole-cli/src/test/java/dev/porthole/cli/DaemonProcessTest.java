package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process: it prints where it listens, serves, and stops cleanly on SIGTERM. */
@Timeout(120)
class DaemonProcessTest {
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dataDir;

  /** Execs the rest of its arguments with SIGINT back to its default action. */
  private static final String RESET_SIGINT =
      "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
          + " os.execvp(sys.argv[1], sys.argv[1:])";

  private static Process porthole(String... args) throws IOException {
    return porthole(List.of(), args);
  }

  /** Starts porthole in a child JVM, through {@code prefix} (a command that execs the rest). */
  private static Process porthole(List<String> prefix, String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Porthole.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Returns the lines the process prints from now on, read by a thread of their own: a child
   * whose output pipe fills up blocks in its write and never exits.
   */
  private static List<String> drain(BufferedReader out) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
              }
              lines.add(END);
            });
    return lines;
  }

  private static final String END = "(end of output)";

  /**
   * Kills the child, then closes its output: in that order, since a reader thread blocked in
   * readLine holds the reader's lock until the pipe ends, and close() would wait for it forever.
   */
  private static void stop(Process p, BufferedReader out) throws Exception {
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    out.close();
  }

  /** Returns {@code lines} once the process's output has ended (10 s at most). */
  private static List<String> untilEnd(List<String> lines) throws InterruptedException {
    for (int i = 0; i < 1000 && !lines.contains(END); i++) {
      Thread.sleep(10);
    }
    return lines;
  }

  /** Returns the URL the process prints, reading at most 20 lines. */
  private static String url(BufferedReader out) throws IOException {
    for (int i = 0; i < 20; i++) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      Matcher m = URL.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("the process printed no URL");
  }

  private static String get(String url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    }
  }

  @Test
  void upServesUntilTerminatedThenSaysSo() throws Exception {
    Process p =
        porthole(
            "up",
            "--port",
            "0",
            "--http-port",
            "0",
            "--https-port",
            "0",
            "--data-dir",
            dataDir.toString());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      String url = url(out);
      assertThat(get(url + "/api/status")).startsWith("200 {\"name\":\"porthole\"");
      List<String> rest = drain(out);
      p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited; it printed %s", rest).isTrue();
      assertThat(untilEnd(rest)).contains("porthole daemon stopped");
      assertThat(p.exitValue()).as("exit status after a clean stop on SIGTERM").isZero();
    } finally {
      stop(p, out);
    }
    assertThat(dataDir.resolve("porthole.db")).exists();
  }

  @Test
  void toxiproxyServerAppliesItsConfigAndForgetsOnExit() throws Exception {
    Path config =
        Files.writeString(
            dataDir.resolve("config.json"),
            "[{\"name\":\"from_config\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:6379\"}]");
    Process p =
        porthole(
            "toxiproxy-server",
            "-port",
            "0",
            "-config",
            config.toString(),
            "-seed",
            "7",
            "-data-dir",
            dataDir.toString());
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String url = url(out);
      assertThat(get(url + "/proxies"))
          .startsWith("200 {\"from_config\":{\"name\":\"from_config\",\"listen\":\"127.0.0.1:");
      assertThat(get(url + "/version")).isEqualTo("200 {\"version\": \"2.12.0\"}\n");
      // Toxiproxy keeps no traffic, and neither does its drop-in.
      assertThat(get(url + "/api/capture/status")).startsWith("200 {\"enabled\":false,");
      p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("exit status after SIGTERM, 0 as Toxiproxy's").isZero();
    } finally {
      p.destroyForcibly();
    }
    assertThat(dataDir.resolve("porthole.db")).doesNotExist();
  }

  /** Sends {@code signal} with kill(1), as a service manager or a terminal's Ctrl-C does. */
  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  @Test
  void upStoppedWithCtrlCExitsZero() throws Exception {
    // A terminal's Ctrl-C reaches a foreground process, whose SIGINT is never ignored; a test
    // run from a background job inherits SIGINT ignored (POSIX), so the child gets it reset.
    Process p =
        porthole(
            List.of("python3", "-c", RESET_SIGINT),
            "up",
            "--port",
            "0",
            "--no-watch",
            "--data-dir",
            dataDir.toString());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      url(out);
      List<String> rest = drain(out);
      signal(p, "INT");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited; it printed %s", rest).isTrue();
      assertThat(untilEnd(rest)).contains("porthole daemon stopped");
      assertThat(p.exitValue()).as("exit status after Ctrl-C (130 without CleanStop)").isZero();
    } finally {
      stop(p, out);
    }
  }

  @Test
  void proxyStoppedWithSigtermExitsZero() throws Exception {
    Process p = porthole("proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9");
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      for (int i = 0; i < 20 && line != null && !line.startsWith("proxy "); i++) {
        line = out.readLine(); // the JVM may warn first (stderr is merged)
      }
      assertThat(line).as("the proxy's header").isNotNull().startsWith("proxy 127.0.0.1:");
      signal(p, "TERM");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("exit status after SIGTERM (143 without CleanStop)").isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
