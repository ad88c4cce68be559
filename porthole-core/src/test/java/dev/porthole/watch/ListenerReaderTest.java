package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.IpLiteral;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.UserNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerReaderTest {
  private static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:F5AD 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0
         1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0
         2: 0100007F:F5AD 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0 20 4 30 10 -1
         3: garbage
      """;

  @Test
  void keepsOnlyListeningLinesAndPassesMalformedOnesToTheParser() {
    String kept =
        ListenerReader.listening(TCP.getBytes(StandardCharsets.ISO_8859_1), Protocol.TCP)
            .toString();
    assertThat(kept.lines())
        .hasSize(3)
        .noneMatch(l -> l.contains(" 01 "))
        .last()
        .isEqualTo("   3: garbage");
  }

  @Test
  void writesIpv6AddressesCompressed() throws Exception {
    assertThat(IpLiteral.format(java.net.InetAddress.getByName("::"))).isEqualTo("::");
    assertThat(IpLiteral.format(java.net.InetAddress.getByName("::1"))).isEqualTo("::1");
    assertThat(IpLiteral.format(java.net.InetAddress.getByName("fe80:0:0:0:1:0:0:2")))
        .isEqualTo("fe80::1:0:0:2");
    assertThat(IpLiteral.format(java.net.InetAddress.getByName("2001:db8:1:2:3:4:5:6")))
        .isEqualTo("2001:db8:1:2:3:4:5:6");
    assertThat(IpLiteral.format(java.net.InetAddress.getByName("127.0.0.1")))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void readsListenersFromAProcRoot(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp"), TCP);
    ListenerReader reader =
        new ListenerReader(
            proc,
            new UserNames(proc.resolve("passwd")),
            new ProcessDetailsReader(
                proc, new UserNames(proc.resolve("passwd")), new ExecutableHashes()));
    List<Listener> read = reader.read();
    assertThat(read)
        .containsExactly(
            new Listener(Protocol.TCP, "127.0.0.1", 62893, BindScope.LOOPBACK, 4242, null),
            new Listener(Protocol.TCP, "0.0.0.0", 8080, BindScope.ALL_INTERFACES, 4343, null));
  }
}
