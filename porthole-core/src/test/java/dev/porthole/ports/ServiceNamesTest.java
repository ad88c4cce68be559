package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.Protocol;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {
  @Test
  void developerDefaultsWinWhereIanaMisleads() {
    Service usual = ServiceNames.usual(3000, Protocol.TCP);

    assertThat(usual.name()).isEqualTo("dev-server");
    assertThat(usual.source()).isEqualTo(Service.Source.DEVELOPER);
    assertThat(ServiceNames.iana(3000, Protocol.TCP).name()).isEqualTo("remoteware-cl");
    assertThat(ServiceNames.usual(5173, Protocol.TCP).name()).isEqualTo("vite");
    assertThat(ServiceNames.usual(62893, Protocol.TCP).name()).isEqualTo("porthole");
  }

  @Test
  void fallsBackToIanaPerProtocol() {
    assertThat(ServiceNames.usual(22, Protocol.TCP))
        .isEqualTo(new Service("ssh", "The Secure Shell (SSH) Protocol", Service.Source.IANA));
    assertThat(ServiceNames.usual(53, Protocol.UDP).name()).isEqualTo("domain");
    // IANA gives redis TCP only; UDP 6379 is reserved.
    assertThat(ServiceNames.iana(6379, Protocol.TCP).name()).isEqualTo("redis");
    assertThat(ServiceNames.iana(6379, Protocol.UDP)).isNull();
    assertThat(ServiceNames.usual(62000, Protocol.TCP)).isNull();
  }
}
