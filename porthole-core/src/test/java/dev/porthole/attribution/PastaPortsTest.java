package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** pasta's port specs as its manual writes them; the real pasta is in NamespaceForwardsTest. */
class PastaPortsTest {
  @Test
  void aSinglePortAMappedPortAndAnAddressPrefix() {
    assertThat(PastaPorts.inSpec("8080", 8080)).isEqualTo(8080);
    assertThat(PastaPorts.inSpec("8080:80", 8080)).isEqualTo(80);
    assertThat(PastaPorts.inSpec("127.0.0.1/8080:80", 8080)).isEqualTo(80);
    assertThat(PastaPorts.inSpec("::1%lo/8080:80", 8080)).isEqualTo(80);
    assertThat(PastaPorts.inSpec("8080:80", 8081)).isEqualTo(-1);
  }

  @Test
  void rangesMapByOffsetAndExclusionsWin() {
    assertThat(PastaPorts.inSpec("8000-8010:9000-9010", 8004)).isEqualTo(9004);
    assertThat(PastaPorts.inSpec("8000-8010", 8010)).isEqualTo(8010);
    assertThat(PastaPorts.inSpec("8000-8010,~8005", 8005)).isEqualTo(-1);
    assertThat(PastaPorts.inSpec("all", 443)).isEqualTo(443);
    assertThat(PastaPorts.inSpec("none", 443)).isEqualTo(-1);
  }

  @Test
  void tcpAndUdpOptionsInEitherSpelling() {
    assertThat(PastaPorts.guestPort(List.of("pasta", "-t", "1:2", "-u", "3:4", "99"), 3))
        .isEqualTo(4);
    assertThat(PastaPorts.guestPort(List.of("pasta", "--tcp-ports=5000:6000", "99"), 5000))
        .isEqualTo(6000);
    assertThat(PastaPorts.guestPort(List.of("pasta", "-t", "5000:6000", "99"), 5001)).isEqualTo(-1);
  }
}
