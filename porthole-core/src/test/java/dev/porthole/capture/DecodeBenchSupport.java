package dev.porthole.capture;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code bench/capture/DecodeBench.java}: it lives beside {@link NettyDecoding} (test
 * code, package-private) so the bench can run both decodings.
 */
public final class DecodeBenchSupport {
  private static final byte[] REQUEST =
      ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1:20105\r\n\r\n"); // what wrk sends
  private static final byte[] RESPONSE =
      ascii(
          "HTTP/1.1 200 OK\r\nServer: nginx/1.26.3\r\nDate: Wed, 02 Dec 2026 13:30:00 GMT\r\n"
              + "Content-Type: text/html\r\nContent-Length: 612\r\n"
              + "Last-Modified: Wed, 02 Dec 2026 13:00:00 GMT\r\nConnection: keep-alive\r\n"
              + "ETag: \"692e9a30-264\"\r\nAccept-Ranges: bytes\r\n\r\n"
              + "x".repeat(612));

  private DecodeBenchSupport() {}

  /** Runs {@code rounds} alternating rounds of {@code exchanges} exchanges each and prints them. */
  public static void run(int exchanges, int rounds) {
    com.sun.management.ThreadMXBean t =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    List<double[]> ours = new ArrayList<>();
    List<double[]> netty = new ArrayList<>();
    for (int r = -1; r < rounds; r++) { // round -1 warms both up
      for (boolean framer : new boolean[] {true, false}) {
        long cpu = t.getThreadCpuTime(id);
        long heap = t.getThreadAllocatedBytes(id);
        long n = framer ? ours(exchanges) : netty(exchanges);
        double ns = (double) (t.getThreadCpuTime(id) - cpu) / n;
        double bytes = (double) (t.getThreadAllocatedBytes(id) - heap) / n;
        if (r >= 0) {
          (framer ? ours : netty).add(new double[] {ns, bytes});
          System.out.printf(
              "round %d %-6s %8.0f ns/exchange %8.0f B/exchange%n",
              r + 1, framer ? "framer" : "netty", ns, bytes);
        }
      }
    }
    double[] a = medians(ours);
    double[] b = medians(netty);
    System.out.printf(
        "median: framer %.0f ns, %.0f B; netty %.0f ns, %.0f B; framer/netty CPU %.2f, heap %.2f%n",
        a[0], a[1], b[0], b[1], a[0] / b[0], a[1] / b[1]);
  }

  private static long ours(int n) {
    long[] seen = new long[1];
    HttpDecoding d = new HttpDecoding(CaptureSettings.DEFAULT_BODY_LIMIT, x -> seen[0]++);
    for (int i = 0; i < n; i++) {
      d.feed(Side.CLIENT, i, REQUEST.clone());
      d.feed(Side.SERVER, i, RESPONSE.clone());
    }
    return seen[0];
  }

  private static long netty(int n) {
    long[] seen = new long[1];
    NettyDecoding d = new NettyDecoding(CaptureSettings.DEFAULT_BODY_LIMIT, x -> seen[0]++);
    for (int i = 0; i < n; i++) {
      d.feed(Side.CLIENT, i, REQUEST.clone());
      d.feed(Side.SERVER, i, RESPONSE.clone());
    }
    d.cut(n);
    return seen[0];
  }

  private static double[] medians(List<double[]> rows) {
    double[] out = new double[2];
    for (int k = 0; k < 2; k++) {
      final int col = k;
      double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
      out[k] = v[v.length / 2];
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
