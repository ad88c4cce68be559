package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcNetParserTest {
  private static final Path FIXTURE = Path.of("src/test/resources/proc-fixture");

  private static ProcNetParser.Result parse(String file, Protocol protocol, boolean ipv6)
      throws Exception {
    return ProcNetParser.parse(Files.readString(FIXTURE.resolve("net/" + file)), protocol, ipv6);
  }

  @Test
  void decodesLittleEndianIpv4AddressesAndBigEndianPorts() throws Exception {
    var result = parse("tcp", Protocol.TCP, false);

    SocketEntry first = result.entries().getFirst();
    assertThat(first.localAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(first.localPort()).isEqualTo(62893);
    assertThat(first.state()).isEqualTo(SocketState.LISTEN);
    assertThat(first.uid()).isEqualTo(1000);
    assertThat(first.inode()).isEqualTo(123456);
    assertThat(first.scope()).isEqualTo(BindScope.LOOPBACK);
    assertThat(result.entries().get(1).scope()).isEqualTo(BindScope.ALL_INTERFACES);
    SocketEntry connection = result.entries().get(2);
    assertThat(connection.state()).isEqualTo(SocketState.ESTABLISHED);
    assertThat(connection.remotePort()).isEqualTo(0xD431);
  }

  @Test
  void countsTruncatedLinesInsteadOfDroppingThemSilently() throws Exception {
    var result = parse("tcp", Protocol.TCP, false);

    assertThat(result.entries()).hasSize(3);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.firstProblem()).isEqualTo("line 5: truncated (2 of 10 columns)");
  }

  @Test
  void decodesIpv6AndShowsIpv4MappedAddressesAsIpv4() throws Exception {
    var result = parse("tcp6", Protocol.TCP, true);

    assertThat(result.entries().get(0).localAddress()).isEqualTo(InetAddress.getByName("::1"));
    assertThat(result.entries().get(0).ipv6()).isTrue();
    assertThat(result.entries().get(1).localAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(result.entries().get(1).localPort()).isEqualTo(3000);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.firstProblem()).startsWith("line 4: not hex");
  }

  @Test
  void reportsUnconnectedUdpSocketsAsListening() throws Exception {
    var result = parse("udp", Protocol.UDP, false);

    SocketEntry dns = result.entries().getFirst();
    assertThat(dns.state()).isEqualTo(SocketState.UNCONN);
    assertThat(dns.listening()).isTrue();
    assertThat(dns.localPort()).isEqualTo(53);
  }

  @Test
  void acceptsAHeaderOnlyFile() throws Exception {
    var result = parse("udp6", Protocol.UDP, true);

    assertThat(result.entries()).isEmpty();
    assertThat(result.skipped()).isZero();
  }

  @Test
  void neverThrowsOnGarbage() {
    var result =
        ProcNetParser.parse(
            "sl local\n\u0000\u0001\nfoo bar\n   9: x:y z:w 0A", Protocol.TCP, false);

    assertThat(result.entries()).isEmpty();
    assertThat(result.skipped()).isEqualTo(3);
  }

  @Test
  void readsOnlyTheWantedPortButStillCountsLinesWhosePortIsUnreadable() throws Exception {
    String text = Files.readString(FIXTURE.resolve("net/tcp"));

    var result =
        ProcNetParser.parse(text, Protocol.TCP, false, LineFilter.ports(port -> port == 0x1F90));

    assertThat(result.entries()).extracting(SocketEntry::localPort).containsExactly(0x1F90);
    assertThat(result.skipped()).isEqualTo(1);
  }

  @Test
  void listenersFilterSkipsConnectionsBeforeParsingThem() throws Exception {
    String text = Files.readString(FIXTURE.resolve("net/tcp"));

    var result = ProcNetParser.parse(text, Protocol.TCP, false, LineFilter.LISTENERS);

    assertThat(result.entries()).extracting(SocketEntry::state).containsOnly(SocketState.LISTEN);
    assertThat(result.entries()).hasSize(2);
    assertThat(result.skipped()).isEqualTo(1); // the truncated line still counts
  }

  @Test
  void decodesEveryAddressRightWhenMoreAlternateThanAreKeptDecoded() {
    StringBuilder text = new StringBuilder("  sl  local_address rem_address   st\n");
    for (int i = 0; i < 12; i++) {
      int last = i % 6 + 1; // 127.0.0.1 to 127.0.0.6, more than the parser keeps decoded
      text.append(
          String.format(
              "%4d: %02X00007F:%04X 0100007F:1F90 01 00000000:00000000 00:00000000 00000000"
                  + "  1000        0 %d 1 0000000000000000 20 4 30 10 -1%n",
              i, last, 40000 + i, 500 + i));
    }

    var result =
        ProcNetParser.parse(
            text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            Protocol.TCP,
            false,
            LineFilter.ALL);

    assertThat(result.skipped()).isZero();
    assertThat(result.entries()).hasSize(12);
    for (int i = 0; i < 12; i++) {
      SocketEntry e = result.entries().get(i);
      assertThat(e.localAddress().getHostAddress()).isEqualTo("127.0.0." + (i % 6 + 1));
      assertThat(e.remoteAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(e.localPort()).isEqualTo(40000 + i);
      assertThat(e.remotePort()).isEqualTo(8080);
      assertThat(e.inode()).isEqualTo(500 + i);
    }
  }

  @Test
  void namesTheColumnThatIsBad() {
    String head = "  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 ";
    String tail = " 00000000:00000000 00:00000000 00000000 ";

    assertThat(problem(head + "0A" + tail + "10x0 0 77 1")).isEqualTo("line 2: bad uid 10x0");
    assertThat(problem(head + "0A" + tail + "1000 0 7\u00e97 1"))
        .isEqualTo("line 2: bad inode 7\u00e97");
    assertThat(problem(head + "0A" + tail + "99999999999 0 77 1"))
        .isEqualTo("line 2: bad uid 99999999999");
    assertThat(problem(head + "0G" + tail + "1000 0 77 1")).isEqualTo("line 2: not hex: 'G'");
    assertThat(problem(head + "0E" + tail + "1000 0 77 1")).isEqualTo("line 2: unknown state 0E");
    assertThat(problem(head + "123456789" + tail + "1000 0 77 1"))
        .isEqualTo("line 2: bad st 123456789");
    assertThat(problem(head.replace("0100007F:1F90", "0100007F1F90") + "0A" + tail + "0 0 1 1"))
        .isEqualTo("line 2: bad address 0100007F1F90");
  }

  @Test
  void readsThisMachinesTablesWithTheSocketsThisProcessHolds() throws Exception {
    // A channel of the IPv4 family: a ServerSocket on 127.0.0.1 would be an IPv6 socket in tcp6.
    try (var v4 =
            java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET)
                .bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        java.net.ServerSocket v6 = new java.net.ServerSocket(0, 50, InetAddress.getByName("::1"));
        java.net.Socket client = new java.net.Socket("::1", v6.getLocalPort())) {
      int v4Port = ((java.net.InetSocketAddress) v4.getLocalAddress()).getPort();
      SocketTables proc = SocketTables.procNet(Path.of("/proc"));
      var tcp = proc.read(Protocol.TCP, false, LineFilter.ALL);
      var tcp6 = proc.read(Protocol.TCP, true, LineFilter.ALL);

      assertThat(tcp.skipped() + tcp6.skipped()).isZero();
      assertThat(tcp.entries())
          .filteredOn(e -> e.localPort() == v4Port && e.listening())
          .extracting(e -> e.localAddress().getHostAddress())
          .contains("127.0.0.1");
      assertThat(tcp6.entries())
          .filteredOn(
              e -> e.localPort() == client.getLocalPort() && e.remotePort() == v6.getLocalPort())
          // Not singleElement: when other sockets come and go between the kernel's 4 KB reads, it
          // can list one twice (seen here, while other test suites ran).
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.state()).isEqualTo(SocketState.ESTABLISHED);
                assertThat(e.localAddress()).isEqualTo(InetAddress.getByName("::1"));
                assertThat(e.remoteAddress()).isEqualTo(InetAddress.getByName("::1"));
                assertThat(e.inode()).isPositive();
              });
    }
  }

  private static String problem(String text) {
    var result = ProcNetParser.parse(text, Protocol.TCP, false);
    assertThat(result.entries()).isEmpty();
    assertThat(result.skipped()).isEqualTo(1);
    return result.firstProblem();
  }

  @Test
  void aSocketListedTwiceUnderChurnComesOnceWithItsLaterRow() throws Exception {
    // Rows 2 and 6 repeat the inodes of rows 0 and 1 (6 in a newer state); row 5 repeats the
    // 4-tuple of TIME_WAIT row 3, which has no inode; row 4 is another TIME_WAIT, kept.
    var result =
        SocketTables.procNet(Path.of("src/test/resources/proc-churn"))
            .read(Protocol.TCP, true, LineFilter.ALL);

    assertThat(result.skipped()).isZero();
    assertThat(result.entries())
        .extracting(e -> e.state() + " " + e.remotePort() + " " + e.inode())
        .containsExactly(
            "LISTEN 0 5001", "CLOSE_WAIT 54321 5002", "TIME_WAIT 54322 0", "TIME_WAIT 54323 0");
    assertThat(parse("tcp", Protocol.TCP, false).entries()).as("no duplicates there").hasSize(3);
  }
}
