import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Heap allocated by the proxy's event loops per proxied connection: a ProxyEngine in this JVM, an
 * echo upstream on virtual threads, and a client that opens a connection, sends 64 bytes, reads
 * them back and closes, N times. Counts only the bytes the event loop threads allocated
 * (com.sun.management.ThreadMXBean, exact), after a warm-up of the same size. Run by alloc.sh;
 * JFR's allocation samples (alloc.sh --jfr) say where the bytes go.
 */
public class AllocationBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (ServerSocket echo = new ServerSocket(0, 512, lo);
        ProxyEngine engine = new ProxyEngine()) {
      Thread.ofVirtual().start(() -> serve(echo));
      RunningProxy proxy =
          engine.start(
              ProxyOptions.tcp(
                  "alloc", new InetSocketAddress(lo, 0), "127.0.0.1:" + echo.getLocalPort()));
      run(proxy, n); // warm-up: classes, JIT, pools
      Thread.sleep(500);
      long before = loopBytes(mx);
      run(proxy, n);
      Thread.sleep(500); // the last closes finish on the loops
      long after = loopBytes(mx);
      System.out.printf(
          "heap allocated by the event loops per proxied connection: %.0f bytes (%d connections)%n",
          (after - before) / (double) n, n);
      proxy.close();
    }
  }

  static long loopBytes(com.sun.management.ThreadMXBean mx) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.contains("EventLoop") || name.contains("epoll") || name.contains("nio")) {
        sum += mx.getThreadAllocatedBytes(t.threadId());
      }
    }
    return sum;
  }

  static void run(RunningProxy proxy, int n) throws Exception {
    byte[] data = new byte[64];
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket()) {
        s.connect(proxy.localAddress(), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        s.getOutputStream().write(data);
        if (s.getInputStream().readNBytes(64).length != 64) {
          throw new IllegalStateException("short echo");
        }
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
                    s.setTcpNoDelay(true);
                    in.transferTo(out);
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
