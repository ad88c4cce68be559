package dev.porthole.cli.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.Porthole;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** tail, export and stats against a real daemon, fed by curl through one of its proxies. */
@Timeout(120)
class CaptureCommandsTest {
  @TempDir static Path dataDir;
  @TempDir Path dir;
  static Daemon daemon;
  static HttpServer upstream;
  static String proxyUrl;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.createContext(
        "/",
        x -> {
          byte[] body = "hello\n".getBytes(StandardCharsets.US_ASCII);
          x.sendResponseHeaders(
              x.getRequestURI().getPath().equals("/missing") ? 404 : 200, body.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    String listen =
        daemon
            .services()
            .proxies()
            .create(
                new ProxyRegistry.NewProxy(
                    "web",
                    "127.0.0.1:0",
                    "127.0.0.1:" + upstream.getAddress().getPort(),
                    true,
                    null))
            .listen();
    proxyUrl = "http://" + listen;
    // One curl, two requests on one keep-alive connection; curl's exit closes it.
    curl(proxyUrl + "/a", proxyUrl + "/missing");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (daemon.services().capture().writer().written() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    daemon.close();
    upstream.stop(0);
  }

  static void curl(String... urls) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS"));
    for (String u : urls) {
      cmd.addAll(List.of("-o", "/dev/null", u));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run daemon(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", daemon.url(), "--data-dir", dataDir.toString()));
    return run(all.toArray(String[]::new));
  }

  @Test
  void exportWritesHarAndPcapThatTsharkReads() throws Exception {
    Path har = dir.resolve("web.har");
    Run r = daemon("export", "web", "--har", har.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote " + har + " (har, ");
    JsonNode entries = new ObjectMapper().readTree(har.toFile()).at("/log/entries");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(1).at("/response/status").asInt()).isEqualTo(404);
    Path pcap = dir.resolve("web.pcap");
    assertThat(daemon("export", "web", "--pcap", pcap.toString(), "--since", "10m").exit())
        .isZero();
    String port = proxyUrl.substring(proxyUrl.lastIndexOf(':') + 1);
    Process p =
        new ProcessBuilder(
                "tshark",
                "-r",
                pcap.toString(),
                "-d",
                "tcp.port==" + port + ",http",
                "-Y",
                "http.request",
                "-T",
                "fields",
                "-e",
                "http.request.uri")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> uris;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      uris = in.lines().toList();
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(uris).containsExactly("/a", "/missing");
  }

  @Test
  void exportErrorsAreOneLineAndLeaveNoFile() throws Exception {
    Path har = dir.resolve("x.har");
    assertThat(daemon("export", "nope", "--har", har.toString()))
        .isEqualTo(new Run(1, "", "porthole export: proxy not found: nope\n"));
    Run since = daemon("export", "web", "--har", har.toString(), "--since", "ten");
    assertThat(since.exit()).isEqualTo(2);
    assertThat(since.err()).startsWith("porthole export: --since: 'ten'").doesNotContain("\tat ");
    assertThat(since.err().lines()).hasSize(1);
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    Run unwritable = daemon("export", "web", "--pcap", notADir.resolve("x.pcap").toString());
    assertThat(unwritable.exit()).isEqualTo(3);
    assertThat(unwritable.err()).startsWith("porthole export: cannot write ");
    assertThat(unwritable.err().lines()).hasSize(1);
    assertThat(har).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("file");
    }
  }

  @Test
  void aDownloadCutShortFailsAndLeavesTheOldFileAlone() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("cut"));
    Path har = Files.writeString(sub.resolve("old.har"), "the previous export");
    // A server that starts a chunked 200, sends 100 KiB and drops the connection: an aborted
    // export.
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  s.getInputStream().read(new byte[8192]);
                  OutputStream o = s.getOutputStream();
                  o.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              + "Transfer-Encoding: chunked\r\n\r\n19000\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  o.write(new byte[100 * 1024]);
                  o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                  o.flush();
                } catch (java.io.IOException ignored) {
                  // The test sees what the client made of it.
                }
              });
      t.start();
      Run r =
          run(
              "export",
              "web",
              "--har",
              har.toString(),
              "--url",
              "http://127.0.0.1:" + server.getLocalPort(),
              "--data-dir",
              dataDir.toString());
      t.join(10_000);
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err()).startsWith("porthole export: download from ").contains("broke off");
      assertThat(r.err().lines()).hasSize(1);
    }
    assertThat(Files.readString(har)).isEqualTo("the previous export");
    try (var files = Files.list(sub)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("old.har");
    }
  }

  @Test
  void statsShowEachRequestLine() {
    Run r = daemon("stats", "web");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("REQUEST", "P99", "(all)", "GET /a", "GET /missing");
    Run json = daemon("stats", "web", "--json");
    assertThat(json.out()).containsPattern("\"requests\" : [0-9]+");
    assertThat(daemon("stats", "nope").exit()).isEqualTo(1);
  }

  @Test
  void tailShowsRecentRequestsAndFollowsNewOnes() throws Exception {
    Run recent = daemon("tail", "web", "--recent", "--http", "--count", "2");
    assertThat(recent.exit()).as(recent.err()).isZero();
    List<String> lines = recent.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("web", "GET /a", "200", "6 B", " ms");
    assertThat(lines.get(1)).contains("GET /missing", "404");
    CompletableFuture<Run> live =
        CompletableFuture.supplyAsync(() -> daemon("tail", "--http", "--count", "1", "--json"));
    // The follower starts after the newest event: retry until it has and sees a new request.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!live.isDone() && System.nanoTime() < deadline) {
      curl(proxyUrl + "/live");
      Thread.sleep(200);
    }
    Run followed = live.get(10, TimeUnit.SECONDS);
    assertThat(followed.out()).contains("\"target\":\"/live\"", "\"status\":200");
    assertThat(daemon("tail", "nope").exit()).isEqualTo(1);
  }

  @Test
  void tailRecentPrintsWhatTheDaemonHoldsAndExits() throws Exception {
    // Without --count: it must end by itself (it used to follow until Ctrl-C).
    Run r = CompletableFuture.supplyAsync(() -> daemon("tail", "web", "--recent", "--http"))
        .get(30, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("GET /a", "GET /missing");
    Run none = daemon("tail", "--recent", "--http", "nope");
    assertThat(none.exit()).isEqualTo(1);
  }

  @Test
  void tailRecentFollowPrintsTheRecentThenNewOnes() throws Exception {
    // A proxy of its own, so the other tests' exports see only web's requests.
    String feed =
        "http://"
            + daemon
                .services()
                .proxies()
                .create(
                    new ProxyRegistry.NewProxy(
                        "feed",
                        "127.0.0.1:0",
                        "127.0.0.1:" + upstream.getAddress().getPort(),
                        true,
                        null))
                .listen();
    curl(feed + "/one");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!daemon("tail", "feed", "--recent", "--http").out().contains("GET /one")
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    CompletableFuture<Run> live =
        CompletableFuture.supplyAsync(
            () -> daemon("tail", "feed", "--recent", "-f", "--http", "--json", "--count", "2"));
    while (!live.isDone() && System.nanoTime() < deadline) {
      curl(feed + "/two");
      Thread.sleep(200);
    }
    List<String> lines = live.get(10, TimeUnit.SECONDS).out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"target\":\"/one\"");
    assertThat(lines.get(1)).contains("\"target\":\"/two\"");
  }

  @Test
  void foregroundProxyPrintsRequestLines() throws Exception {
    StringWriter out = new StringWriter();
    Thread proxy =
        Thread.ofPlatform()
            .start(
                () ->
                    Porthole.commandLine(
                            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                        .execute(
                            "proxy",
                            "--listen",
                            "0",
                            "--upstream",
                            "127.0.0.1:" + upstream.getAddress().getPort(),
                            "--http",
                            "--no-color"));
    try {
      Pattern header = Pattern.compile("proxy (127\\.0\\.0\\.1:\\d+) ->");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Matcher m = header.matcher("");
      while (!(m = header.matcher(out.toString())).find() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      curl("http://" + m.group(1) + "/fg?q=1");
      while (!out.toString().contains("GET /fg?q=1") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(out.toString()).containsPattern("GET /fg\\?q=1 +200 +6 B +[0-9.]+ ms");
    } finally {
      proxy.interrupt();
      proxy.join(10_000);
    }
  }

  @Test
  void foregroundProxyWritesThePcapLiveWhileTheConnectionIsOpen() throws Exception {
    StringWriter out = new StringWriter();
    Path pcap = dir.resolve("live.pcap");
    Thread proxy =
        Thread.ofPlatform()
            .start(
                () ->
                    Porthole.commandLine(
                            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                        .execute(
                            "proxy",
                            "--listen",
                            "0",
                            "--upstream",
                            "127.0.0.1:" + upstream.getAddress().getPort(),
                            "--pcap",
                            pcap.toString()));
    try {
      Pattern header = Pattern.compile("proxy 127\\.0\\.0\\.1:(\\d+) ->");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Matcher m = header.matcher("");
      while (!(m = header.matcher(out.toString())).find() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      int port = Integer.parseInt(m.group(1));
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write("GET /live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] answer = new byte[4096];
        int n = 0;
        while (!new String(answer, 0, n, StandardCharsets.US_ASCII).endsWith("hello\n")) {
          n += s.getInputStream().read(answer, n, answer.length - n);
        }
        // The connection is still open and the proxy still runs: the file already has the request.
        List<String> uris = List.of();
        while (!uris.contains("/live") && System.nanoTime() < deadline) {
          Thread.sleep(50);
          uris =
              tshark(
                  pcap,
                  "-d",
                  "tcp.port==" + port + ",http",
                  "-Y",
                  "http.request",
                  "-T",
                  "fields",
                  "-e",
                  "http.request.uri");
        }
        assertThat(uris).containsExactly("/live");
        assertThat(tshark(pcap, "-Y", "tcp.flags.fin==1")).isEmpty();
      }
    } finally {
      proxy.interrupt();
      proxy.join(10_000);
    }
  }

  static List<String> tshark(Path file, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(lines::add);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return lines;
  }
}
