package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void bareMeansLoopbackTcp() {
    assertThat(Target.parse("62893"))
        .isEqualTo(new Target("62893", "127.0.0.1", 62893, Target.Scheme.TCP, ""));
  }

  @Test
  void hostPortAndBracketedIpv6() {
    assertThat(Target.parse("localhost:8080").host()).isEqualTo("localhost");
    Target v6 = Target.parse("[::1]:62893");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.authority()).isEqualTo("[::1]:62893");
    assertThat(v6.literal()).isTrue();
  }

  @Test
  void urlsCarrySchemeDefaultPortAndPath() {
    Target http = Target.parse("http://localhost:8080/health?x=1");
    assertThat(http.scheme()).isEqualTo(Target.Scheme.HTTP);
    assertThat(http.path()).isEqualTo("/health?x=1");
    assertThat(Target.parse("https://[::1]/").port()).isEqualTo(443);
    assertThat(Target.parse("http://127.0.0.1").path()).isEqualTo("/");
  }

  @Test
  void badInputSaysWhyInOneLine() {
    assertThatThrownBy(() -> Target.parse("70000"))
        .hasMessage("target '70000': port: 70000 (expected: 1 to 65535)");
    assertThatThrownBy(() -> Target.parse("localhost"))
        .hasMessage("target 'localhost': expected PORT, HOST:PORT, [IPv6]:PORT or a URL");
    assertThatThrownBy(() -> Target.parse("ftp://x:21"))
        .hasMessage("target 'ftp://x:21': scheme 'ftp' (expected: http or https)");
    assertThatThrownBy(() -> Target.parse("[::1]8080"))
        .hasMessage("target '[::1]8080': expected [IPv6]:PORT, e.g. [::1]:8080");
    assertThatThrownBy(() -> Target.parse("host:abc"))
        .hasMessage("target 'host:abc': port: 'abc' (expected: a whole number from 1 to 65535)");
    assertThatThrownBy(() -> Target.parse(" "))
        .hasMessage("target: empty (expected PORT, HOST:PORT or a URL)");
  }

  @Test
  void portsAreAsciiDigitsOnly() {
    assertThatThrownBy(() -> Target.parse("٨٠٠٠")).hasMessageStartingWith("target '٨٠٠٠': ");
    assertThatThrownBy(() -> Target.parse("localhost:８０")).hasMessageContaining("port: '８０'");
    assertThatThrownBy(() -> Target.parse("localhost:+80")).hasMessageContaining("port: '+80'");
  }

  @Test
  void aLiteralThatIsNoAddressIsRefused() {
    Target t = Target.parse("999.999.999.999:80");
    assertThat(t.literal()).isTrue();
    assertThatThrownBy(t::literalAddress)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target '999.999.999.999:80': not an address");
    assertThat(Target.parse("127.0.0.1:80").literalAddress().getHostAddress())
        .isEqualTo("127.0.0.1");
  }
}
