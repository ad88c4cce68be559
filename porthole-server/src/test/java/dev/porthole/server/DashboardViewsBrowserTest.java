package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.routing.http.RouterOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard's Traffic and Routes views in a real headless Chromium against a real daemon:
 * requests made by curl through a real proxy to a real HTTP server show up with their detail, and
 * routes are added and removed with the mouse. Screenshots go to {@code target/screenshots/}.
 */
@Timeout(180)
class DashboardViewsBrowserTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Browser browser;
  static HttpServer upstream;
  static Http http;

  @BeforeAll
  static void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.createContext(
        "/",
        x -> {
          byte[] body = ("you asked for " + x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "text/plain");
          int status = x.getRequestURI().getPath().startsWith("/missing") ? 404 : 200;
          x.sendResponseHeaders(status, body.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();
    daemon =
        Daemon.start(
            DaemonConfig.local(0, dataDir).withRouter(new RouterOptions("127.0.0.1", 0, 0)));
    http = new Http(daemon.url());
    browser = new Browser(1280, 860);
    browser.driver.get(daemon.url() + "/#overview");
    browser.until(d -> text("#live-state").equals("live"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (daemon != null) {
      daemon.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  static String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText().strip();
  }

  static void view(String name) {
    browser.click("nav a[data-view='" + name + "']");
    browser.until(d -> d.findElement(By.id("view-" + name)).isDisplayed());
  }

  /**
   * Runs curl against {@code url} (one connection, closed after the answer); returns its output.
   */
  static String curl(String url, String... headers) throws IOException, InterruptedException {
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("curl", "-sS", "--max-time", "10"));
    for (String h : headers) {
      command.add("-H");
      command.add(h);
    }
    command.add(url);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("curl finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aRequestThroughAProxyShowsInTheTrafficViewWithItsDetail() throws Exception {
    daemon
        .services()
        .proxies()
        .create(
            new ProxyRegistry.NewProxy(
                "web", "127.0.0.1:0", "127.0.0.1:" + upstream.getAddress().getPort(), true, null));
    String listen = daemon.services().proxies().get("web").listen();
    String base = "http://127.0.0.1:" + listen.substring(listen.lastIndexOf(':') + 1);
    view("traffic");
    assertThat(curl(base + "/hello/world?x=1", "X-Test: traffic-view"))
        .isEqualTo("you asked for /hello/world?x=1");
    assertThat(curl(base + "/missing/page")).isEqualTo("you asked for /missing/page");

    String row = "#traffic-table tbody tr[data-type='request']";
    browser.until(d -> d.findElements(By.cssSelector(row)).size() == 2);
    assertThat(text("#traffic-table tbody")).contains("GET /hello/world?x=1", "404", "200", "web");

    // The filters: status, then path.
    browser.find("#traffic-status").sendKeys("4xx");
    browser.until(d -> d.findElements(By.cssSelector(row)).size() == 1);
    assertThat(text(row)).contains("GET /missing/page", "404");
    browser.find("#traffic-status").clear();
    browser.find("#traffic-path").sendKeys("/hello");
    browser.until(
        d ->
            d.findElements(By.cssSelector(row)).size() == 1
                && d.findElement(By.cssSelector(row)).getText().contains("/hello/world"));

    // The detail: the connection's record is written when curl closes it.
    browser.until(d -> json(http.get("/api/proxies/web/capture")).size() == 2);
    browser.click(row + " button.traffic-open");
    browser.until(d -> text("#traffic-detail").contains("Response body"));
    String detail = text("#traffic-detail");
    assertThat(detail)
        .contains("X-Test", "traffic-view", "User-Agent", "curl/", "text/plain")
        .containsIgnoringCase("content-type")
        .contains("you asked for /hello/world?x=1")
        .contains("accept", "dial", "first byte", "end");
    assertThat(text("#traffic-dialog-title")).isEqualTo("GET /hello/world?x=1 → 200");
    browser.screenshot("traffic-detail");
    browser.driver.findElement(By.cssSelector("#traffic-dialog .dialog-head button")).click();

    // The per-proxy figures and the HAR link.
    browser.until(d -> text("#traffic-figures [data-proxy='web']").contains("2 requests"));
    // The cards are redrawn every second: read the link in one step, again if it was replaced.
    String[] har = new String[1];
    browser.until(
        d -> {
          try {
            har[0] =
                d.findElement(By.cssSelector("#traffic-figures [data-proxy='web'] a.har"))
                    .getAttribute("href");
            return har[0] != null;
          } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return false;
          }
        });
    assertThat(har[0]).endsWith("/api/proxies/web/capture.har");
    assertThat(http.get("/api/proxies/web/capture.har").body()).contains("/hello/world");
    browser.find("#traffic-path").clear();
    browser.screenshot("traffic");
  }

  @Test
  void aRouteAddedInThePageIsInTheApiAndRemovingItWorks() throws Exception {
    view("routes");
    int web = upstream.getAddress().getPort();
    browser.find("#route-name").sendKeys("shop.localhost");
    browser.find("#route-upstreams").sendKeys("127.0.0.1:" + web + ", " + web);
    browser.click("#route-submit");
    browser.find("#routes-table tr[data-route='shop.localhost']");
    assertThat(text("#routes-table tr[data-route='shop.localhost']"))
        .contains("127.0.0.1:" + web, "healthy");
    JsonNode routes = json(http.get("/api/routes"));
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).path("name").asText()).isEqualTo("shop.localhost");
    assertThat(routes.get(0).path("upstreams")).hasSize(2);
    int httpPort = daemon.router().httpPort();
    assertThat(text("#router-ports"))
        .isEqualTo(
            "Router: HTTP on port "
                + httpPort
                + ", HTTPS on port "
                + daemon.router().httpsPort()
                + ".");
    // The router answers for the name at once.
    assertThat(curl("http://127.0.0.1:" + httpPort + "/via/router", "Host: shop.localhost"))
        .isEqualTo("you asked for /via/router");
    browser.screenshot("routes");

    browser.click("#routes-table tr[data-route='shop.localhost'] button[data-act='remove']");
    browser.until(d -> d.findElement(By.id("confirm-dialog")).isDisplayed());
    browser.click("#confirm-ok");
    browser.until(d -> json(http.get("/api/routes")).isEmpty());
    browser.until(
        d ->
            d.findElements(By.cssSelector("#routes-table tr[data-route='shop.localhost']"))
                .isEmpty());
  }

  @Test
  void aBadRouteNameShowsTheApisOwnError() {
    view("routes");
    HttpResponse<String> api =
        http.post("/api/routes", "{\"name\":\"bad name!\",\"upstreams\":[\"127.0.0.1:18080\"]}");
    assertThat(api.statusCode()).isEqualTo(400);
    String expected = json(api).path("error").asText();
    browser.find("#route-name").sendKeys("bad name!");
    browser.find("#route-upstreams").sendKeys("127.0.0.1:18080");
    browser.click("#route-submit");
    browser.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(text("#error-text")).isEqualTo("Error: " + expected);
    browser.screenshot("routes-error");
    browser.find("#error-close").click();
    browser.find("#route-name").clear();
    browser.find("#route-upstreams").clear();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(r.body(), e);
    }
  }
}
