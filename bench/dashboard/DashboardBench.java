import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Returns the dashboard's cost with many listeners and proxies, as the browser sees it.
 *
 * <p>Opens N real listening sockets and a daemon with M proxies (each fed by a client), then in
 * headless Chromium: the time from navigation to the first render of the Ports view with every row
 * (the page's own {@code porthole:first-render} mark, plus the rows on screen as WebDriver sees
 * them), and, while listeners open and close every second and traffic flows, how long each live
 * re-render takes and how many long tasks (over 50 ms) block the page.
 */
public class DashboardBench {
  public static void main(String[] args) throws Exception {
    int listeners = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int proxies = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    InetAddress lo = InetAddress.getLoopbackAddress();
    List<ServerSocket> sockets = new ArrayList<>();
    for (int i = 0; i < listeners; i++) {
      sockets.add(new ServerSocket(0, 5, lo));
    }
    Path data = Files.createTempDirectory("porthole-bench");
    try (Daemon daemon = Daemon.start(DaemonConfig.local(0, data))) {
      HttpClient http = HttpClient.newHttpClient();
      ServerSocket sink = new ServerSocket(0, 200, lo);
      Thread.ofVirtual().start(() -> drain(sink));
      for (int i = 0; i < proxies; i++) {
        String body =
            "{\"name\":\"p"
                + i
                + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:"
                + sink.getLocalPort()
                + "\"}";
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(daemon.url() + "/api/proxies"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException(r.body());
        }
      }
      System.out.printf(
          "listeners: %d real sockets (+ the machine's own), proxies: %d%n", listeners, proxies);
      ChromeDriver driver = browser();
      try {
        List<Double> firsts = new ArrayList<>();
        List<Long> visible = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
          driver.get("about:blank");
          long start = System.nanoTime();
          driver.get(daemon.url() + "/#ports");
          new WebDriverWait(driver, Duration.ofSeconds(30))
              .until(
                  d ->
                      portsCounted(d) >= listeners
                          && d.findElements(By.cssSelector("#ports-table tbody tr")).size()
                              >= Math.min(200, listeners));
          visible.add((System.nanoTime() - start) / 1_000_000);
          @SuppressWarnings("unchecked")
          List<Number> marks =
              (List<Number>)
                  driver.executeScript(
                      "const t = (n) => { const m = performance.getEntriesByName(n)[0]; return m ?"
                          + " m.startTime : -1; }; return"
                          + " [performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,"
                          + " t('porthole:hello'), t('porthole:first-render')];");
          firsts.add(marks.get(2).doubleValue());
          System.out.printf(
              "  run %d: DOMContentLoaded %.0f ms, live state received %.0f ms, rendered %.0f ms%n",
              run,
              marks.get(0).doubleValue(),
              marks.get(1).doubleValue(),
              marks.get(2).doubleValue());
        }
        System.out.printf(
            "first render (page mark, navigation -> Ports view with %d listeners, first 200 rows):"
                + " %s ms%n",
            listeners, firsts);
        boolean showAll = Boolean.getBoolean("showAll");
        if (showAll) {
          driver.findElement(By.id("ports-more")).click();
          new WebDriverWait(driver, Duration.ofSeconds(30))
              .until(
                  d -> d.findElements(By.cssSelector("#ports-table tbody tr")).size() >= listeners);
          Object all =
              driver.executeScript("const r = window.porthole.renders; return r[r.length - 1];");
          System.out.printf(
              "'show all' render of every row: %.1f ms%n", ((Number) all).doubleValue());
        }
        System.out.printf("first render seen by WebDriver (get() -> rows found): %s ms%n", visible);

        driver.executeScript(
            "window.__long = []; new PerformanceObserver(l => l.getEntries().forEach(e =>"
                + " window.__long.push(e.duration))).observe({type: 'longtask', buffered: false});"
                + " window.porthole.renders.length = 0;");
        List<Socket> clients = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int churn = 0;
        while (System.nanoTime() < end) {
          // 20 listeners close and 20 open each second: every tick sends all rows again.
          for (int i = 0; i < 20; i++) {
            sockets.remove(0).close();
            sockets.add(new ServerSocket(0, 5, lo));
            churn++;
          }
          traffic(daemon, http, proxies, clients);
          Thread.sleep(1000);
        }
        @SuppressWarnings("unchecked")
        List<Number> renders =
            (List<Number>) driver.executeScript("return window.porthole.renders;");
        @SuppressWarnings("unchecked")
        List<Number> longTasks = (List<Number>) driver.executeScript("return window.__long;");
        long t0 = System.nanoTime();
        driver
            .findElement(By.id("ports-filter"))
            .sendKeys(Integer.toString(sockets.get(0).getLocalPort()));
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(d -> d.findElements(By.cssSelector("#ports-table tbody tr")).size() < 5);
        long filterMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
            "live updates for %d s (%d listeners replaced, traffic on %d proxies), %s:%n",
            seconds, churn, proxies, showAll ? "all rows shown" : "first 200 rows shown");
        System.out.printf(
            "  re-renders: %d, ms p50 %.1f, p95 %.1f, max %.1f%n",
            renders.size(), pct(renders, 50), pct(renders, 95), pct(renders, 100));
        System.out.printf(
            "  long tasks (> 50 ms): %d, longest %.0f ms%n", longTasks.size(), pct(longTasks, 100));
        System.out.printf(
            "  typing a port into the filter -> table filtered (WebDriver round trip): %d ms%n",
            filterMs);
        for (Socket c : clients) {
          c.close();
        }
      } finally {
        driver.quit();
      }
      sink.close();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  static int portsCounted(org.openqa.selenium.WebDriver d) {
    String text = d.findElement(By.id("ports-count")).getText().replaceAll("[^0-9]", "");
    return text.isEmpty() ? 0 : Integer.parseInt(text);
  }

  /** Sends a few KB through each proxy, keeping one connection per proxy open. */
  static void traffic(Daemon daemon, HttpClient http, int proxies, List<Socket> clients)
      throws Exception {
    if (clients.isEmpty()) {
      for (Map<String, Object> p :
          daemon.services().proxies().list().stream()
              .map(dev.porthole.server.ProxyJson::detailed)
              .toList()) {
        String listen = (String) p.get("listen");
        clients.add(
            new Socket(
                "127.0.0.1", Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1))));
      }
    }
    byte[] chunk = new byte[4096];
    for (Socket c : clients) {
      c.getOutputStream().write(chunk);
    }
  }

  static void drain(ServerSocket sink) {
    while (!sink.isClosed()) {
      try {
        Socket s = sink.accept();
        Thread.ofVirtual()
            .start(
                () -> {
                  try (s) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                  } catch (Exception e) {
                    // the bench closed it
                  }
                });
      } catch (Exception e) {
        return;
      }
    }
  }

  static double pct(List<Number> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
    return sorted.get(
        Math.min(
            sorted.size() - 1,
            (int) Math.ceil(p / 100.0 * sorted.size()) - 1 < 0
                ? 0
                : (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static ChromeDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(onPath("chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("porthole-bench-chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(onPath("chromedriver")))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  static String onPath(String name) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new IllegalStateException(
        name + " not on PATH (apt-get install chromium chromium-driver)");
  }
}
