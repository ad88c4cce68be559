package dev.porthole.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void acceptsOrdinaryNamesInAnyScript() {
    for (String good : new String[] {"redis", "db_primary", "api-v2.local", "日本", "ñandú", "a b"}) {
      assertThat(Names.problem(good)).as(good).isNull();
      assertThat(Names.check(good, "name")).isEqualTo(good);
    }
  }

  @Test
  void refusesEmptyWhiteSpaceAndTooLong() {
    for (String bad : new String[] {"", " ", "\t", "\u3000", "   "}) {
      assertThat(Names.problem(bad)).as("'" + bad + "'")
          .isEqualTo("must not be empty or only white space");
    }
    assertThat(Names.problem("x".repeat(201))).isEqualTo("longer than 200 characters");
    assertThat(Names.problem("x".repeat(200))).isNull();
  }

  @Test
  void refusesInvisibleAndDirectionCharacters() {
    char[] bad = {
      '\u0000', '\u0007', '\n', '\u007f', '\u0085', '\u202a', '\u202b', '\u202c', '\u202d',
      '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\ufeff',
      '\u2028', '\u2029'
    };
    for (char c : bad) {
      String name = "ab" + c + "cd";
      assertThat(Names.problem(name))
          .as("U+%04X", (int) c)
          .startsWith("must not contain control, bidirectional, zero-width or separator")
          .endsWith(String.format("(U+%04X at 2)", (int) c));
    }
  }

  @Test
  void errorIsOneLineWithTheCharacterEscaped() {
    assertThatThrownBy(() -> Names.check("evil\u202etxt.exe", "name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "name 'evil\\u202etxt.exe': must not contain control, bidirectional, zero-width or"
                + " separator characters (U+202E at 4)");
    assertThatThrownBy(() -> Names.check("a/b", "toxic name"))
        .hasMessage("toxic name 'a/b': must not contain '/' or '\\'");
  }
}
