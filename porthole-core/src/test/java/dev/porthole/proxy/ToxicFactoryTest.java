package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.sockets.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToxicFactoryTest {
  private final ToxicFactory factory = new ToxicFactory(ToxicRegistry.standard());

  private ToxicState create(String name, Double toxicity, Map<String, Object> attributes) {
    ToxicRequest req = new ToxicRequest(name, "latency", "downstream", toxicity, attributes);
    return factory.create(Protocol.TCP, List.of(), req);
  }

  @Test
  void toxicityOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {2, 7, -0.1, 1.0000001}) {
      assertThatThrownBy(() -> create(null, bad, Map.of()))
          .as("%s", bad)
          .isInstanceOf(ProxyException.class)
          .hasMessageStartingWith("toxicity: ")
          .hasMessageEndingWith(" (expected: 0 to 1)");
    }
    assertThatThrownBy(() -> create(null, 2.0, Map.of()))
        .hasMessage("toxicity: 2 (expected: 0 to 1)");
    assertThat(create(null, 0.0, Map.of()).toxicity()).isZero();
    assertThat(create(null, 1.0, Map.of()).toxicity()).isEqualTo(1f);
    assertThat(create(null, 0.5, Map.of()).toxicity()).isEqualTo(0.5f);
  }

  @Test
  void anUnknownAttributeIsRefusedNamingTheValidOnes() {
    assertThatThrownBy(() -> create(null, null, Map.of("latncy", 300L)))
        .isInstanceOf(ProxyException.class)
        .hasMessage(
            "unknown attribute 'latncy' for toxic type latency (expected: latency, jitter)");
    ToxicState made = create(null, null, Map.of("latency", 300L));
    assertThat(made.attributes()).containsEntry("latency", 300L);
    assertThatThrownBy(() -> factory.update(made, Map.of("jiter", 5L), null))
        .hasMessage("unknown attribute 'jiter' for toxic type latency (expected: latency, jitter)");
    assertThatThrownBy(() -> factory.update(made, null, 7.0))
        .hasMessage("toxicity: 7 (expected: 0 to 1)");
  }

  @Test
  void toxicNamesWithInvisibleCharactersOrOnlyWhiteSpaceAreRefused() {
    for (String bad : new String[] {" ", "lat\u202eency", "a\u200bb", "x\u2028y", "a\u0007"}) {
      assertThatThrownBy(() -> create(bad, null, Map.of()))
          .as(bad)
          .isInstanceOf(ProxyException.class)
          .hasMessageStartingWith("toxic name '")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void portsInAddressesAreAsciiDigitsOnly() {
    assertThatThrownBy(() -> HostPort.parse("listen", "127.0.0.1:٨٠٠٠"))
        .hasMessage("listen 127.0.0.1:٨٠٠٠: invalid port");
    assertThatThrownBy(() -> HostPort.parse("listen", "127.0.0.1: 80"))
        .hasMessage("listen 127.0.0.1: 80: invalid port");
    assertThat(HostPort.parse("listen", "127.0.0.1:8000").port()).isEqualTo(8000);
    assertThatThrownBy(() -> ProxyOptions.upstreamAddress("127.0.0.1:８０"))
        .hasMessage(
            "upstream 127.0.0.1:８０: port: '８０' (expected: a whole number from 1 to 65535)");
    assertThat(ProxyOptions.upstreamAddress("127.0.0.1:80").getPort()).isEqualTo(80);
  }
}
