package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebhookSinkTest {
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  private static WatchEvent event(long id, boolean alert) {
    return new WatchEvent(
        id,
        "2026-11-21T12:00:00Z",
        "violation",
        alert,
        "tcp",
        "127.0.0.1",
        8080,
        "loopback",
        null,
        null,
        "unexpected listener",
        "porthole kill 8080");
  }

  private HttpServer server(int port) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    s.createContext(
        "/hook",
        exchange -> {
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    s.start();
    return s;
  }

  @Test
  void postsAlertEventsAsJson() throws Exception {
    HttpServer s = server(0);
    URI url = URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/hook");
    try (WebhookSink hook = new WebhookSink(url, 3, Duration.ofMillis(50), true)) {
      hook.accept(event(1, false)); // not an alert: not sent
      hook.accept(event(2, true));
      String body = received.poll(10, TimeUnit.SECONDS);
      assertThat(body).startsWith("POST application/json {\"id\":2,").contains("\"alert\":true");
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
      // The receiver saw the body before it answered: the sink counts once the answer is in.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (hook.delivered() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(hook.delivered()).isEqualTo(1);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void retriesWithBackoffWhileTheReceiverIsDownWithoutBlockingTheCaller() throws Exception {
    HttpServer probe = server(0);
    int port = probe.getAddress().getPort();
    probe.stop(0); // nothing listens on the port now: connection refused
    URI url = URI.create("http://127.0.0.1:" + port + "/hook");
    try (WebhookSink hook = new WebhookSink(url, 8, Duration.ofMillis(100), false)) {
      long start = System.nanoTime();
      for (int i = 0; i < 2000; i++) {
        hook.accept(event(i, true)); // more than the queue holds: the oldest are dropped
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      Thread.sleep(400); // a few failed attempts
      assertThat(hook.delivered()).isZero();
      HttpServer back = server(port);
      try {
        String body = received.poll(20, TimeUnit.SECONDS);
        assertThat(body).contains("\"type\":\"violation\"");
        assertThat(hook.dropped()).isBetween(999L, 1000L); // one was in flight
      } finally {
        back.stop(0);
      }
    }
  }

  @Test
  void aBadUrlFailsAtOnce() {
    assertThatThrownBy(() -> new WebhookSink(URI.create("ftp://x/"), 3, Duration.ZERO, true))
        .hasMessage("url: ftp://x/ (expected: an http:// or https:// URL)");
  }
}
