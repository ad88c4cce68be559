package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.checks.CommandRunner;
import dev.porthole.routing.http.RouterOptions;
import dev.porthole.routing.tls.LocalCa;
import dev.porthole.routing.trust.NssTrustStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Chromium loads {@code https://web.localhost:<port>/} through the router with the local CA
 * trusted only through the NSS database of a temporary HOME: no certificate warning, HTTP/2.
 */
@Timeout(120)
class RouterBrowserTest {
  @TempDir Path dataDir;
  @TempDir Path home;

  @Test
  void chromiumTrustsTheLocalCaAndSpeaksHttp2() throws Exception {
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/",
        ex -> {
          byte[] body =
              ("<!doctype html><title>routed web</title><p id=proto>"
                      + ex.getRequestHeaders().getFirst("X-Forwarded-Proto")
                      + "</p>")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    web.start();
    try (Daemon d =
        Daemon.start(
            DaemonConfig.local(0, dataDir).withRouter(new RouterOptions("127.0.0.1", 0, 0)))) {
      d.services()
          .routes()
          .add(
              "web.localhost",
              java.util.List.of(
                  dev.porthole.routing.Upstream.parse(
                      Integer.toString(web.getAddress().getPort()))));
      LocalCa ca = LocalCa.loadOrCreate(dataDir.resolve(LocalCa.FOLDER), Clock.systemUTC());
      new NssTrustStore(
              home.resolve(".pki/nssdb"), true, CommandRunner.system(Duration.ofSeconds(30)))
          .install(ca.certificate(), ca.certificatePem());
      try (Browser browser = new Browser(1000, 700, Map.of("HOME", home.toString()))) {
        browser.driver.get("https://web.localhost:" + d.router().httpsPort() + "/");
        assertThat(browser.driver.getTitle())
            .as(() -> "the page Chromium showed instead (an interstitial or a net error): "
                + NetError.of(browser.driver.getPageSource()))
            .isEqualTo("routed web");
        assertThat(browser.find("#proto").getText()).isEqualTo("https");
        Object protocol =
            browser.driver.executeScript(
                "return performance.getEntriesByType('navigation')[0].nextHopProtocol");
        assertThat(protocol).isEqualTo("h2");
      }
    } finally {
      web.stop(0);
    }
    assertThat(Files.exists(home.resolve(".pki/nssdb/cert9.db"))).isTrue();
  }
}
