package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.sockets.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNameTableTest {
  @Test
  void givesTheNameTheTablesGiveOnEveryPortAndProtocol() {
    List<String> differ = new ArrayList<>();
    int named = 0;
    for (Protocol protocol : Protocol.values()) {
      for (int port = 0; port <= 65535; port++) {
        Service usual = ServiceNames.usual(port, protocol);
        String expected = usual == null ? null : usual.name();
        String compiled = ServiceNames.usualName(port, protocol);
        if (expected != null) {
          named++;
        }
        if (expected == null ? compiled != null : !expected.equals(compiled)) {
          differ.add(protocol + " " + port + ": " + compiled + " instead of " + expected);
        }
      }
    }
    // Re-run scripts/gen-service-names.py when this fails after a change to the resources.
    assertThat(differ).isEmpty();
    assertThat(named).isGreaterThan(11_000); // both tables were read: the check compared names
  }

  @Test
  void keepsTheOverlayPerProtocol() {
    assertThat(ServiceNames.usualName(3000, Protocol.TCP)).isEqualTo("dev-server");
    assertThat(ServiceNames.usualName(3000, Protocol.UDP)).isEqualTo("remoteware-cl");
    assertThat(ServiceNames.usualName(6379, Protocol.UDP)).isNull();
    assertThat(ServiceNames.usualName(1, Protocol.TCP)).isEqualTo("tcpmux");
    assertThat(ServiceNames.usualName(65535, Protocol.UDP)).isNull();
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> ServiceNames.usualName(65536, Protocol.TCP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 65536 (expected: 0-65535)");
  }
}
