package dev.porthole.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Returns a blocking echo server on 127.0.0.1 port 0 for tests: it echoes every byte and, when the
 * client half-closes, finishes echoing and half-closes back.
 */
final class EchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  EchoServer() throws IOException {
    server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    threads.submit(this::acceptLoop);
  }

  /** Returns "127.0.0.1:port" for ProxyOptions. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  InetSocketAddress socketAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
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

  private Void echo(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
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
