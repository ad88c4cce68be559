package dev.porthole.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Returns a headless Chromium driven by Selenium: Debian's {@code chromium} and {@code
 * chromedriver} found on the PATH, a fresh profile, no background networking and no Selenium
 * Manager (nothing is downloaded). One per test class: starting a browser costs a second or two.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  final ChromeDriver driver;
  private final Path profile;

  Browser(int width, int height) {
    this(width, height, java.util.Map.of());
  }

  /** Returns a browser whose chromedriver (and so Chromium) runs with {@code env} added. */
  Browser(int width, int height, java.util.Map<String, String> env) {
    String chromium = onPath("chromium", "chromium-browser", "google-chrome");
    String chromedriver = onPath("chromedriver");
    try {
      profile = Files.createTempDirectory("porthole-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
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
        "--disable-extensions",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .withEnvironment(env)
            .withTimeout(Duration.ofSeconds(30))
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  /** Returns the first of {@code names} found as an executable on the PATH, or fails saying so. */
  static String onPath(String... names) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : names) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getAbsolutePath();
        }
      }
    }
    throw new IllegalStateException(
        String.join("/", names)
            + " not found on the PATH: apt-get install chromium chromium-driver (.ci/run does)");
  }

  /** Waits (bounded) until {@code condition} returns a non-null, non-false value. */
  <T> T until(Function<WebDriver, T> condition) {
    // The page re-renders live: an element found a moment ago may be replaced, so look again.
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** Clicks the element {@code css} names, finding it again if a live update replaced it. */
  void click(String css) {
    until(
        d -> {
          d.findElement(By.cssSelector(css)).click();
          return true;
        });
  }

  WebElement find(String css) {
    return until(d -> d.findElement(By.cssSelector(css)));
  }

  /** Saves the page as {@code target/screenshots/<name>.png} and returns the file. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // a leftover temp profile is harmless
      }
    }
  }
}
