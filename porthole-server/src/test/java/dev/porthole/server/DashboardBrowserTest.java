package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against a real daemon: live listeners, a proxy and a
 * latency toxic made with the mouse and measured by a real client, API errors, a daemon restart.
 * Each view is saved under {@code target/screenshots/}.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Browser browser;
  static EchoServer echo;
  static int port;
  static int listenerPort;

  @BeforeAll
  static void start() throws IOException {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    port = daemon.port();
    echo = new EchoServer();
    browser = new Browser(1280, 860);
    browser.driver.get(daemon.url() + "/#overview");
    browser.until(d -> text("#live-state").equals("live"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    if (echo != null) {
      echo.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  static String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText().strip();
  }

  static List<WebElement> all(String css) {
    return browser.driver.findElements(By.cssSelector(css));
  }

  static void view(String name) {
    browser.click("nav a[data-view='" + name + "']");
    browser.until(d -> d.findElement(By.id("view-" + name)).isDisplayed());
  }

  @Test
  @Order(1)
  void aListenerAppearsLiveAndDisappears() throws IOException {
    view("ports");
    ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    listenerPort = listener.getLocalPort();
    String row = "#ports-table tbody tr[data-port='" + listenerPort + "']";
    // The page shows the first 200 rows; this machine may have more listeners than that.
    browser.find("#ports-filter").sendKeys(Integer.toString(listenerPort));
    try (listener) {
      WebElement tr = browser.find(row);
      assertThat(tr.getText()).contains("127.0.0.1", "loopback", "java");
      browser.click(row + " button.port-open");
      browser.until(d -> text("#port-detail").contains("pid " + ProcessHandle.current().pid()));
      assertThat(text("#port-detail")).contains("SHA-256", "Kill java");
      browser.click("#port-detail button.run-check");
      browser.until(d -> text("#port-detail .check-result").contains("connect"));
      assertThat(text("#port-detail .check-result")).startsWith("up 127.0.0.1:" + listenerPort);
      browser.screenshot("port-detail");
      browser.driver.findElement(By.cssSelector("#port-dialog .dialog-head button")).click();
    }
    browser.until(d -> all(row).isEmpty());
    browser.find("#ports-filter").clear();
    browser.find("#ports-filter").sendKeys(" "); // an input event: the filter is empty again
    browser.until(d -> all("#ports-table tbody tr").size() > 1);
    browser.screenshot("ports");
  }

  @Test
  @Order(2)
  void aProxyAndALatencyToxicMadeInThePageDelayARealClient() throws IOException {
    view("proxies");
    browser.find("#proxy-name").sendKeys("web");
    browser.find("#proxy-listen").sendKeys("127.0.0.1:0");
    browser.find("#proxy-upstream").sendKeys(echo.address());
    browser.find("#proxy-submit").click();
    browser.click("tr[data-proxy='web'] button[data-act='toxics']");
    browser.until(d -> d.findElement(By.id("toxics-panel")).isDisplayed());
    browser.until(d -> d.findElements(By.cssSelector("#toxic-type option")).size() > 3);
    new Select(browser.find("#toxic-type")).selectByVisibleText("latency");
    new Select(browser.find("#toxic-stream")).selectByValue("downstream");
    WebElement latency = browser.find("#toxic-attr-latency");
    latency.clear();
    latency.sendKeys("300");
    browser.find("#toxic-add").click();
    browser.find("#toxics-list form.toxic[data-toxic='latency_downstream']");

    JsonNode proxy = json(new Http(daemon.url()).get("/api/proxies/web"));
    assertThat(proxy.path("toxics").get(0).path("attributes").path("latency").asInt())
        .isEqualTo(300);
    int proxyPort = Integer.parseInt(proxy.path("listen").asText().replaceAll(".*:", ""));
    long millis = echoRoundTrip(proxyPort);
    assertThat(millis).isBetween(280L, 3_000L);
    browser.until(d -> !text("tr[data-proxy='web'] [data-stat='down']").equals("0 B"));
    browser.screenshot("proxies");
  }

  /** Returns the milliseconds from sending a line through the proxy until its echo is back. */
  static long echoRoundTrip(int proxyPort) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long start = System.nanoTime();
      out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buf = new byte[5];
      int n = 0;
      while (n < buf.length) {
        int r = in.read(buf, n, buf.length - n);
        assertThat(r).as("echo through the proxy").isPositive();
        n += r;
      }
      assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("ping\n");
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  @Test
  @Order(3)
  void anApiErrorShowsAsAReadableMessage() {
    view("proxies");
    String body =
        "{\"name\":\"web\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}";
    HttpResponse<String> api = new Http(daemon.url()).post("/api/proxies", body);
    assertThat(api.statusCode()).isEqualTo(409);
    String expected = json(api).path("error").asText();
    browser.find("#proxy-name").sendKeys("web");
    browser.find("#proxy-listen").sendKeys("127.0.0.1:0");
    browser.find("#proxy-upstream").sendKeys(echo.address());
    browser.find("#proxy-submit").click();
    browser.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(text("#error-text")).isEqualTo("Error: " + expected);
    browser.screenshot("proxies-error");
    browser.find("#error-close").click();
    browser.driver.findElement(By.id("proxy-form")).findElement(By.id("proxy-name")).clear();
  }

  @Test
  @Order(4)
  void theOverviewAndEventsViewsRender() throws IOException {
    view("overview");
    browser.until(d -> text("#overview-cards").contains("proxies with toxics"));
    assertThat(text("#overview-warnings")).contains("proxy web has 1 active: latency (downstream)");
    browser.screenshot("overview");
    view("events");
    // The daemon's watch (every 2 s) sees a listener open and close, and the page gets its
    // events live; other listeners on this machine make events too, so filter by the port.
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      browser.find("#events-port").sendKeys(Integer.toString(listener.getLocalPort()));
      browser.until(
          d ->
              text("#events-list").contains("listening: tcp 127.0.0.1:" + listener.getLocalPort()));
      listenerPort = listener.getLocalPort();
    }
    browser.until(
        d ->
            text("#events-list").contains("stopped listening: tcp 127.0.0.1:" + listenerPort)
                && all("#events-list > li").stream()
                    .allMatch(li -> li.getText().contains(":" + listenerPort)));
    browser.screenshot("events");
    browser.find("#events-port").clear();
  }

  @Test
  @Order(5)
  void aToxicChangesAndGoesAndTheProxyTogglesFromThePage() {
    view("proxies");
    Http http = new Http(daemon.url());
    browser.click("tr[data-proxy='web'] button[data-act='toxics']");
    WebElement latency = browser.find("#edit-latency_downstream-latency");
    latency.clear();
    latency.sendKeys("50");
    browser.click("form.toxic[data-toxic='latency_downstream'] button[type='submit']");
    browser.until(
        d ->
            json(http.get("/api/proxies/web/toxics/latency_downstream"))
                    .path("attributes")
                    .path("latency")
                    .asInt()
                == 50);
    browser.click("form.toxic[data-toxic='latency_downstream'] button[data-remove]");
    browser.until(d -> json(http.get("/api/proxies/web/toxics")).isEmpty());
    browser.until(d -> all("#toxics-list form.toxic").isEmpty());
    browser.click("tr[data-proxy='web'] button[data-act='toggle']");
    browser.until(d -> !json(http.get("/api/proxies/web")).path("enabled").asBoolean());
    browser.until(d -> text("tr[data-proxy='web']").contains("disabled"));
    browser.click("tr[data-proxy='web'] button[data-act='toggle']");
    browser.until(d -> json(http.get("/api/proxies/web")).path("enabled").asBoolean());
  }

  @Test
  @Order(6)
  void anHttpToxicTakesTextAttributesFromTheForm() {
    view("proxies");
    Http http = new Http(daemon.url());
    if (!browser.driver.findElement(By.id("toxics-panel")).isDisplayed()) {
      browser.click("tr[data-proxy='web'] button[data-act='toxics']");
    }
    browser.until(d -> d.findElement(By.id("toxics-panel")).isDisplayed());
    Select types = new Select(browser.find("#toxic-type"));
    assertThat(types.getOptions().stream().map(o -> o.getAttribute("value")))
        .contains("http_error", "http_drop", "http_delay", "http_abort");
    types.selectByVisibleText("http_error");
    new Select(browser.find("#toxic-stream")).selectByValue("upstream");
    WebElement path = browser.find("#toxic-attr-path");
    assertThat(path.getAttribute("type")).isEqualTo("text");
    path.sendKeys("/api/*");
    browser.find("#toxic-attr-body").sendKeys("try later");
    browser.find("#toxic-add").click();
    browser.find("#toxics-list form.toxic[data-toxic='http_error_upstream']");
    JsonNode toxic = json(http.get("/api/proxies/web/toxics/http_error_upstream"));
    assertThat(toxic.path("attributes").path("path").asText()).isEqualTo("/api/*");
    assertThat(toxic.path("attributes").path("body").asText()).isEqualTo("try later");
    assertThat(toxic.path("attributes").path("status").asInt()).isEqualTo(503);
    browser.click("form.toxic[data-toxic='http_error_upstream'] button[data-remove]");
    browser.until(d -> json(http.get("/api/proxies/web/toxics")).isEmpty());
  }

  @Test
  @Order(7)
  void aNarrowWindowAndTheDarkSchemeStayReadable() {
    view("proxies");
    browser.driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    browser.until(
        d ->
            !d.findElement(By.tagName("body"))
                .getCssValue("background-color")
                .equals("rgba(255, 255, 255, 1)"));
    browser.screenshot("proxies-dark");
    browser.driver.manage().window().setSize(new Dimension(420, 860));
    // Nothing but the tables' own scroll areas may be wider than the window.
    Number overflow =
        (Number)
            browser.driver.executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
    assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
    browser.screenshot("proxies-narrow");
    browser.driver.manage().window().setSize(new Dimension(1280, 860));
    browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
  }

  @Test
  @Order(8)
  void thePageShowsTheDaemonGoingAwayAndRecoversWhenItIsBack() {
    view("proxies");
    daemon.close();
    browser.until(d -> d.findElement(By.id("offline")).isDisplayed());
    assertThat(text("#live-state")).isEqualTo("offline");
    browser.screenshot("offline");
    daemon = Daemon.start(DaemonConfig.local(port, dataDir));
    browser.until(d -> text("#live-state").equals("live"));
    assertThat(browser.driver.findElement(By.id("offline")).isDisplayed()).isFalse();
    browser.find("tr[data-proxy='web']"); // restored from the store, pushed by the new daemon
  }

  @Test
  @Order(9)
  void withATokenRequiredThePageAsksForItOnceAndSendsIt(@TempDir Path otherDir) {
    try (Daemon guarded = Daemon.start(DaemonConfig.local(0, otherDir).withSecurity(false, true))) {
      browser.driver.get(guarded.url() + "/#proxies");
      browser.until(d -> d.findElement(By.id("token-dialog")).isDisplayed());
      browser.find("#token-input").sendKeys(Token.read(otherDir));
      browser.click("#token-save");
      browser.until(d -> !d.findElement(By.id("token-dialog")).isDisplayed());
      browser.find("#proxy-name").sendKeys("guarded");
      browser.find("#proxy-listen").sendKeys("127.0.0.1:0");
      browser.find("#proxy-upstream").sendKeys(echo.address());
      browser.click("#proxy-submit");
      browser.find("tr[data-proxy='guarded']");
      assertThat(guarded.services().proxies().list()).hasSize(1);
      browser.driver.navigate().refresh(); // asked once: the token is kept in this browser
      browser.until(d -> text("#live-state").equals("live"));
      assertThat(browser.driver.findElement(By.id("token-dialog")).isDisplayed()).isFalse();
    }
  }

  @Test
  @Order(10)
  void aForwardsOriginShowsInThePortsViewTheEventFeedAndTheStoredHistory() throws Exception {
    browser.driver.get(daemon.url() + "/#ports");
    browser.until(d -> text("#live-state").equals("live"));
    int free;
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    String origin = "socat forward to TCP:127.0.0.1:9";
    Process socat =
        new ProcessBuilder("socat", "TCP-LISTEN:" + free + ",bind=127.0.0.1", "TCP:127.0.0.1:9")
            .start();
    try {
      view("ports");
      browser.find("#ports-filter").sendKeys(Integer.toString(free));
      String row = "#ports-table tbody tr[data-port='" + free + "']";
      browser.until(d -> !all(row).isEmpty() && text(row + " td.origin").equals(origin));
      browser.click(row + " button.port-open");
      browser.until(d -> text("#port-detail").contains("Owned by " + origin));
      browser.screenshot("port-origin");
      browser.driver.findElement(By.cssSelector("#port-dialog .dialog-head button")).click();
      browser.find("#ports-filter").clear();
      browser.find("#ports-filter").sendKeys(" ");
      view("events");
      browser.find("#events-port").sendKeys(Integer.toString(free));
      browser.until(d -> text("#events-list").contains("Origin: forward " + origin));
      browser.screenshot("events-origin");
    } finally {
      socat.destroy();
      socat.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    // Read back from the store: the opened event and the history row keep the origin.
    browser.driver.navigate().refresh();
    browser.until(d -> text("#live-state").equals("live"));
    view("events");
    browser.find("#events-port").clear();
    browser.find("#events-port").sendKeys(Integer.toString(free));
    browser.until(d -> text("#events-list").contains("Origin: forward " + origin));
    Http http = new Http(daemon.url());
    JsonNode detail = json(http.get("/api/dashboard/ports/" + free));
    assertThat(detail.at("/history/0/origin/kind").asText()).isEqualTo("forward");
    assertThat(detail.at("/history/0/origin/name").asText()).isEqualTo(origin);
    browser.find("#events-port").clear();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(r.body(), e);
    }
  }
}
