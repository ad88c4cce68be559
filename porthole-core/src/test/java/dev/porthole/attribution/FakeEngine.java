package dev.porthole.attribution;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A fake Docker API on a unix socket that answers every request with fixed bytes (or never), for
 * the failures a real engine cannot be made to produce: garbage, timeouts, truncated chunks.
 */
final class FakeEngine implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Thread thread;

  /** Starts answering on {@code socket} with {@code answer}; null answers nothing, ever. */
  FakeEngine(Path socket, String answer) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                      c.read(ByteBuffer.allocate(8192));
                      if (answer == null) {
                        Thread.sleep(10_000); // the client's deadline ends it first
                        continue;
                      }
                      c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException | InterruptedException e) {
                      return; // closed by the test
                    }
                  }
                });
  }

  @Override
  public void close() throws IOException {
    server.close();
    thread.interrupt();
  }
}
