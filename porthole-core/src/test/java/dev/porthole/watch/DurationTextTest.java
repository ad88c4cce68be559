package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void readsTheUnitsPeopleWrite() {
    assertThat(DurationText.parse("200ms", "x")).isEqualTo(Duration.ofMillis(200));
    assertThat(DurationText.parse("2s", "x")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationText.parse("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("30d", "x")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationText.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(DurationText.format(Duration.ofMillis(150))).isEqualTo("150ms");
  }

  @Test
  void rejectsAnythingElseNamingTheOption() {
    for (String bad : new String[] {"", "1", "1 h", "h", "-1h", "1y", "1h-"}) {
      assertThatThrownBy(() -> DurationText.parse(bad, "--since"))
          .hasMessage("--since: '" + bad + "' (expected: a duration like 200ms, 2s, 30m, 1h, 30d)");
    }
  }
}
