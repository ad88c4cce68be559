import dev.porthole.testing.LocalProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * Times what a test pays for a LocalProxy: the first proxy of a JVM (engine start and class loading
 * included), its first connection, then start+close of later proxies in a loop. Run by run.sh;
 * prints one line per JVM.
 */
public class ProxyStartBench {
  public static void main(String[] args) throws Exception {
    int loops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> serve(echo));
      java.lang.management.ThreadMXBean cpu =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      LocalProxy first = LocalProxy.to(echo.getLocalPort());
      long t1 = System.nanoTime();
      long c1 = cpu.getCurrentThreadCpuTime();
      roundTrip(first);
      long t2 = System.nanoTime();
      first.close();
      long t3 = System.nanoTime();
      long laterConnection;
      try (LocalProxy second = LocalProxy.to(echo.getLocalPort())) {
        long s = System.nanoTime();
        roundTrip(second);
        laterConnection = System.nanoTime() - s;
      }
      long[] ns = new long[loops];
      for (int i = 0; i < loops; i++) {
        long s = System.nanoTime();
        LocalProxy.to(echo.getLocalPort()).close();
        ns[i] = System.nanoTime() - s;
      }
      Arrays.sort(ns);
      System.out.printf(
          "first proxy: start %.1f ms (CPU of the caller %.1f ms), close %.1f ms; first connection"
              + " %.2f ms (later proxy: %.2f ms); start+close x%d: median %.3f ms, p90 %.3f ms, max"
              + " %.1f ms%n",
          ms(t1 - t0),
          ms(c1 - c0),
          ms(t3 - t2),
          ms(t2 - t1),
          ms(laterConnection),
          loops,
          ms(ns[loops / 2]),
          ms(ns[loops * 9 / 10]),
          ms(ns[loops - 1]));
    }
  }

  static double ms(long ns) {
    return ns / 1e6;
  }

  static void roundTrip(LocalProxy p) throws Exception {
    try (Socket s = new Socket(p.host(), p.port())) {
      s.getOutputStream().write(1);
      if (s.getInputStream().read() != 1) {
        throw new IllegalStateException("no echo");
      }
    }
  }

  static void serve(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual()
            .start(
                () -> {
                  try (s;
                      InputStream in = s.getInputStream();
                      OutputStream out = s.getOutputStream()) {
                    for (int b; (b = in.read()) >= 0; ) {
                      out.write(b);
                    }
                  } catch (Exception e) {
                    // client gone
                  }
                });
      } catch (Exception e) {
        return;
      }
    }
  }
}
