package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The port filter program and the request that carries it, byte for byte against what {@code ss}
 * (iproute2 6.1) sends, taken with {@code strace -e trace=sendmsg -e write=all ss -tan FILTER}.
 */
class DiagBytecodeTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  @BeforeAll
  static void theseBytesAreLittleEndian() {
    // ss's ops and ports are in host order; the captures below come from an x86-64 machine.
    assertThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void onePortIsSsSportEquals() {
    // ss -tan 'sport = :22'
    assertThat(hex(DiagBytecode.localPorts(22, 22)))
        .isEqualTo("07 10 14 00 00 00 00 00 16 00 00 00 00 00 00 00");
    // ss -tan 'sport = :30000'
    assertThat(hex(DiagBytecode.localPorts(30000, 30000)))
        .isEqualTo("07 10 14 00 00 00 00 00 30 75 00 00 00 00 00 00");
  }

  @Test
  void aSpanIsSsSportAtLeastAndAtMost() {
    // ss -tan 'sport >= :1000 and sport <= :2000'
    assertThat(hex(DiagBytecode.localPorts(1000, 2000)))
        .isEqualTo("02 08 14 00 00 00 e8 03 03 08 0c 00 00 00 d0 07");
  }

  @Test
  void theRequestCarriesTheProgramAsItsBytecodeAttribute() {
    // ss -tan 'sport = :22', its IPv4 request: nlmsghdr (92 bytes, SOCK_DIAG_BY_FAMILY, REQUEST |
    // DUMP, seq 123456), inet_diag_req_v2 (AF_INET, TCP, states 0xfff), nlattr (20 bytes, type 1).
    String ss =
        "5c 00 00 00 14 00 01 03 40 e2 01 00 00 00 00 00 02 06 00 00 ff 0f 00 00"
            + " 00 00 00 00".repeat(12)
            + " 14 00 01 00"
            + " 07 10 14 00 00 00 00 00 16 00 00 00 00 00 00 00";
    byte[] request =
        SockDiag.request(Protocol.TCP, false, 0xfff, 123456, DiagBytecode.localPorts(22, 22));
    assertThat(hex(request)).isEqualTo(ss);
  }

  @Test
  void aRequestWithoutAProgramEndsAfterTheId() {
    // 72 bytes, AF_INET6, UDP, states 1 << 7 (UNCONN), seq 9, and the id all zero.
    String expected =
        "48 00 00 00 14 00 01 03 09 00 00 00 00 00 00 00 0a 11 00 00 80 00 00 00"
            + " 00 00 00 00".repeat(12);
    assertThat(hex(SockDiag.request(Protocol.UDP, true, 1 << 7, 9, null))).isEqualTo(expected);
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
