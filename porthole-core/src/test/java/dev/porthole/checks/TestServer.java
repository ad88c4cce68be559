package dev.porthole.checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/** A real TCP server on port 0 whose behaviour per connection is one of the staged faults. */
final class TestServer implements AutoCloseable {

  /** What the server does with each accepted connection. */
  enum Behaviour {
    /** Answers one HTTP request with 200 and "ok". */
    HTTP,
    /** Accepts and never says anything. */
    SILENT,
    /** Resets at once (SO_LINGER 0, then close). */
    RESET,
    /** Closes at once, politely. */
    CLOSE
  }

  private final ServerSocket server;
  private final Behaviour behaviour;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private TestServer(ServerSocket server, Behaviour behaviour) {
    this.server = server;
    this.behaviour = behaviour;
    this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  /** Returns a plain server bound to {@code address} on a free port. */
  static TestServer plain(String address, Behaviour behaviour) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    return new TestServer(s, behaviour);
  }

  /** Returns an HTTPS server on 127.0.0.1 with a self-signed certificate made by keytool now. */
  static TestServer tls(Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    Files.deleteIfExists(store);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new TestServer(s, Behaviour.HTTP);
  }

  /**
   * Returns a server listening on {@code listenOn} whose port is held (bound, not listening) on
   * {@code keepFree}, so no other process on this shared machine can listen there during the test.
   */
  static Staged staged(String listenOn, String keepFree, Behaviour behaviour) throws IOException {
    for (int i = 0; i < 50; i++) {
      TestServer server = plain(listenOn, behaviour);
      Socket blocker = new Socket();
      try {
        blocker.bind(new InetSocketAddress(InetAddress.getByName(keepFree), server.port()));
        return new Staged(server, blocker);
      } catch (IOException taken) {
        blocker.close();
        server.close();
      }
    }
    throw new IllegalStateException("no port free on both " + listenOn + " and " + keepFree);
  }

  /** Returns a port on {@code address} held bound but not listening: connecting is refused. */
  static Socket refusingPort(String address) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    return s;
  }

  /** A server and the socket keeping its port free on another address. */
  record Staged(TestServer server, Socket blocker) implements AutoCloseable {
    int port() {
      return server.port();
    }

    @Override
    public void close() throws IOException {
      blocker.close();
      server.close();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket c = server.accept();
        Thread.ofVirtual().start(() -> serve(c));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket c) {
    try {
      switch (behaviour) {
        case SILENT -> held.add(c);
        case RESET -> {
          c.setSoLinger(true, 0);
          c.close();
        }
        case CLOSE -> c.close();
        case HTTP -> answer(c);
      }
    } catch (IOException e) {
      closeQuietly(c); // the client spoke the wrong protocol: that is the test's point
    }
  }

  private static void answer(Socket c) throws IOException {
    try (c) {
      c.setSoTimeout(5000);
      InputStream in = c.getInputStream();
      int state = 0;
      int b;
      while (state < 4 && (b = in.read()) >= 0) {
        state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
      }
      OutputStream out = c.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                  + "Connection: close\r\n\r\nok")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static void closeQuietly(Socket c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    held.forEach(TestServer::closeQuietly);
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
