package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-port commands answer the same over netlink with the kernel's port filter ({@code
 * PORTHOLE_SOCKETS=ffm}) as from the {@code /proc/net} text ({@code proc}), in child JVMs, for a
 * port this test holds over IPv4 and IPv6 with a connection to it; the class log shows which source
 * each child read.
 */
@Timeout(120)
class SocketSourcesTest {
  private static final List<AutoCloseable> HELD = new ArrayList<>();
  private static int port;

  @TempDir Path logs;

  @BeforeAll
  static void holdAPortOverBothFamilies() throws Exception {
    for (int attempt = 0; port == 0; attempt++) {
      ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET);
      v4.bind(new InetSocketAddress("127.0.0.1", 0));
      int p = ((InetSocketAddress) v4.getLocalAddress()).getPort();
      try {
        ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        v6.bind(new InetSocketAddress("::1", p));
        HELD.addAll(List.of(v4, v6));
        port = p;
      } catch (BindException e) {
        v4.close(); // taken over IPv6 by someone else: another port
        if (attempt == 20) {
          throw e;
        }
      }
    }
    SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
    client.connect(new InetSocketAddress("127.0.0.1", port));
    HELD.add(client);
    HELD.add(((ServerSocketChannel) HELD.get(0)).accept());
  }

  @AfterAll
  static void release() throws Exception {
    for (AutoCloseable c : HELD) {
      c.close();
    }
  }

  @Test
  void theOnePortCommandsAnswerTheSameOverNetlinkAsFromTheText() throws Exception {
    String p = Integer.toString(port);
    for (String[] args :
        new String[][] {
          {"who", p},
          {"who", p, "--json"},
          {"info", p},
          {"ports", "--port", p},
          {"ports", "--port", p, "--all"},
        }) {
      Child text = run("proc", args);
      Child netlink = run("ffm", args);
      String what = String.join(" ", args);
      assertThat(netlink.exit()).as(what).isZero().isEqualTo(text.exit());
      assertThat(netlink.out()).as(what).contains(p).isEqualTo(text.out());
      assertThat(netlink.classes()).as(what).contains("dev.porthole.sockets.FfmNetlink");
      assertThat(text.classes()).as(what).doesNotContain("dev.porthole.sockets.FfmNetlink");
    }
  }

  @Test
  void whoOverNetlinkNamesBothListeners() throws Exception {
    Child netlink = run("ffm", "who", Integer.toString(port), "--json");
    JsonNode answer = JsonMapper.builder().build().readTree(netlink.out());
    assertThat(answer.get("listening").asBoolean()).isTrue();
    assertThat(answer.get("sockets")).hasSize(2); // IPv4 and IPv6; the connection is not shown
    assertThat(netlink.out()).contains("127.0.0.1", "::1");
  }

  private record Child(int exit, String out, String classes) {}

  private Child run(String sockets, String... args) throws Exception {
    Path log = Files.createTempFile(logs, "classes", ".txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                Porthole.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PORTHOLE_SOCKETS", sockets);
    pb.environment().put("NO_COLOR", "1");
    Process process = pb.redirectErrorStream(false).start();
    process.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("porthole " + String.join(" ", args) + ": no end in 60 s");
    }
    err.join();
    return new Child(process.exitValue(), out, Files.readString(log));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      return new byte[0];
    }
  }
}
