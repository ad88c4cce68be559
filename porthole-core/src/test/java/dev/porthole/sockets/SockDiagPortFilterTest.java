package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's port filter against real sockets held on one port: a listener, an accepted
 * connection and a TIME_WAIT socket over IPv4, a listener over IPv6, UDP sockets over both, and the
 * clients (whose local ports are others). The filters here accept everything in Java, so what comes
 * back is what the kernel chose to send; {@code /proc/net} read in full says what it should have
 * been.
 */
@Timeout(60)
class SockDiagPortFilterTest {
  private static final SocketTables PROC = SocketTables.procNet(Path.of("/proc"));
  private static final Set<SocketState> EVERY_STATE = Set.copyOf(EnumSet.allOf(SocketState.class));
  private static final List<NetworkChannel> OPEN = new ArrayList<>();
  private static SockDiag diag;
  private static int port;
  private static int clientPort;

  @BeforeAll
  static void holdSocketsOnOnePort() throws Exception {
    diag = SockDiag.open();
    for (int attempt = 0; ; attempt++) {
      try {
        port = holdOnePort();
        return;
      } catch (BindException e) {
        closeChannels(); // the port was taken over IPv6 or UDP by someone else: try another
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  private static int holdOnePort() throws IOException {
    ServerSocketChannel v4 = open(ServerSocketChannel.open(StandardProtocolFamily.INET));
    v4.bind(new InetSocketAddress("127.0.0.1", 0));
    int p = ((InetSocketAddress) v4.getLocalAddress()).getPort();
    open(ServerSocketChannel.open(StandardProtocolFamily.INET6))
        .bind(new InetSocketAddress("::1", p));
    open(DatagramChannel.open(StandardProtocolFamily.INET))
        .bind(new InetSocketAddress("127.0.0.1", p));
    open(DatagramChannel.open(StandardProtocolFamily.INET6)).bind(new InetSocketAddress("::1", p));
    SocketChannel client = open(ipv4Client(v4));
    clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
    open(v4.accept()); // ESTABLISHED on p
    // TIME_WAIT on p: the accepted side closes first, then the client answers its FIN.
    SocketChannel leaving = ipv4Client(v4);
    SocketChannel accepted = v4.accept();
    accepted.close();
    leaving.read(ByteBuffer.allocate(1)); // -1: the FIN arrived
    leaving.close();
    return p;
  }

  /** Returns a client of {@code server} over IPv4 (a default socket is IPv6, mapped addresses). */
  private static SocketChannel ipv4Client(ServerSocketChannel server) throws IOException {
    SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
    client.connect(server.getLocalAddress());
    return client;
  }

  private static <T extends NetworkChannel> T open(T channel) {
    OPEN.add(channel);
    return channel;
  }

  @AfterAll
  static void closeAll() throws IOException {
    closeChannels();
    diag.close();
  }

  private static void closeChannels() throws IOException {
    for (NetworkChannel c : OPEN) {
      c.close();
    }
    OPEN.clear();
  }

  @Test
  void theKernelSendsTheSocketsOnThePortAndNoOthers() throws Exception {
    LineFilter sentByTheKernel = new LineFilter.Declared(EVERY_STATE, port, port, (p, s) -> true);
    for (Protocol protocol : Protocol.values()) {
      for (boolean ipv6 : new boolean[] {false, true}) {
        Set<SocketEntry> sent = Set.copyOf(diag.read(protocol, ipv6, sentByTheKernel).entries());
        assertThat(sent).as("%s ipv6=%s", protocol, ipv6).isNotEmpty();
        assertThat(sent).as("%s ipv6=%s", protocol, ipv6).isEqualTo(onPortFromProc(protocol, ipv6));
      }
    }
    assertThat(states(diag.read(Protocol.TCP, false, sentByTheKernel).entries()))
        .containsExactlyInAnyOrder(
            SocketState.LISTEN, SocketState.ESTABLISHED, SocketState.TIME_WAIT);
  }

  @Test
  void theClientsOwnPortIsNotSent() throws Exception {
    LineFilter onThePort = new LineFilter.Declared(EVERY_STATE, port, port, (p, s) -> true);
    assertThat(diag.read(Protocol.TCP, false, onThePort).entries())
        .extracting(SocketEntry::localPort)
        .containsOnly(port)
        .doesNotContain(clientPort);
    LineFilter onTheClientsPort =
        new LineFilter.Declared(EVERY_STATE, clientPort, clientPort, (p, s) -> true);
    assertThat(diag.read(Protocol.TCP, false, onTheClientsPort).entries())
        .extracting(SocketEntry::remotePort)
        .contains(port); // a connection elsewhere may share the client's ephemeral port
  }

  @Test
  void theStateFilterAndThePortFilterApplyTogether() throws Exception {
    LineFilter listenersOnThePort = LineFilter.port(port).and(LineFilter.LISTENERS);
    assertThat(listenersOnThePort.firstPort()).isEqualTo(port);
    assertThat(listenersOnThePort.lastPort()).isEqualTo(port);
    for (Protocol protocol : Protocol.values()) {
      for (boolean ipv6 : new boolean[] {false, true}) {
        assertThat(diag.read(protocol, ipv6, listenersOnThePort).entries())
            .as("%s ipv6=%s", protocol, ipv6)
            .singleElement()
            .satisfies(e -> assertThat(e.localPort()).isEqualTo(port))
            .satisfies(e -> assertThat(e.listening()).isTrue());
      }
    }
  }

  @Test
  void aSpanSendsOnlyPortsInsideIt() throws Exception {
    int first = Math.min(port, clientPort);
    int last = Math.max(port, clientPort);
    LineFilter span = new LineFilter.Declared(EVERY_STATE, first, last, (p, s) -> true);
    List<SocketEntry> sent = diag.read(Protocol.TCP, false, span).entries();
    assertThat(sent).allMatch(e -> e.localPort() >= first && e.localPort() <= last);
    assertThat(sent)
        .extracting(SocketEntry::localPort)
        .contains(port, clientPort); // others' sockets in the span may come too
    LineFilter empty = new LineFilter.Declared(EVERY_STATE, port + 1, port, (p, s) -> true);
    assertThat(diag.read(Protocol.TCP, false, empty).entries()).isEmpty();
  }

  private static Set<SocketEntry> onPortFromProc(Protocol protocol, boolean ipv6)
      throws IOException {
    return PROC.read(protocol, ipv6, LineFilter.ALL).entries().stream()
        .filter(e -> e.localPort() == port)
        .collect(Collectors.toSet());
  }

  private static Set<SocketState> states(List<SocketEntry> entries) {
    return entries.stream().map(SocketEntry::state).collect(Collectors.toSet());
  }
}
