package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackNamesTest {
  @Test
  void loopbackNamesAndLiteralsAreRecognisedWithoutDns() {
    assertThat(LoopbackNames.isLoopback("localhost")).isTrue();
    assertThat(LoopbackNames.isLoopback("api.localhost.")).isTrue();
    assertThat(LoopbackNames.isLoopback("127.8.9.10")).isTrue();
    assertThat(LoopbackNames.isLoopback("::1")).isTrue();
    assertThat(LoopbackNames.isLoopback("128.0.0.1")).isFalse();
    assertThat(LoopbackNames.isLoopback("evil.example")).isFalse();
  }

  @Test
  void onlyAsciiDigitsMakeAnAddressOrAPort() {
    // Character.isDigit and Integer.parseInt take these for 127 and 80.
    assertThat(LoopbackNames.isLoopback("١٢٧.0.0.1")).isFalse();
    assertThat(LoopbackNames.portOf("127.0.0.1:٨٠")).isEqualTo(-1);
    assertThat(LoopbackNames.portOf("127.0.0.1:80")).isEqualTo(80);
    assertThat(LoopbackNames.portOf("[::1]:62893")).isEqualTo(62893);
    assertThat(LoopbackNames.portOf("127.0.0.1:99999")).isEqualTo(-1);
  }
}
