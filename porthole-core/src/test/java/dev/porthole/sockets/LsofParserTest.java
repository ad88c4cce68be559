package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsofParserTest {
  private static LsofParser.Result fixture() throws Exception {
    return LsofParser.parse(Files.readString(Path.of("src/test/resources/lsof/lsof-F.txt")));
  }

  private static OwnedSocket on(List<OwnedSocket> sockets, int port, SocketState state) {
    return sockets.stream()
        .filter(s -> s.socket().localPort() == port && s.socket().state() == state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void readsListenersWithTheirProcessAndUser() throws Exception {
    List<OwnedSocket> sockets = fixture().sockets();

    OwnedSocket pg = on(sockets, 5432, SocketState.LISTEN);
    assertThat(pg.socket().protocol()).isEqualTo(Protocol.TCP);
    assertThat(IpLiteral.format(pg.socket().localAddress())).isEqualTo("127.0.0.1");
    assertThat(pg.socket().scope()).isEqualTo(BindScope.LOOPBACK);
    assertThat(pg.owner())
        .isEqualTo(new ProcessInfo(812, 1, "postgres", "postgres", 70, "postgres"));
    OwnedSocket node = on(sockets, 3000, SocketState.LISTEN);
    assertThat(IpLiteral.format(node.socket().localAddress())).isEqualTo("::");
    assertThat(node.socket().scope()).isEqualTo(BindScope.ALL_INTERFACES);
    assertThat(node.owner().pid()).isEqualTo(4242);
    assertThat(node.owner().user()).isEqualTo("dev");
  }

  @Test
  void tellsUnconnectedUdpFromConnectionsAndMapsIpv4MappedToIpv4() throws Exception {
    List<OwnedSocket> sockets = fixture().sockets();

    assertThat(on(sockets, 5353, SocketState.UNCONN).socket().listening()).isTrue();
    SocketEntry dns = on(sockets, 49000, SocketState.ESTABLISHED).socket();
    assertThat(dns.remotePort()).isEqualTo(53);
    SocketEntry conn = on(sockets, 5432, SocketState.ESTABLISHED).socket();
    assertThat(conn.remotePort()).isEqualTo(53122);
    assertThat(IpLiteral.format(on(sockets, 8080, SocketState.LISTEN).socket().localAddress()))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void countsARecordItCannotReadInsteadOfDroppingIt() throws Exception {
    LsofParser.Result result = fixture();

    assertThat(result.sockets()).hasSize(7);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.firstProblem()).isEqualTo("line 41: bad address broken-address");
  }

  @Test
  void neverThrowsOnGarbage() {
    LsofParser.Result result = LsofParser.parse("x\npabc\nf1\nn1.2.3.4:5\n\u0000\nPTCP\n");

    assertThat(result.sockets()).isEmpty();
    assertThat(result.skipped()).isGreaterThan(0);
  }
}
