package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpLiteralTest {
  @Test
  void formatsIpv6TheShortWay() {
    assertThat(IpLiteral.format(IpLiteral.parse("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
    assertThat(IpLiteral.format(IpLiteral.parse("::"))).isEqualTo("::");
    assertThat(IpLiteral.format(IpLiteral.parse("fe80:0:0:0:1:0:0:2"))).isEqualTo("fe80::1:0:0:2");
    assertThat(IpLiteral.format(IpLiteral.parse("2001:db8:0:1:1:1:1:1")))
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(IpLiteral.format(IpLiteral.parse("[::ffff:127.0.0.1]"))).isEqualTo("127.0.0.1");
    assertThat(IpLiteral.format(IpLiteral.parse("127.0.0.2"))).isEqualTo("127.0.0.2");
  }

  @Test
  void neverAsksDnsForANameAndSaysWhatIsWrong() {
    assertThatThrownBy(() -> IpLiteral.parse("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address: 'localhost'");
    assertThatThrownBy(() -> IpLiteral.parse("1.2.3")).hasMessage("not an IP address: '1.2.3'");
  }
}
