package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortSpecTest {
  @Test
  void listsAndRangesAreSortedWithoutDuplicates() {
    assertThat(PortSpec.parse("8000-8002,22, 80,8001").ports())
        .containsExactly(22, 80, 8000, 8001, 8002);
    assertThat(PortSpec.ALL.size()).isEqualTo(65535);
    assertThat(PortSpec.parse("65535").ports()).containsExactly(65535);
  }

  @Test
  void badInputSaysWhyInOneLine() {
    assertThatThrownBy(() -> PortSpec.parse("0"))
        .hasMessage("ports '0': 0 is out of range (expected: 1-65535)");
    assertThatThrownBy(() -> PortSpec.parse("90-80"))
        .hasMessage("ports '90-80': range 90-80 ends below its start");
    assertThatThrownBy(() -> PortSpec.parse("22,,80"))
        .hasMessage("ports '22,,80': '' is not a port (expected e.g. 22,80,8000-9000)");
    assertThatThrownBy(() -> PortSpec.parse("http"))
        .hasMessage("ports 'http': 'http' is not a port (expected e.g. 22,80,8000-9000)");
    assertThatThrownBy(() -> PortSpec.parse("70000"))
        .hasMessage("ports '70000': 70000 is out of range (expected: 1-65535)");
  }
}
