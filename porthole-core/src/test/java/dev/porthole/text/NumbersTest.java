package dev.porthole.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NumbersTest {
  @Test
  void readsAsciiDigitsInRange() {
    assertThat(Numbers.port("8000", "PORT")).isEqualTo(8000);
    assertThat(Numbers.port(" 8000 ", "PORT")).isEqualTo(8000);
    assertThat(Numbers.parseLong("-5", "--n", -10, 10)).isEqualTo(-5);
    assertThat(Numbers.portOrZero("0", "--port")).isZero();
  }

  @Test
  void refusesNonAsciiDigitsThatJavaWouldRead() {
    assertThat(Integer.parseInt("٨٠٠٠")).isEqualTo(8000); // why this class exists
    assertThatThrownBy(() -> Numbers.port("٨٠٠٠", "PORT"))
        .hasMessage("PORT: '٨٠٠٠' (expected: a whole number from 1 to 65535)");
    assertThatThrownBy(() -> Numbers.port("８０００", "PORT"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesSignsDecimalsAndOutOfRange() {
    for (String bad : new String[] {"", "+80", "-1", "8.0", "8 0", "0x50", "99999999999999999999"}) {
      assertThatThrownBy(() -> Numbers.port(bad, "--port")).as(bad)
          .hasMessageStartingWith("--port: ");
    }
    assertThatThrownBy(() -> Numbers.port("70000", "--port"))
        .hasMessage("--port: 70000 (expected: 1 to 65535)");
  }

  @Test
  void printableEscapesInvisibleCharacters() {
    assertThat(Numbers.printable("a\u202eb\n")).isEqualTo("a\\u202eb\\u000a");
  }
}
