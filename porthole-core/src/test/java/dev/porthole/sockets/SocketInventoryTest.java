package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SocketInventoryTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void findsThisProcessAsTheOwnerOfItsTcpListener() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      SocketSnapshot snapshot = SocketInventory.system().snapshot(false);

      OwnedSocket mine = snapshot.onPort(server.getLocalPort()).getFirst();
      assertThat(mine.socket().state()).isEqualTo(SocketState.LISTEN);
      assertThat(mine.socket().scope()).isEqualTo(BindScope.LOOPBACK);
      assertThat(mine.owner().pid()).isEqualTo(SELF);
      assertThat(mine.owner().name()).isEqualTo("java");
      assertThat(mine.owner().commandLine()).contains("java");
      assertThat(mine.owner().user()).isEqualTo(System.getProperty("user.name"));
    }
  }

  @Test
  void findsUdpOnIpv6LoopbackAndWildcardScopes() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("::1", 0));
        ServerSocket any = new ServerSocket(0)) {
      SocketSnapshot snapshot = SocketInventory.system().snapshot(false);

      OwnedSocket v6 = snapshot.onPort(udp.getLocalPort()).getFirst();
      assertThat(v6.socket().protocol()).isEqualTo(Protocol.UDP);
      assertThat(v6.socket().localAddress()).isEqualTo(InetAddress.getByName("::1"));
      assertThat(v6.socket().state()).isEqualTo(SocketState.UNCONN);
      assertThat(v6.owner().pid()).isEqualTo(SELF);
      assertThat(snapshot.onPort(any.getLocalPort()).getFirst().socket().scope())
          .isEqualTo(BindScope.ALL_INTERFACES);
    }
  }

  @Test
  void includesConnectionsOnlyWhenAsked() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Socket client = new Socket("127.0.0.1", server.getLocalPort());
        Socket accepted = server.accept()) {
      int clientPort = client.getLocalPort();

      assertThat(SocketInventory.system().snapshot(false).onPort(clientPort)).isEmpty();
      // Other processes may hold the same port number on another loopback address: pick ours.
      OwnedSocket conn =
          SocketInventory.system().snapshot(true).onPort(clientPort).stream()
              .filter(s -> s.socket().remotePort() == server.getLocalPort())
              .findFirst()
              .orElseThrow();
      assertThat(conn.socket().state()).isEqualTo(SocketState.ESTABLISHED);
      assertThat(conn.socket().remotePort()).isEqualTo(server.getLocalPort());
      assertThat(conn.owner().pid()).isEqualTo(SELF);
    }
  }

  @Test
  void reportsMalformedFixtureLinesAsNotes() {
    Path fixture = Path.of("src/test/resources/proc-fixture");
    SocketSnapshot snapshot = new SocketInventory(fixture).snapshot(true);

    assertThat(snapshot.sockets()).hasSize(6);
    assertThat(snapshot.skippedLines()).isEqualTo(2);
    assertThat(snapshot.notes()).filteredOn(n -> n.contains("malformed line(s)")).hasSize(2);
    assertThat(snapshot.notes()).last().asString().startsWith("6 socket(s) show owner '?'");
    // The fixture has no /proc/PID directories: owners are honestly unknown.
    assertThat(snapshot.sockets()).allMatch(s -> s.owners().isEmpty());
  }

  @Test
  void failsClearlyWhereThereIsNoProcNet(@TempDir Path empty) {
    assertThatThrownBy(() -> new SocketInventory(empty).snapshot(false))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not Linux?");
  }
}
