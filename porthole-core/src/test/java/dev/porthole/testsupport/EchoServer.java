package dev.porthole.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A blocking TCP echo server on 127.0.0.1 port 0, the upstream of the tests of every module (core's
 * test-jar): it echoes every byte and, when the client half-closes, finishes echoing and
 * half-closes back. One virtual thread per connection.
 */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /** Starts listening; the accept loop runs until {@link #close()}. */
  public EchoServer() throws IOException {
    server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    threads.submit(this::acceptLoop);
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** Returns "127.0.0.1:port", as proxy options and the API take an upstream. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Returns the address it listens on. */
  public InetSocketAddress socketAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Returns after one byte went to {@code host:port} and came back (5 s bound). */
  public static void roundTrip(String host, int port) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(42);
      if (s.getInputStream().read() != 42) {
        throw new IOException("no echo from " + host + ":" + port);
      }
    }
  }

  /** Returns what a round trip of {@code text} through {@code hostPort} gives back (5 s bound). */
  public static String roundTrip(String hostPort, String text) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream().write(bytes);
      return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
  }

  private Void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.submit(() -> echo(s));
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }

  private static Void echo(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
      s.shutdownOutput();
    } catch (IOException e) {
      // The client went away: nothing to echo.
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
