package dev.porthole.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.cli.Porthole;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code $ porthole ...} line in the README's code blocks parses with the real picocli tree
 * and runs: in-process, against a daemon this test starts on a free port (with a proxy {@code web}
 * in front of an HTTP server of its own), with {@code --url} and {@code --data-dir} added where a
 * command takes them and the line gives none. A line exits 0 or 1 ("no" is an answer), or the code
 * its trailing {@code # exit N} states.
 */
@Timeout(120)
class ReadmeCommandsTest {
  /** Lines that are parsed but not run, and why. Keep it short. */
  static final Map<String, String> NOT_RUN =
      Map.of("up", "runs in the foreground until stopped; this test starts its own daemon instead");

  @TempDir static Path dataDir;
  static Daemon daemon;
  static HttpServer upstream;

  @BeforeAll
  static void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    upstream.start();
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withSecurity(false, true));
    String target = "127.0.0.1:" + upstream.getAddress().getPort();
    String listen =
        daemon
            .services()
            .proxies()
            .create(new ProxyRegistry.NewProxy("web", "127.0.0.1:0", target, null, null))
            .listen();
    // One request through it, so the capture commands have something to show.
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://" + listen + "/"))
              .timeout(Duration.ofSeconds(10))
              .build();
      assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("hello\n");
    }
  }

  @AfterAll
  static void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void everyCommandLineInTheReadmeParsesAndRuns() {
    List<Markdown.Line> lines = Markdown.portholeCommands(Markdown.root().resolve("README.md"));
    assertThat(lines).as("$ porthole lines in README.md").hasSizeGreaterThanOrEqualTo(8);
    List<String> broken = new ArrayList<>();
    Set<String> skipped = new HashSet<>();
    for (Markdown.Line line : lines) {
      String where = "README.md:" + line.number() + ": `" + line.text() + "`: ";
      try {
        String problem = run(ShellWords.of(line.text()), skipped);
        if (problem != null) {
          broken.add(where + problem);
        }
      } catch (CommandLine.ParameterException e) {
        broken.add(where + "does not parse: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        broken.add(where + e.getMessage());
      }
    }
    assertThat(broken).as("README command lines that broke").isEmpty();
    assertThat(skipped).as("NOT_RUN entries the README uses").isEqualTo(NOT_RUN.keySet());
  }

  /** Returns null when the line ran as it should, else what went wrong. */
  private static String run(ShellWords shell, Set<String> skipped) {
    List<String> args = new ArrayList<>(shell.words().subList(1, shell.words().size()));
    CommandLine.ParseResult parsed = CommandTree.fresh().parseArgs(args.toArray(String[]::new));
    List<String> path = new ArrayList<>();
    CommandLine.ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
      path.add(leaf.commandSpec().name());
    }
    String command = String.join(" ", path);
    if (NOT_RUN.containsKey(command)) {
      skipped.add(command);
      return null;
    }
    Map<String, CommandLine.Model.OptionSpec> options = leaf.commandSpec().optionsMap();
    addIfMissing(args, options, "--url", daemon.url());
    addIfMissing(args, options, "--data-dir", dataDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Porthole.commandLine(new PrintWriter(out), new PrintWriter(err))
            .execute(args.toArray(String[]::new));
    boolean ok = shell.statedExit().isPresent() ? exit == shell.statedExit().getAsInt() : exit <= 1;
    if (!ok || err.toString().contains("Exception")) {
      return "exit "
          + exit
          + (shell.statedExit().isPresent()
              ? " (README says " + shell.statedExit().getAsInt() + ")"
              : " (expected 0 or 1)")
          + ", stderr: "
          + err.toString().strip();
    }
    return null;
  }

  private static void addIfMissing(
      List<String> args,
      Map<String, CommandLine.Model.OptionSpec> options,
      String name,
      String value) {
    boolean given = args.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
    if (options.containsKey(name) && !given) {
      int end = args.indexOf("--"); // options go before the words meant for another program
      args.addAll(end < 0 ? args.size() : end, List.of(name, value));
    }
  }
}
