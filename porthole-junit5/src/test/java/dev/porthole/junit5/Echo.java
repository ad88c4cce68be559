package dev.porthole.junit5;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Returns a blocking echo server on 127.0.0.1 port 0, the upstream of these tests. */
public final class Echo implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public Echo() throws IOException {
    server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  private Void accept() {
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
      byte[] buf = new byte[16384];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // The client went away.
    }
    return null;
  }

  /** Returns after one byte went to {@code hostPort} and came back. */
  public static void roundTrip(String host, int port) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(42);
      if (s.getInputStream().read() != 42) {
        throw new IOException("no echo from " + host + ":" + port);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
