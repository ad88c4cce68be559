package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Requests a client gets wrong are 4xx in the JSON error format, and leave no trace in the log. */
@Timeout(60)
class BadRequestsTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    http = new Http(daemon.url());
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @Test
  void aBodyOverTheLimitIs413InTheErrorFormat() throws Exception {
    byte[] big =
        ("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    String toxiproxy = postWhileReading("/proxies", big);
    assertThat(toxiproxy).startsWith("HTTP/1.1 413 ");
    assertThat(toxiproxy)
        .endsWith(
            "\r\n\r\n{\"error\":\"request body too large (limit 1024 KiB)\",\"status\":413}\n");
    String own = postWhileReading("/api/proxies", big);
    assertThat(own).startsWith("HTTP/1.1 413 ");
    assertThat(own.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
    assertThat(own).contains("\r\n\r\n{\"error\":\"request body too large");
  }

  /**
   * Returns the raw answer to a POST of {@code body}, read while the body is still being written
   * (the daemon reads a declared oversize body through before it answers; see {@link
   * #postThenRead} for a client that reads only afterwards).
   */
  private static String postWhileReading(String path, byte[] body) throws Exception {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), daemon.port())) {
      s.setSoTimeout(20_000);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      OutputStream out = s.getOutputStream();
                      out.write(
                          ("POST "
                                  + path
                                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                  + daemon.port()
                                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                                  + body.length
                                  + "\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
                      out.write(body);
                      out.flush();
                    } catch (IOException e) {
                      // The daemon stopped reading at its limit: expected.
                    }
                  });
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
          answer.write(buf, 0, n);
        }
      } catch (IOException reset) {
        // The reset after the answer: what was read before it is the answer.
      }
      writer.join(20_000);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aClientThatWritesItsWholeBodyBeforeReadingStillGetsThe413() throws Exception {
    // 4 MiB: more than the loopback socket buffers hold, so the write completes only if the
    // daemon reads the body; closing with it unread would turn the answer into a reset.
    byte[] big = new byte[4 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'x');
    for (String path : new String[] {"/proxies", "/api/proxies"}) {
      for (int i = 0; i < 3; i++) {
        String answer = postThenRead(path, big);
        assertThat(answer).as(path).startsWith("HTTP/1.1 413 ");
        assertThat(answer)
            .as(path)
            .contains("{\"error\":\"request body too large (limit 1024 KiB)\"");
      }
    }
  }

  @Test
  void theJdkHttpClientGetsThe413ForABodyOverTheLimit() {
    String big = "{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}";
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = http.post("/api/proxies", big);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).startsWith("{\"error\":\"request body too large");
    }
  }

  @Test
  void aClientThatExpects100ContinueGetsThe413BeforeSendingItsBody() throws IOException {
    String answer =
        Http.raw(
            daemon.port(),
            "POST /api/proxies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4194304\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void anOversizeBodyThatStopsArrivingIsCutAtTheBodyDeadline() throws IOException {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), daemon.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              ("POST /api/proxies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2097152\r\n\r\n"
                      + "x".repeat(1000))
                  .getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      try {
        s.getInputStream().readAllBytes();
      } catch (IOException reset) {
        // closed with the body unread: a reset is a close too
      }
      // Closed by the deadline (10 s), not by the read timeout (20 s).
      assertThat((System.nanoTime() - t0) / 1_000_000_000).isLessThan(18);
    }
  }

  /** Returns the raw answer to a POST of {@code body}, read only once all of it was written. */
  private static String postThenRead(String path, byte[] body) throws IOException {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), daemon.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + daemon.port()
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anUnknownCharsetIsReadAsUtf8() {
    HttpResponse<String> r =
        http.send(
            "POST",
            "/proxies",
            "{\"name\":\"cs\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\",\"enabled\":false}",
            "Content-Type",
            "application/json; charset=nope");
    assertThat(r.statusCode()).isEqualTo(201);
  }

  @Test
  void aWhiteSpaceNameIs400() {
    HttpResponse<String> r =
        http.post("/proxies", "{\"name\":\"   \",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"status\":400");
  }

  @Test
  void malformedChunkingIs400() throws IOException {
    String raw =
        Http.raw(
            daemon.port(),
            "POST /api/proxies HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 400");
    assertThat(raw).contains("\"status\":400");
  }

  @Test
  void aLoopIs400() {
    String listen =
        http.post("/proxies", "{\"name\":\"lp\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}")
            .body()
            .replaceAll(".*\"listen\":\"([^\"]*)\".*", "$1");
    HttpResponse<String> r = http.patch("/proxies/lp", "{\"upstream\":\"" + listen + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"upstream "
                + listen
                + " is this proxy's own listen address\","
                + "\"status\":400}\n");
  }

  @Test
  void aClientThatLeavesMidBodyLeavesNoTraceInTheLog() throws Exception {
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 20; i++) {
        try (Socket s = new Socket("127.0.0.1", daemon.port())) {
          OutputStream out = s.getOutputStream();
          out.write(
              ("POST /proxies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{\"name\":")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
      // The next request is served, so every one of the 20 has been handled by now.
      Thread.sleep(200);
      assertThat(http.get("/version").statusCode()).isEqualTo(200);
      assertThat(log.text()).doesNotContain("ERROR", "\tat ", "Exception");
    }
  }
}
