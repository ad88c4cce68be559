package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyRegistry.NewProxy;
import dev.porthole.proxy.ToxicRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests fired from the first instant a restarting daemon's port accepts see the stored state or
 * a 503 with Retry-After, never an empty list or a second proxy of a stored name.
 */
@Timeout(180)
class RestoreGapTest {
  private static final int PROXIES = 200;

  @TempDir Path dataDir;

  /** Returns what one request got. */
  record Answer(String what, int status, String body, String retryAfter) {}

  @Test
  void everyAnswerAcrossRestartsMatchesTheStoredProxies() throws Exception {
    String stored = storeProxies();
    for (int cycle = 0; cycle < 3; cycle++) {
      int port = freePort();
      Hammer hammer = new Hammer(port);
      try (Daemon d = Daemon.start(DaemonConfig.local(port, dataDir))) {
        checkAll(hammer.stopAfterReady(), stored);
      }
    }
  }

  @Test
  void aDaemonKilledWithSigkillComesBackConsistent() throws Exception {
    String stored = storeProxies();
    Path log = dataDir.resolve("child.log");
    for (int cycle = 0; cycle < 2; cycle++) {
      int port = freePort();
      Hammer hammer = new Hammer(port);
      try (DaemonProcess child = new DaemonProcess(port, dataDir, log)) {
        List<Answer> answers = hammer.stopAfterReady();
        assertThat(child.alive()).as(Files.readString(log)).isTrue();
        checkAll(answers, stored);
        child.kill9();
      }
    }
    try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
      assertThat(new Http(d.url()).get("/proxies").body()).isEqualTo(stored);
    }
  }

  /** Stores 200 proxies with two toxics each and returns GET /proxies as it answered then. */
  private String storeProxies() {
    try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
      ProxyRegistry r = d.services().proxies();
      // Ports below Linux's ephemeral range: a client socket of this very test cannot take one
      // while the daemon is down (that proxy would rightly come back disabled).
      int port = 20_000 + new java.util.Random().nextInt(10_000);
      for (int i = 0; i < PROXIES; i++) {
        String name = String.format("p%03d", i);
        port = create(r, name, port, i % 10 != 0) + 1;
        r.addToxic(name, new ToxicRequest("lat", "latency", "upstream", 0.5, Map.of("latency", i)));
        r.addToxic(name, new ToxicRequest(null, "bandwidth", null, null, Map.of("rate", 100 + i)));
      }
      return new Http(d.url()).get("/proxies").body();
    }
  }

  /** Creates {@code name} on the first free port from {@code from}; returns that port. */
  private static int create(ProxyRegistry r, String name, int from, boolean enabled) {
    for (int port = from; port < from + 1000; port++) {
      try {
        r.create(new NewProxy(name, "127.0.0.1:" + port, "127.0.0.1:9", enabled, null));
        return port;
      } catch (dev.porthole.proxy.ProxyException taken) {
        // in use: the next one
      }
    }
    throw new IllegalStateException("no free port from " + from);
  }

  private static void checkAll(List<Answer> answers, String stored) {
    assertThat(answers).isNotEmpty();
    int ok = 0;
    for (Answer a : answers) {
      if (a.status() == 503) {
        assertThat(a.retryAfter()).as(a.toString()).isEqualTo("1");
        assertThat(a.body()).as(a.toString()).contains("\"status\":503");
        continue;
      }
      ok++;
      switch (a.what()) {
        case "list" -> assertThat(a.body()).as("GET /proxies").isEqualTo(stored);
        case "create" -> assertThat(a.status()).as(a.toString()).isEqualTo(409);
        case "toxics" ->
            assertThat(a.body()).as(a.toString()).contains("\"latency\":42", "\"rate\":142");
        default -> throw new AssertionError(a.what());
      }
      if (!a.what().equals("create")) {
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
      }
    }
    assertThat(ok).as("answers after the restore").isPositive();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Fires requests at a port from before it listens until a while after the daemon is ready. */
  private static final class Hammer {
    private final int port;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<List<Answer>> done;

    Hammer(int port) {
      this.port = port;
      done = CompletableFuture.supplyAsync(this::run);
    }

    private List<Answer> run() {
      List<Answer> answers = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int after = 0;
      while (System.nanoTime() < deadline && after < 30) {
        Answer a = send(answers.size());
        if (a != null) {
          answers.add(a);
          if (a.status() != 503) {
            after++; // keep going a little past the first good answer
          }
        } else if (stop.get()) {
          break;
        }
      }
      return answers;
    }

    private Answer send(int n) {
      String what =
          switch (n % 3) {
            case 0 -> "list";
            case 1 -> "create";
            default -> "toxics";
          };
      String request =
          switch (what) {
            case "list" -> "GET /proxies HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            case "create" -> {
              String body = "{\"name\":\"p007\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}";
              yield "POST /proxies HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body;
            }
            default -> "GET /proxies/p042/toxics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
          };
      // Raw sockets: a refused connect costs microseconds, so the first request lands in the
      // very first instant the port accepts.
      String raw;
      try {
        raw = Http.raw(port, request);
      } catch (IOException e) {
        return null; // not listening yet
      }
      int headEnd = raw.indexOf("\r\n\r\n");
      String head = raw.substring(0, Math.max(headEnd, 0));
      String retry = null;
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) {
          retry = line.substring(12).strip();
        }
      }
      int status = Integer.parseInt(head.split(" ")[1]);
      return new Answer(what, status, raw.substring(headEnd + 4), retry);
    }

    /** Returns every answer, once the hammer saw the daemon ready (bounded by its deadline). */
    List<Answer> stopAfterReady() throws Exception {
      List<Answer> answers = done.get();
      long refused = answers.stream().filter(a -> a.status() == 503).count();
      System.out.println("restore gap: " + refused + " of " + answers.size() + " answers were 503");
      return answers;
    }
  }
}
