package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.routing.http.RouterOptions;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that resets the router's TLS port mid-handshake is routine: no warning, no trace. */
@Timeout(60)
class RouterResetLogTest {
  @TempDir Path dataDir;

  @Test
  void aResetBeforeTheHandshakeEndsLogsNoWarningAndNoStackTrace() throws Exception {
    try (Daemon daemon =
            Daemon.start(
                DaemonConfig.local(0, dataDir).withRouter(new RouterOptions("127.0.0.1", 0, 0)));
        LogCapture log = new LogCapture()) {
      int https = daemon.router().httpsPort();
      for (int i = 0; i < 5; i++) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", https), 5_000);
          OutputStream out = s.getOutputStream();
          // The first bytes of a TLS 1.2 ClientHello record, then a reset (linger 0).
          out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
          out.flush();
          s.setSoLinger(true, 0);
        }
      }
      // The router still answers afterwards (a 404 listing the routes: there are none).
      assertThat(
              Http.raw(
                  daemon.router().httpPort(),
                  "GET / HTTP/1.1\r\nHost: none.localhost\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 404");
      Thread.sleep(300); // the resets are read on the router's event loop; give it a moment
      assertThat(log.text())
          .doesNotContain("WARN")
          .doesNotContain("Failed to select the application-level protocol")
          .doesNotContain("reached the tail of the pipeline");
    }
  }
}
