package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.routing.tls.CertificateMapping;
import dev.porthole.routing.tls.LocalCa;
import dev.porthole.routing.tls.TlsEngine;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which TLS implementation the router runs on: BoringSSL (netty-tcnative) on this Linux x86-64
 * machine, the JDK's when forced, and both serve HTTP/2 and HTTP/1.1 by ALPN to a real curl.
 */
@Timeout(60)
class RouterTlsEngineTest {
  @TempDir Path dir;

  @Test
  void theBestEngineHereIsBoringSsl() throws Exception {
    TlsEngine best = TlsEngine.best();
    assertThat(best.provider()).isEqualTo(SslProvider.OPENSSL);
    assertThat(best.description()).isEqualTo("OpenSSL (BoringSSL)");
    LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    CertificateMapping mapping = new CertificateMapping(ca, Clock.systemUTC(), Runnable::run);
    assertThat(mapping.engine()).isEqualTo(best);
    assertThat(mapping.context("api.localhost")).isInstanceOf(ReferenceCountedOpenSslContext.class);
  }

  @Test
  void thePropertyForcesTheJdksEngine() throws Exception {
    String before = System.getProperty(TlsEngine.PROPERTY);
    System.setProperty(TlsEngine.PROPERTY, "JDK");
    try {
      TlsEngine forced = TlsEngine.best();
      assertThat(forced.provider()).isEqualTo(SslProvider.JDK);
      assertThat(forced.description()).isEqualTo("JDK (-Dporthole.tls=jdk)");
      LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
      CertificateMapping mapping = new CertificateMapping(ca, Clock.systemUTC(), Runnable::run);
      assertThat(mapping.context("api.localhost")).isInstanceOf(JdkSslContext.class);
    } finally {
      if (before == null) {
        System.clearProperty(TlsEngine.PROPERTY);
      } else {
        System.setProperty(TlsEngine.PROPERTY, before);
      }
    }
  }

  @Test
  void boringSslServesHttp2AndHttp11() throws Exception {
    servesBothProtocols(TlsEngine.best());
  }

  @Test
  void theJdkFallbackServesHttp2AndHttp11() throws Exception {
    servesBothProtocols(TlsEngine.jdk("test"));
  }

  private void servesBothProtocols(TlsEngine tls) throws Exception {
    HttpServer api = Upstreams.echo("api");
    try (RouterFixture f = new RouterFixture(dir.resolve(tls.provider().name()), tls)) {
      f.route("api.localhost", "127.0.0.1:" + api.getAddress().getPort());
      int port = f.router.httpsPort();
      for (String version : new String[] {"--http2", "--http1.1"}) {
        RouterFixture.Result r =
            RouterFixture.curl(
                "-i",
                version,
                "--cacert",
                f.ca.certificateFile().toString(),
                "--resolve",
                "api.localhost:" + port + ":127.0.0.1",
                "https://api.localhost:" + port + "/t");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output())
            .startsWith(version.equals("--http2") ? "HTTP/2 200" : "HTTP/1.1 200")
            .contains("who=api", "path=/t", "x-forwarded-proto=https");
      }
    } finally {
      api.stop(0);
    }
  }
}
