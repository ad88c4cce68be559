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

  @Test
  void decimalsAreAsciiWithoutExponentOrSpecialValues() {
    assertThat(Numbers.parseDecimal("0.5", "toxicity", 0, 1)).isEqualTo(0.5);
    assertThat(Numbers.parseDecimal(" 1 ", "toxicity", 0, 1)).isEqualTo(1.0);
    assertThat(Numbers.parseDecimal(".25", "toxicity", 0, 1)).isEqualTo(0.25);
    assertThat(Numbers.parseDecimal("-1.5", "x", -2, 2)).isEqualTo(-1.5);
    for (String bad :
        new String[] {"", "NaN", "Infinity", "1e0", "1d", "0x1p0", "٠.5", "+1", "1.", "1,5"}) {
      assertThatThrownBy(() -> Numbers.parseDecimal(bad, "toxicity", 0, 1))
          .as(bad)
          .hasMessageStartingWith("toxicity: '")
          .hasMessageEndingWith("(expected: a number from 0 to 1)");
    }
    assertThatThrownBy(() -> Numbers.parseDecimal("-0.1", "toxicity", 0, 1))
        .hasMessage("toxicity: '-0.1' (expected: a number from 0 to 1)");
    assertThatThrownBy(() -> Numbers.parseDecimal("2", "toxicity", 0, 1))
        .hasMessage("toxicity: 2 (expected: 0 to 1)");
  }
}
