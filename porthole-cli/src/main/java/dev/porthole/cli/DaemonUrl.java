package dev.porthole.cli;

import dev.porthole.server.DaemonConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Returns the daemon's URL ({@code --url}, else {@code PORTHOLE_URL}, else {@code
 * http://127.0.0.1:62893}) and whether anything answers there. Kept apart from {@link DaemonClient}
 * and free of Jackson, so that a command that only probes for a daemon loads no more than the JDK's
 * HTTP client.
 */
public final class DaemonUrl {
  private DaemonUrl() {}

  /** Returns the base URL without a trailing slash. */
  public static String resolve(String url) {
    String u = url;
    if (u == null || u.isBlank()) {
      u = System.getenv("PORTHOLE_URL");
    }
    if (u == null || u.isBlank()) {
      u = "http://127.0.0.1:" + DaemonConfig.DEFAULT_PORT;
    }
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /** Returns true when {@code url} or {@code PORTHOLE_URL} names the daemon explicitly. */
  public static boolean explicit(String url) {
    String env = System.getenv("PORTHOLE_URL");
    return (url != null && !url.isBlank()) || (env != null && !env.isBlank());
  }

  /**
   * Returns true when something answers HTTP at {@code base}: false when nothing listens there
   * (connection refused, or no connection within 2 s), so a command can work without a daemon.
   */
  public static boolean running(String base) {
    HttpRequest req;
    try {
      req =
          HttpRequest.newBuilder(URI.create(base + "/api/status"))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url " + base + ": not a URL");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      client.send(req, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted");
    } finally {
      client.close();
    }
  }
}
