import dev.porthole.testing.LocalProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Times the first connection through each new LocalProxy of one JVM: connect, one byte there and
 * back, close. The first proxy pays the engine and class loading (reported apart); the figure of
 * interest is proxies 2..N, each a fresh proxy whose first connection a test would make. Waits
 * {@code pauseMs} before each new proxy so a background warm-up has the time it would have in a
 * test run (JUnit's discovery, the test's own set-up). Prints one line per JVM. Run by first.sh.
 */
public class FirstConnectionBench {
  public static void main(String[] args) throws Exception {
    int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    long pauseMs = args.length > 1 ? Long.parseLong(args[1]) : 500;
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> serve(echo));
      LocalProxy.warmUp();
      StringBuilder line = new StringBuilder("first connection per new proxy, (second connection) in ms:");
      for (int i = 0; i < proxies; i++) {
        Thread.sleep(pauseMs);
        try (LocalProxy p = LocalProxy.to(echo.getLocalPort())) {
          long s = System.nanoTime();
          roundTrip(p);
          long m = System.nanoTime();
          roundTrip(p);
          line.append(String.format(" %.2f (%.2f)", (m - s) / 1e6, (System.nanoTime() - m) / 1e6));
        }
      }
      System.out.println(line);
    }
  }

  static void roundTrip(LocalProxy p) throws Exception {
    try (Socket s = new Socket(p.host(), p.port())) {
      s.setTcpNoDelay(true);
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
        s.setTcpNoDelay(true);
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
