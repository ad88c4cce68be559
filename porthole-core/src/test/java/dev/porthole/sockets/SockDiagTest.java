package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Netlink sock_diag against real sockets this test opens (listeners, established, TIME_WAIT, IPv4
 * and IPv6, TCP and UDP), checked against {@code /proc/net} reading the same sockets; the calls go
 * through FFM (the build's JDK is 22+), and through JNA for the same answers.
 */
@Timeout(60)
class SockDiagTest {
  private static final long SELF = ProcessHandle.current().pid();
  private static final SocketTables PROC = SocketTables.procNet(Path.of("/proc"));
  private static SockDiag diag;
  private static Sockets mine;

  /** The sockets of this test, and their local ports. */
  private record Sockets(List<AutoCloseable> open, Set<Integer> ports, int timeWaitPort) {}

  @BeforeAll
  static void openSockets() throws Exception {
    diag = SockDiag.open();
    mine = open();
  }

  @AfterAll
  static void closeSockets() throws Exception {
    for (AutoCloseable c : mine.open()) {
      c.close();
    }
    diag.close();
  }

  private static Sockets open() throws Exception {
    List<AutoCloseable> open = new java.util.ArrayList<>();
    Set<Integer> ports = new HashSet<>();
    for (StandardProtocolFamily family : StandardProtocolFamily.values()) {
      if (family == StandardProtocolFamily.UNIX) {
        continue;
      }
      String loopback = family == StandardProtocolFamily.INET ? "127.0.0.1" : "::1";
      ServerSocketChannel server = ServerSocketChannel.open(family);
      server.bind(new InetSocketAddress(loopback, 0));
      SocketChannel client = SocketChannel.open(family);
      client.connect(server.getLocalAddress());
      SocketChannel accepted = server.accept();
      DatagramChannel udp = DatagramChannel.open(family);
      udp.bind(new InetSocketAddress(loopback, 0));
      DatagramChannel connectedUdp = DatagramChannel.open(family);
      connectedUdp.bind(new InetSocketAddress(loopback, 0)).connect(udp.getLocalAddress());
      open.addAll(List.of(server, client, accepted, udp, connectedUdp));
      for (var c : List.of(server.getLocalAddress(), client.getLocalAddress())) {
        ports.add(((InetSocketAddress) c).getPort());
      }
      ports.add(((InetSocketAddress) udp.getLocalAddress()).getPort());
      ports.add(((InetSocketAddress) connectedUdp.getLocalAddress()).getPort());
    }
    // TIME_WAIT: the side that closes first keeps it, here an IPv4 client.
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET);
    client.connect(server.getLocalAddress());
    SocketChannel accepted = server.accept();
    int timeWaitPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
    client.close();
    accepted.read(ByteBuffer.allocate(1)); // the FIN arrived: -1
    accepted.close();
    server.close();
    ports.add(timeWaitPort);
    return new Sockets(open, ports, timeWaitPort);
  }

  private static Set<SocketEntry> ours(SocketTables tables, Protocol p, boolean v6, LineFilter f)
      throws IOException {
    ProcNetParser.Result r = tables.read(p, v6, f);
    return r.entries().stream()
        .filter(e -> mine.ports().contains(e.localPort()))
        .collect(Collectors.toSet());
  }

  @Test
  void givesTheSameSocketsAsProcNetInEveryTable() throws Exception {
    for (Protocol protocol : Protocol.values()) {
      for (boolean ipv6 : new boolean[] {false, true}) {
        Set<SocketEntry> netlink = ours(diag, protocol, ipv6, LineFilter.ALL);
        assertThat(netlink).as("%s ipv6=%s", protocol, ipv6).isNotEmpty();
        assertThat(netlink)
            .as("%s ipv6=%s", protocol, ipv6)
            .isEqualTo(ours(PROC, protocol, ipv6, LineFilter.ALL));
      }
    }
  }

  @Test
  void oneWalkOfBothTcpTablesGivesWhatADumpPerTableGives() throws Exception {
    LineFilter onePort = LineFilter.port(mine.timeWaitPort());
    for (LineFilter quick : List.of(LineFilter.ALL, LineFilter.LISTENERS, onePort)) {
      ProcNetParser.Result[] all = diag.readAll(quick);
      assertThat(all).hasSize(4);
      for (int t = 0; t < 4; t++) {
        Protocol protocol = t < 2 ? Protocol.TCP : Protocol.UDP;
        boolean ipv6 = t % 2 == 1;
        Set<SocketEntry> oneWalk =
            all[t].entries().stream()
                .filter(e -> mine.ports().contains(e.localPort()))
                .collect(Collectors.toSet());
        assertThat(oneWalk)
            .as("%s ipv6=%s", protocol, ipv6)
            .isEqualTo(ours(diag, protocol, ipv6, quick));
        assertThat(all[t].entries()).allMatch(e -> e.ipv6() == ipv6 && e.protocol() == protocol);
      }
    }
    assertThat(diag.readAll(onePort)[0].entries())
        .extracting(SocketEntry::state)
        .containsExactly(SocketState.TIME_WAIT);
  }

  @Test
  void theCallsGoThroughFfmOnThisJdk() {
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
    assertThat(diag.via()).isEqualTo("FFM");
  }

  @Test
  void jnaGivesTheSameSocketsAsFfm() throws Exception {
    try (SockDiag jna = SockDiag.openJna()) {
      assertThat(jna.via()).isEqualTo("JNA");
      for (Protocol protocol : Protocol.values()) {
        for (boolean ipv6 : new boolean[] {false, true}) {
          Set<SocketEntry> viaJna = ours(jna, protocol, ipv6, LineFilter.ALL);
          assertThat(viaJna).as("%s ipv6=%s", protocol, ipv6).isNotEmpty();
          assertThat(viaJna).isEqualTo(ours(diag, protocol, ipv6, LineFilter.ALL));
        }
      }
    }
  }

  @Test
  void aClosedReaderSaysSo() throws Exception {
    SockDiag closed = SockDiag.openWithoutJna();
    closed.close();
    closed.close(); // twice is harmless
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> closed.read(Protocol.TCP, false, LineFilter.ALL))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void readsEveryStateItsSocketsAreIn() throws Exception {
    Set<SocketState> tcp4 = states(ours(diag, Protocol.TCP, false, LineFilter.ALL));
    assertThat(tcp4).contains(SocketState.LISTEN, SocketState.ESTABLISHED, SocketState.TIME_WAIT);
    assertThat(states(ours(diag, Protocol.TCP, true, LineFilter.ALL)))
        .contains(SocketState.LISTEN, SocketState.ESTABLISHED);
    assertThat(states(ours(diag, Protocol.UDP, true, LineFilter.ALL)))
        .containsExactlyInAnyOrder(SocketState.UNCONN, SocketState.ESTABLISHED);
    SocketEntry timeWait =
        ours(diag, Protocol.TCP, false, LineFilter.ALL).stream()
            .filter(e -> e.localPort() == mine.timeWaitPort())
            .findFirst()
            .orElseThrow();
    assertThat(timeWait.state()).isEqualTo(SocketState.TIME_WAIT);
    assertThat(timeWait.inode()).isZero(); // no process holds it any more
    assertThat(timeWait.localAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void theKernelsStateFilterSendsListenersOnly() throws Exception {
    for (Protocol protocol : Protocol.values()) {
      for (boolean ipv6 : new boolean[] {false, true}) {
        ProcNetParser.Result all = diag.read(protocol, ipv6, LineFilter.LISTENERS);
        assertThat(all.entries()).allMatch(SocketEntry::listening);
        assertThat(ours(diag, protocol, ipv6, LineFilter.LISTENERS))
            .hasSize(1)
            .isEqualTo(
                ours(PROC, protocol, ipv6, LineFilter.ALL).stream()
                    .filter(SocketEntry::listening)
                    .collect(Collectors.toSet()));
      }
    }
  }

  @Test
  void aPortFilterStillAppliesAfterTheStateFilter() throws Exception {
    int port = mine.timeWaitPort();
    LineFilter onePort = LineFilter.ports(p -> p == port);
    assertThat(diag.read(Protocol.TCP, false, onePort).entries())
        .extracting(SocketEntry::state)
        .containsExactly(SocketState.TIME_WAIT);
    assertThat(diag.read(Protocol.TCP, false, onePort.and(LineFilter.LISTENERS)).entries())
        .isEmpty();
  }

  @Test
  void theInventoryGivesTheSameSocketsAndOwnersOverTheProcFallback() {
    SocketInventory netlink = new SocketInventory(Path.of("/proc"), UserNames.system(), diag);
    SocketInventory proc = new SocketInventory(Path.of("/proc"), UserNames.system(), PROC);
    assertThat(netlink.source()).isEqualTo("netlink");
    assertThat(proc.source()).isEqualTo("/proc/net");
    Predicate<SocketEntry> ours = e -> mine.ports().contains(e.localPort());

    Set<String> viaNetlink = rows(netlink.snapshot(ours));
    assertThat(viaNetlink).hasSizeGreaterThanOrEqualTo(mine.ports().size());
    assertThat(viaNetlink).isEqualTo(rows(proc.snapshot(ours)));
    assertThat(viaNetlink).anyMatch(r -> r.contains("LISTEN") && r.endsWith("[" + SELF + "]"));
  }

  @Test
  void theSystemTablesAreNetlinkHere() {
    assertThat(SocketTables.system().source()).isEqualTo("netlink");
    assertThat(SocketTables.SystemTables.choose("proc").source()).isEqualTo("/proc/net");
    assertThat(SocketTables.SystemTables.choose(null).source()).isEqualTo("netlink");
    assertThat(((SockDiag) SocketTables.system()).via()).isEqualTo("FFM");
    // A one-shot question: the text or FFM by the socket count (SocketCountTest), netlink when
    // asked, through FFM alone with "ffm", the text with "proc" whatever the count.
    Path proc = Path.of("/proc");
    assertThat(SocketTables.OneQuestion.choose("proc", proc, LineFilter.ALL).source())
        .isEqualTo("/proc/net");
    assertThat(((SockDiag) SocketTables.OneQuestion.choose("ffm", proc, LineFilter.ALL)).via())
        .isEqualTo("FFM");
    assertThat(SocketTables.OneQuestion.choose("netlink", proc, LineFilter.ALL))
        .isSameAs(SocketTables.system());
  }

  @Test
  void choosingTheSystemTablesAgainOpensNoSocket() throws IOException {
    SocketTables first = SocketTables.SystemTables.choose(null);
    long before = openFds();
    SocketTables last = first;
    for (int i = 0; i < 100; i++) {
      last = SocketTables.SystemTables.choose(null);
    }
    // Flat, with room for a descriptor the JVM or the test runner opens meanwhile.
    assertThat(openFds()).isLessThanOrEqualTo(before + 2);
    assertThat(last).isSameAs(first);
  }

  private static long openFds() throws IOException {
    try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void aTruncatedMessageIsCountedNotTrusted() {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    b.putInt(0, 16 + 20).putShort(4, (short) 20).putInt(8, 7); // an inet_diag_msg of 20 bytes
    b.limit(36);
    SockDiagReader reader = new SockDiagReader(Protocol.TCP, false, LineFilter.ALL, 7);
    assertThat(reader.read(b)).isTrue();
    assertThat(reader.result().skipped()).isEqualTo(1);
    assertThat(reader.result().firstProblem()).contains("20 bytes");

    ByteBuffer broken = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    broken.putInt(0, 4000).limit(32); // longer than what was received: framing lost
    assertThat(new SockDiagReader(Protocol.TCP, false, LineFilter.ALL, 7).read(broken)).isFalse();
  }

  @Test
  void aSocketTheDumpGivesTwiceComesOnce() {
    // Three inet_diag_msg of one dump: inode 7001 twice (listening, then closed), then 7002.
    int message = 16 + 72;
    ByteBuffer b = ByteBuffer.allocate(3 * message).order(ByteOrder.nativeOrder());
    int[][] sockets = {{10, 7001}, {7, 7001}, {10, 7002}}; // TCP_LISTEN 10, TCP_CLOSE 7
    for (int i = 0; i < sockets.length; i++) {
      int at = i * message;
      b.putInt(at, message).putShort(at + 4, (short) 20).putInt(at + 8, 7);
      b.put(at + 16, (byte) 2).put(at + 17, (byte) sockets[i][0]); // AF_INET, state
      b.put(at + 20, (byte) 0x0B).put(at + 21, (byte) (0xB8 + i)); // local port, big-endian
      b.put(at + 24, (byte) 127).put(at + 27, (byte) 1); // 127.0.0.1
      b.putInt(at + 16 + 68, sockets[i][1]);
    }
    SockDiagReader reader = new SockDiagReader(Protocol.TCP, false, LineFilter.ALL, 7);
    assertThat(reader.read(b)).isTrue();
    assertThat(reader.result().entries())
        .extracting(e -> e.state() + " " + e.localPort() + " " + e.inode())
        .containsExactly("CLOSE 3001 7001", "LISTEN 3002 7002");
  }

  @Test
  void theStateMaskNamesTheKernelsCodes() {
    assertThat(SockDiag.stateMask(Protocol.TCP, LineFilter.LISTENERS.states())).isEqualTo(1 << 10);
    assertThat(SockDiag.stateMask(Protocol.UDP, LineFilter.LISTENERS.states())).isEqualTo(1 << 7);
    assertThat(SockDiag.stateMask(Protocol.TCP, Set.of(SocketState.SYN_RECV)))
        .isEqualTo(1 << 3 | 1 << 12);
  }

  private static Set<SocketState> states(Set<SocketEntry> entries) {
    return entries.stream().map(SocketEntry::state).collect(Collectors.toSet());
  }

  private static Set<String> rows(SocketSnapshot snapshot) {
    return snapshot.sockets().stream()
        .map(s -> s.socket() + " " + s.owners().stream().map(ProcessInfo::pid).sorted().toList())
        .collect(Collectors.toSet());
  }
}
