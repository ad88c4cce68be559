package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;

class TlsHelloTest {
  /** Returns the ClientHello a real JDK TLS client sends for {@code host} offering h2 and h1.1. */
  private static byte[] clientHello(String host) throws Exception {
    SslContext ctx =
        SslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    "h2",
                    "http/1.1"))
            .build();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast(ctx.newHandler(ch.alloc(), host, 443));
    ch.runPendingTasks();
    ByteBuf out = ch.readOutbound();
    byte[] b = new byte[out.readableBytes()];
    out.readBytes(b);
    out.release();
    ch.finishAndReleaseAll();
    return b;
  }

  @Test
  void readsServerNameAndAlpnFromARealClientHello() throws Exception {
    byte[] hello = clientHello("api.example.test");
    assertThat(TlsHello.looksLikeTls(hello)).isTrue();
    TlsHello parsed = TlsHello.parse(hello);
    assertThat(parsed.sni()).isEqualTo("api.example.test");
    assertThat(parsed.alpn()).containsExactly("h2", "http/1.1");
  }

  @Test
  void aTruncatedHelloGivesNothingRatherThanAnError() throws Exception {
    byte[] hello = clientHello("x.test");
    assertThat(TlsHello.parse(java.util.Arrays.copyOf(hello, 40))).isNull();
    assertThat(TlsHello.parse(new byte[] {1, 2, 3})).isNull();
  }
}
