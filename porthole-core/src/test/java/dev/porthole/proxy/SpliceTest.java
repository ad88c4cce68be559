package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Zero-copy links on the epoll transport: integrity, half-close, switching on toxic changes. */
@Timeout(120)
class SpliceTest {
  static ProxyEngine engine;
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    engine = new ProxyEngine();
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
    engine.close();
  }

  static TcpProxy proxyTo(String upstream) throws IOException {
    return (TcpProxy) engine.start(ProxyOptions.tcp("splice", TcpProxyTest.loopback0(), upstream));
  }

  @Test
  void spliceIsAvailableOnThisLinux() {
    assertThat(engine.transportName()).isEqualTo("epoll");
    assertThat(Splice.AVAILABLE).isTrue();
  }

  @Test
  void bulkTransferIsSplicedAndKeepsEveryByteAndTheCounts() throws Exception {
    int size = 50 * 1024 * 1024;
    try (TcpProxy proxy = proxyTo(echo.address());
        Socket s = TcpProxyTest.connect(proxy)) {
      Thread writer = writeThenShutdown(s, 7, size);
      InputStream in = s.getInputStream();
      Expected expected = new Expected(7);
      byte[] buf = new byte[64 * 1024];
      byte[] want = new byte[buf.length];
      long read = 0;
      int maxSpliced = 0;
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        expected.next(want, n);
        assertThat(Arrays.equals(buf, 0, n, want, 0, n)).as("bytes at %d", read).isTrue();
        read += n;
        maxSpliced = Math.max(maxSpliced, proxy.splicedLinks());
      }
      assertThat(read).isEqualTo(size);
      assertThat(maxSpliced).isEqualTo(2);
      writer.join(10_000);
      s.close();
      TcpProxyFailureTest.waitUntilNoConnections(proxy);
      assertThat(proxy.stats().bytesUpstream()).isEqualTo(size);
      assertThat(proxy.stats().bytesDownstream()).isEqualTo(size);
    }
  }

  @Test
  void upstreamHalfClosesFirstWhileTheClientKeepsSending() throws Exception {
    int size = 8 * 1024 * 1024;
    AtomicReference<Long> serverGot = new AtomicReference<>();
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread upstream =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket u = server.accept()) {
                      OutputStream out = u.getOutputStream();
                      byte[] chunk = new byte[64 * 1024];
                      Random r = new Random(3);
                      for (int sent = 0; sent < size; sent += chunk.length) {
                        r.nextBytes(chunk);
                        out.write(chunk);
                      }
                      u.shutdownOutput();
                      serverGot.set(checkStream(u.getInputStream(), 4));
                    } catch (IOException e) {
                      serverGot.set(-1L);
                    }
                  });
      try (TcpProxy proxy = proxyTo("127.0.0.1:" + server.getLocalPort());
          Socket s = TcpProxyTest.connect(proxy)) {
        assertThat(checkStream(s.getInputStream(), 3)).isEqualTo(size);
        writeThenShutdown(s, 4, size).join(30_000);
        upstream.join(30_000);
        assertThat(serverGot.get()).isEqualTo((long) size);
      }
    }
  }

  @Test
  void toxicAddedMidStreamTakesOverWithoutLosingAByteAndRemovingItSplicesAgain()
      throws Exception {
    int size = 60 * 1024 * 1024;
    List<ToxicSpec> latency =
        List.of(
            ToxicSpec.of("lat-up", "latency", Direction.UPSTREAM, Map.of("latency", 1L)),
            ToxicSpec.of("lat-down", "latency", Direction.DOWNSTREAM, Map.of("latency", 1L)));
    try (TcpProxy proxy = proxyTo(echo.address());
        Socket s = TcpProxyTest.connect(proxy)) {
      Thread writer = writeThenShutdown(s, 11, size);
      InputStream in = s.getInputStream();
      Expected expected = new Expected(11);
      byte[] buf = new byte[64 * 1024];
      byte[] want = new byte[buf.length];
      long read = 0;
      long mark = 0;
      int phase = 0; // 0 spliced, 1 toxic added, 2 pipeline seen, 3 toxic removed, 4 spliced again
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        expected.next(want, n);
        assertThat(Arrays.equals(buf, 0, n, want, 0, n)).as("bytes at %d", read).isTrue();
        read += n;
        int spliced = proxy.splicedLinks();
        if (phase == 0 && read > 4 << 20 && spliced == 2) {
          proxy.toxics(latency);
          phase = 1;
        } else if (phase == 1 && spliced == 0) {
          phase = 2;
          mark = read;
        } else if (phase == 2 && read > mark + (4 << 20)) {
          proxy.toxics(List.of());
          phase = 3;
        } else if (phase == 3 && spliced == 2) {
          phase = 4;
        }
      }
      assertThat(read).isEqualTo(size);
      assertThat(phase).isEqualTo(4);
      writer.join(10_000);
    }
  }

  @Test
  void thousandSplicedConnectionsLeaveNoDescriptorBehind() throws Exception {
    byte[] data = new byte[(int) SpliceLinks.AFTER + 64 * 1024];
    new Random(5).nextBytes(data);
    try (TcpProxy proxy = proxyTo(echo.address())) {
      for (int i = 0; i < 20; i++) {
        exchange(proxy, data);
      }
      TcpProxyFailureTest.waitUntilNoConnections(proxy);
      long before = openFds();
      for (int i = 0; i < 1000; i++) {
        exchange(proxy, data);
      }
      TcpProxyFailureTest.waitUntilNoConnections(proxy);
      long after = openFds();
      for (int i = 0; i < 100 && after > before + 4; i++) {
        Thread.sleep(50);
        after = openFds();
      }
      assertThat(after).isLessThanOrEqualTo(before + 4);
      assertThat(proxy.stats().bytesUpstream()).isGreaterThanOrEqualTo(1020L * data.length);
    }
  }

  private static void exchange(TcpProxy proxy, byte[] data) throws IOException {
    try (Socket s = TcpProxyTest.connect(proxy)) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  s.getOutputStream().write(data);
                  s.shutdownOutput();
                } catch (IOException e) {
                  // The read below fails then.
                }
              });
      assertThat(Arrays.equals(s.getInputStream().readAllBytes(), data)).isTrue();
    }
  }

  /** Writes {@code size} bytes of Random(seed) in a virtual thread, then half-closes. */
  private static Thread writeThenShutdown(Socket s, long seed, int size) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                OutputStream out = s.getOutputStream();
                Random r = new Random(seed);
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < size; sent += chunk.length) {
                  r.nextBytes(chunk);
                  out.write(chunk);
                }
                s.shutdownOutput();
              } catch (IOException e) {
                // The reader sees a short stream then.
              }
            });
  }

  /** Reads to EOF, checking against Random(seed) written in 64 KiB chunks; returns the count. */
  private static long checkStream(InputStream in, long seed) throws IOException {
    Expected expected = new Expected(seed);
    byte[] buf = new byte[64 * 1024];
    byte[] want = new byte[buf.length];
    long read = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      expected.next(want, n);
      if (!Arrays.equals(buf, 0, n, want, 0, n)) {
        throw new AssertionError("bytes differ at " + read);
      }
      read += n;
    }
    return read;
  }

  /** Returns the stream a writer of Random(seed) 64 KiB chunks sends, in any read sizes. */
  private static final class Expected {
    private final Random random;
    private final byte[] window = new byte[64 * 1024];
    private int pos = window.length;

    Expected(long seed) {
      random = new Random(seed);
    }

    void next(byte[] into, int n) {
      for (int filled = 0; filled < n; ) {
        if (pos == window.length) {
          random.nextBytes(window);
          pos = 0;
        }
        int take = Math.min(n - filled, window.length - pos);
        System.arraycopy(window, pos, into, filled, take);
        pos += take;
        filled += take;
      }
    }
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
