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
}
