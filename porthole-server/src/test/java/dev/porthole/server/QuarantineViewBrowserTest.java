package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.quarantine.Freezer;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.quarantine.Quarantiner;
import dev.porthole.watch.ProcessDetails;
import dev.porthole.watch.ProcessDetailsReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard's Quarantine view in a real headless Chromium against a real daemon: a real
 * process the test started and froze (SIGSTOP, through the same {@link Quarantiner} the CLI and
 * the watch use) is listed, and its Release button resumes it. The process listens on nothing, so
 * no packet filter rule is involved (those are tested in private network namespaces only).
 */
@Timeout(180)
class QuarantineViewBrowserTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Browser browser;
  static Http http;
  static Process sleeper;

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    http = new Http(daemon.url());
    sleeper = new ProcessBuilder("sleep", "300").start();
    browser = new Browser(1280, 860);
    browser.driver.get(daemon.url() + "/#overview");
    browser.until(d -> text("#live-state").equals("live"));
  }

  @AfterAll
  static void stop() {
    if (sleeper != null) {
      sleeper.destroyForcibly(); // SIGKILL ends a stopped process too
    }
    if (browser != null) {
      browser.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  static String text(String css) {
    return browser.driver.findElement(By.cssSelector(css)).getText().strip();
  }

  private static Quarantine freezeSleeper() {
    int pid = (int) sleeper.pid();
    ProcessDetails d = ProcessDetailsReader.system().read(pid);
    Quarantine q = new Quarantiner(daemon.services().store()).quarantine(d, List.of());
    assertThat(Freezer.state(pid)).isEqualTo('T');
    return q;
  }

  @Test
  void aQuarantinedProcessIsListedAndTheReleaseButtonResumesIt() throws Exception {
    Quarantine q = freezeSleeper();
    browser.click("nav a[data-view='quarantine']");
    browser.until(d -> d.findElement(By.id("view-quarantine")).isDisplayed());
    String row = "#quarantine-table tr[data-id='" + q.id() + "']";
    browser.until(d -> !d.findElements(By.cssSelector(row)).isEmpty());
    assertThat(text(row)).contains(q.id(), Long.toString(sleeper.pid()), "sleep", "none");
    assertThat(text("#quarantine-count")).isEqualTo("(1)");
    browser.screenshot("quarantine");

    // Cancel first: nothing happens.
    browser.click(row + " button[data-act=release]");
    browser.until(d -> d.findElement(By.id("confirm-dialog")).isDisplayed());
    assertThat(text("#confirm-text")).contains("Release sleep (pid " + sleeper.pid() + ")?");
    browser.click("#confirm-cancel");
    assertThat(Freezer.state((int) sleeper.pid())).isEqualTo('T');

    browser.click(row + " button[data-act=release]");
    browser.until(d -> d.findElement(By.id("confirm-dialog")).isDisplayed());
    browser.click("#confirm-ok");
    browser.until(d -> d.findElements(By.cssSelector(row)).isEmpty());
    assertThat(text("#quarantine-table tbody")).contains("No process is in quarantine.");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Freezer.state((int) sleeper.pid()) == 'T' && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Freezer.state((int) sleeper.pid())).isIn('S', 'R');
    assertThat(new QuarantineStore(daemon.services().store()).find(q.id()).orElseThrow())
        .extracting(Quarantine::releasedMs)
        .isNotNull();
    assertThat(http.get("/api/quarantines").body()).isEqualTo("[]");
  }

  @Test
  void theReleaseRouteNeedsTheProcessNamedAndTheDaemonsOwnOrigin() throws Exception {
    Quarantine q = freezeSleeper();
    String path = "/api/quarantines/" + q.id() + "/release";
    assertThat(http.get("/api/quarantines").body()).contains("\"id\":\"" + q.id() + "\"");
    expect(http.post(path, "{}"), 400, "missing required field: pid (the quarantined process");
    expect(http.post(path, ""), 400, "bad request body: EOF");
    expect(http.post(path, "{\"pid\":1e3}"), 400, "pid: '1000.0' (expected: a whole number");
    expect(http.post(path, "{\"pid\":1}"), 409, "pid 1 is not quarantine " + q.id() + "'s");
    expect(http.post("/api/quarantines/nothex!!/release", "{\"pid\":1}"), 400, "8 hex digits");
    expect(http.post("/api/quarantines/00000000/release", "{\"pid\":1}"), 404, "no quarantine");
    String body = "{\"pid\":" + sleeper.pid() + "}";
    // The Host/Origin guard: a page from elsewhere cannot release what the user froze.
    HttpResponse<String> foreign =
        http.send("POST", path, body, "Origin", "http://evil.example");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(Freezer.state((int) sleeper.pid())).isEqualTo('T');

    HttpResponse<String> ok = http.post(path, body);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body())
        .contains("\"released\":true", "\"note\":\"resumed PID " + sleeper.pid() + " (sleep)\"");
    expect(http.post(path, body), 409, "was already released");
  }

  private static void expect(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"error\":\"").contains(error);
  }
}
