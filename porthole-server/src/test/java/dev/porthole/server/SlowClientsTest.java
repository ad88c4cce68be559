package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 slow clients (bodies and headers at one byte every 2 s) do not keep a normal client's
 * requests from being answered, and the daemon closes them on its own.
 */
@Timeout(120)
class SlowClientsTest {
  private static final int SLOW_BODIES = 500;
  private static final int SLOW_HEADERS = 500;

  @TempDir Path dataDir;

  @Test
  void aThousandSlowClientsDoNotStallTheApi() throws Exception {
    try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
      InetSocketAddress api = new InetSocketAddress("127.0.0.1", d.port());
      Http http = new Http(d.url());
      assertThat(http.get("/version").statusCode()).isEqualTo(200); // the client's own warm-up
      List<SocketChannel> bodies = new ArrayList<>();
      List<SocketChannel> headers = new ArrayList<>();
      try {
        for (int i = 0; i < SLOW_BODIES; i++) {
          bodies.add(
              open(
                  api,
                  "POST /proxies HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Length: 1000\r\n\r\n{"));
        }
        for (int i = 0; i < SLOW_HEADERS; i++) {
          headers.add(open(api, "GET /version HTTP/1.1\r\nHo"));
        }
        List<Long> millis = new ArrayList<>();
        long end = System.nanoTime() + 14_000_000_000L;
        long nextDrip = System.nanoTime();
        while (System.nanoTime() < end) {
          if (System.nanoTime() >= nextDrip) {
            drip(bodies);
            drip(headers);
            nextDrip += 2_000_000_000L;
          }
          long t0 = System.nanoTime();
          var r = http.get("/version");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          millis.add((System.nanoTime() - t0) / 1_000_000);
          Thread.sleep(20);
        }
        Collections.sort(millis);
        long p99 = millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
        System.out.printf(
            "slow clients: %d GET /version, p50 %d ms, p99 %d ms, max %d ms%n",
            millis.size(), millis.get(millis.size() / 2), p99, millis.getLast());
        assertThat(millis.getLast()).as("slowest GET /version (ms)").isLessThan(1000);
        // Past the header deadline and far below the minimum body rate: the daemon hung up.
        assertThat(closedByServer(headers)).isEqualTo(SLOW_HEADERS);
        assertThat(closedByServer(bodies)).isEqualTo(SLOW_BODIES);
      } finally {
        for (SocketChannel c : bodies) {
          c.close();
        }
        for (SocketChannel c : headers) {
          c.close();
        }
      }
    }
  }

  private static SocketChannel open(InetSocketAddress api, String start) throws IOException {
    SocketChannel c = SocketChannel.open(api);
    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.US_ASCII)));
    return c;
  }

  /** Sends one more byte on every channel still open (a write never blocks for one byte). */
  private static void drip(List<SocketChannel> channels) {
    for (SocketChannel c : channels) {
      try {
        c.write(ByteBuffer.wrap(new byte[] {'x'}));
      } catch (IOException closed) {
        // the daemon hung up on it: what we want
      }
    }
  }

  /** Returns how many channels the daemon has closed (read gives EOF, maybe after an answer). */
  private static int closedByServer(List<SocketChannel> channels) throws IOException {
    int closed = 0;
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (SocketChannel c : channels) {
      var socket = c.socket();
      socket.setSoTimeout(500);
      try (var in = socket.getInputStream()) {
        while (in.read(buf.array()) >= 0) {
          // drain an error answer, if any
        }
        closed++;
      } catch (SocketTimeoutException stillOpen) {
        // counted as open
      } catch (IOException reset) {
        closed++;
      }
    }
    return closed;
  }
}
