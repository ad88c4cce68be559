package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.capture.EndReason;
import dev.porthole.capture.Tap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The half-closes without Netty's exceptions ({@link HalfClose}): the socket whose output the
 * proxy shut closes at its own end of input, and that end still counts as a FIN, whichever side
 * half-closes first; bytes sent after the other side's FIN still arrive, also through a toxic
 * added after the half-close.
 */
@Timeout(30)
class HalfCloseTest {
  private ProxyEngine engine;
  private ServerSocket upstream;
  private final CompletableFuture<EndReason> end = new CompletableFuture<>();

  @BeforeEach
  void start() throws IOException {
    engine = new ProxyEngine();
    engine.recorder(
        (proxy, id, protocol, client, listen, up) ->
            new Tap() {
              @Override
              public void closed(EndReason reason, long bytesUp, long bytesDown) {
                end.complete(reason);
              }
            });
    upstream = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    upstream.close();
    engine.close();
  }

  private RunningProxy proxy() throws IOException {
    return engine.start(
        ProxyOptions.tcp(
            "half",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "127.0.0.1:" + upstream.getLocalPort()));
  }

  private static Socket connect(RunningProxy proxy) throws IOException {
    Socket s = new Socket();
    s.connect(proxy.localAddress(), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void clientFinFirstThenTheServerAnswersAndCloses() throws Exception {
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket s = upstream.accept()) {
                serverSaw.complete(ascii(s.getInputStream().readAllBytes())); // up to the FIN
                s.getOutputStream().write("answer after your FIN".getBytes());
              } catch (IOException e) {
                serverSaw.completeExceptionally(e);
              }
            });
    try (RunningProxy proxy = proxy();
        Socket s = connect(proxy)) {
      s.getOutputStream().write("question".getBytes());
      s.shutdownOutput();
      assertThat(ascii(s.getInputStream().readAllBytes())).isEqualTo("answer after your FIN");
      assertThat(serverSaw.get(10, TimeUnit.SECONDS)).isEqualTo("question");
      assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.FIN);
    }
  }

  @Test
  void serverFinFirstThenTheClientGoesOnSendingAndCloses() throws Exception {
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket s = upstream.accept()) {
                s.getOutputStream().write("bye".getBytes());
                s.shutdownOutput();
                serverSaw.complete(ascii(s.getInputStream().readAllBytes()));
              } catch (IOException e) {
                serverSaw.completeExceptionally(e);
              }
            });
    try (RunningProxy proxy = proxy();
        Socket s = connect(proxy)) {
      assertThat(ascii(s.getInputStream().readAllBytes())).isEqualTo("bye");
      s.getOutputStream().write("still talking".getBytes());
      s.shutdownOutput();
      assertThat(serverSaw.get(10, TimeUnit.SECONDS)).isEqualTo("still talking");
      assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.FIN);
    }
  }

  @Test
  void aToxicAddedAfterTheHalfCloseStillDeliversWhatItHolds() throws Exception {
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    CompletableFuture<Void> toxicIn = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket s = upstream.accept()) {
                serverSaw.complete(ascii(s.getInputStream().readAllBytes()));
                toxicIn.get(10, TimeUnit.SECONDS);
                s.getOutputStream().write("late answer".getBytes());
              } catch (Exception e) {
                serverSaw.completeExceptionally(e);
              }
            });
    try (RunningProxy proxy = proxy();
        Socket s = connect(proxy)) {
      s.getOutputStream().write("question".getBytes());
      s.shutdownOutput();
      assertThat(serverSaw.get(10, TimeUnit.SECONDS)).isEqualTo("question");
      // The server's output is shut by now; its end must wait for what the toxic holds.
      Map<String, Object> latency = Map.of("latency", 300);
      proxy.toxics(List.of(ToxicSpec.of("slow", "latency", Direction.DOWNSTREAM, latency)));
      toxicIn.complete(null);
      assertThat(ascii(s.getInputStream().readAllBytes())).isEqualTo("late answer");
      assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(EndReason.FIN);
    }
  }
}
