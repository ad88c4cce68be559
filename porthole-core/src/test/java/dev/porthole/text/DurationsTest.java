package dev.porthole.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsEveryUnitAndCombinations() {
    assertThat(Durations.parse("250ms", "--t")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s", "--t")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2m", "--t")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h30m", "--t")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1d", "--t")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse(" 1m5s250ms ", "--t")).isEqualTo(Duration.ofMillis(65_250));
    assertThat(Durations.parse("0s", "--t")).isZero();
  }

  @Test
  void refusesABareNumberUnlessTheFlagNamesAUnit() {
    assertThatThrownBy(() -> Durations.parse("30", "--timeout"))
        .hasMessage("--timeout: '30' (expected: a duration like 250ms, 30s, 2m, 1h30m, 1d;"
            + " a bare number needs a unit)");
    assertThat(Durations.parse("30", "--grace", "s", Durations.MAX))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesWhatIsNotTheGrammar() {
    for (String bad :
        new String[] {"", " ", "-5s", "+5s", "1.5s", "5 s", "5S", "5sec", "s", "1m1h", "1s1s",
          "٨s", "８s", "5s\u202e", "1w"}) {
      assertThatThrownBy(() -> Durations.parse(bad, "--for"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--for: '")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void refusesAbsurdDurations() {
    assertThatThrownBy(() -> Durations.parse("99999999999h", "--interval"))
        .hasMessage("--interval: '99999999999h' (expected: at most 366d)");
    assertThatThrownBy(() -> Durations.parse("99999999999999d", "since"))
        .hasMessageStartingWith("since: '");
    assertThatThrownBy(() -> Durations.parse("2m", "--x", null, Duration.ofMinutes(1)))
        .hasMessage("--x: '2m' (expected: at most 1m)");
  }

  @Test
  void positiveRefusesZero() {
    assertThatThrownBy(() -> Durations.parsePositive("0ms", "--interval"))
        .hasMessage("--interval: '0ms' (expected: more than 0)");
  }

  @Test
  void formatIsReadBack() {
    for (Duration d :
        new Duration[] {Duration.ZERO, Duration.ofMillis(5), Duration.ofSeconds(90),
          Duration.ofMinutes(90), Duration.ofDays(2).plusMillis(3)}) {
      assertThat(Durations.parse(Durations.format(d), "x")).isEqualTo(d);
    }
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
  }

  @Test
  void casesOfTheOldParsersKeepTheirMeaning() {
    // From checks.Durations and watch.DurationText, which this class replaced.
    assertThat(Durations.parse("200ms", "--t")).isEqualTo(Duration.ofMillis(200));
    assertThat(Durations.parse("1h", "--t")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("30d", "--keep")).isEqualTo(Duration.ofDays(30));
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofMillis(150))).isEqualTo("150ms");
    for (String bad : new String[] {"1", "1 h", "h", "-1h", "1y", "1h-", "5 s"}) {
      assertThatThrownBy(() -> Durations.parse(bad, "--since"))
          .as(bad)
          .hasMessageStartingWith("--since: '" + bad + "' (expected: a duration like 250ms");
    }
  }

  @Test
  void aBareNumberTakesTheUnitItsFlagDocuments() {
    // kill --grace 5 is seconds; proxy --connect-timeout 500 is milliseconds.
    assertThat(Durations.parse("5", "--grace", "s", Duration.ofHours(1)))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("500", "--connect-timeout", "ms", Duration.ofHours(1)))
        .isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> Durations.parse("99999", "--grace", "s", Duration.ofHours(1)))
        .hasMessage("--grace: '99999' (expected: at most 1h)");
  }
}
