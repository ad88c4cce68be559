package dev.porthole.checks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Returns what protocol a port speaks, on a fresh connection, when a check failed in a way that
 * suggests the wrong one (TLS to a plain port, plain HTTP to a TLS port).
 */
final class Sniffer {
  private Sniffer() {}

  /** Returns true when the port answers a plain HTTP request with an HTTP status line. */
  static boolean plainHttp(InetAddress address, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      s.getOutputStream()
          .write("HEAD / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] head = s.getInputStream().readNBytes(5);
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/");
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns true when a TLS handshake on the port succeeds. */
  static boolean speaksTls(InetAddress address, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      TlsInspector.handshake(s, address.getHostAddress(), port, timeoutMillis).socket().close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int read(InputStream in) throws IOException {
    return in.read();
  }
}
