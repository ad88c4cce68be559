package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The rewriting of one client's request headers for the upstream, header by header. */
class ForwardedHeadersTest {
  private final ForwardedHeaders v4 =
      new ForwardedHeaders(new InetSocketAddress("127.0.0.1", 40000), "http");

  private static HttpHeaders headers(String... namesAndValues) {
    HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return h;
  }

  @Test
  void aRequestWithOnlyHostGetsTheFourForwardingHeaders() {
    HttpHeaders h = headers("Host", "api.localhost:8080");
    v4.apply(h, false);
    assertThat(h.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("api.localhost:8080");
    assertThat(h.get("Forwarded")).isEqualTo("for=127.0.0.1;host=\"api.localhost:8080\";proto=http");
    assertThat(h.size()).isEqualTo(5);
  }

  @Test
  void forwardingHeadersAlreadyThereAreAppendedToOrReplacedInAnyCase() {
    HttpHeaders h =
        headers(
            "Host", "api.localhost",
            "x-forwarded-for", "10.0.0.1",
            "X-FORWARDED-PROTO", "https",
            "X-Forwarded-Host", "elsewhere",
            "forwarded", "for=10.0.0.1");
    v4.apply(h, false);
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("10.0.0.1, 127.0.0.1");
    assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("http");
    assertThat(h.getAll("X-Forwarded-Host")).containsExactly("api.localhost");
    assertThat(h.getAll("Forwarded"))
        .containsExactly("for=10.0.0.1, for=127.0.0.1;host=api.localhost;proto=http");
  }

  @Test
  void hopByHopHeadersAndTheOnesConnectionListsAreRemoved() {
    HttpHeaders h =
        headers(
            "Host", "api.localhost",
            "Connection", "keep-alive, X-Secret",
            "Keep-Alive", "timeout=5",
            "X-Secret", "1",
            "TE", "trailers",
            "Proxy-Authorization", "Basic eA==",
            "Upgrade", "h2c",
            "Accept", "*/*");
    v4.apply(h, false);
    assertThat(h.names().stream().map(n -> n.toLowerCase(Locale.ROOT)))
        .containsExactlyInAnyOrder(
            "host", "accept", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "forwarded");
  }

  @Test
  void anUpgradeKeepsUpgradeAndConnectionUpgradeOnly() {
    HttpHeaders h =
        headers(
            "Host", "ws.localhost",
            "Connection", "Upgrade, keep-alive",
            "Upgrade", "websocket",
            "Keep-Alive", "timeout=5");
    v4.apply(h, true);
    assertThat(h.getAll("Connection")).containsExactly("upgrade");
    assertThat(h.getAll("Upgrade")).containsExactly("websocket");
    assertThat(h.contains("Keep-Alive")).isFalse();
  }

  @Test
  void anIpv6ClientIsQuotedInForwardedAndAnOddHostIsEscaped() {
    ForwardedHeaders v6 = new ForwardedHeaders(new InetSocketAddress("::1", 40000), "https");
    HttpHeaders h = headers("Host", "a\"b");
    v6.apply(h, false);
    assertThat(h.get("X-Forwarded-For")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(h.get("Forwarded")).isEqualTo("for=\"[0:0:0:0:0:0:0:1]\";host=\"a\\\"b\";proto=https");
  }

  @Test
  void theSameConnectionsNextRequestGetsItsOwnHostNotTheLastOnes() {
    HttpHeaders first = headers("Host", "a.localhost");
    HttpHeaders second = headers("Host", "b.localhost");
    v4.apply(first, false);
    v4.apply(second, false);
    assertThat(second.get("Forwarded")).isEqualTo("for=127.0.0.1;host=b.localhost;proto=http");
    assertThat(second.get("X-Forwarded-Host")).isEqualTo("b.localhost");
  }
}
