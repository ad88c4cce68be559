package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesUnitsPeopleWrite() {
    assertThat(Durations.parse("200ms")).isEqualTo(Duration.ofMillis(200));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void formatsBack() {
    assertThat(Durations.format(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
  }

  @Test
  void rejectsOtherFormsInOneLine() {
    assertThatThrownBy(() -> Durations.parse("30"))
        .hasMessage("duration '30': expected a number and a unit, e.g. 200ms, 30s, 2m, 1h");
    assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageStartingWith("duration '-1s'");
    assertThatThrownBy(() -> Durations.parse("5 s")).hasMessageStartingWith("duration '5 s'");
  }
}
