package dev.porthole.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.server.Token;
import dev.porthole.store.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Returns a client for a running daemon's own API, shared by the commands that talk to one
 * ({@code @Mixin DaemonClient daemon;}): {@code --url}, else {@code PORTHOLE_URL}, else {@code
 * http://127.0.0.1:62893}; the token is read from the data directory when there is one.
 *
 * <p>Failures become one-line {@link CliException}s: no daemon (exit 3), 404 (exit 1), other 4xx
 * (exit 2).
 */
public final class DaemonClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The daemon's URL (default: $PORTHOLE_URL or http://127.0.0.1:62893).")
  String url;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the daemon keeps its token (default: the user data directory).")
  Path dataDir;

  /** Returns a client for {@code url} (null: the default), with the token from {@code dataDir}. */
  public static DaemonClient at(String url, Path dataDir) {
    DaemonClient c = new DaemonClient();
    c.url = url;
    c.dataDir = dataDir;
    return c;
  }

  /** Returns the base URL without a trailing slash. */
  public String baseUrl() {
    return DaemonUrl.resolve(url);
  }

  /** Returns the response body of {@code GET path} as JSON. */
  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  /**
   * Copies the body of {@code GET path} to {@code out} as it arrives, never holding it whole;
   * returns its length. An error answer is a {@link CliException} with the daemon's reason; a body
   * cut short (the daemon aborted the export, or went away) is a failure, not a shorter file.
   */
  public long download(String path, OutputStream out) {
    HttpRequest.Builder b = request(path).GET();
    String base = baseUrl();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<InputStream> r =
          client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.statusCode() >= 400) {
          // An error answer is one small JSON object: read at most 64 KiB of it.
          byte[] error = in.readNBytes(64 * 1024);
          answer(new String(error, java.nio.charset.StandardCharsets.UTF_8), r.statusCode());
        }
        try {
          return in.transferTo(out);
        } catch (IOException e) {
          throw CliException.failure("download from " + base + " broke off: " + e.getMessage());
        }
      }
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw CliException.failure("no porthole daemon at " + base + " (start one: porthole up)");
    } catch (IOException e) {
      throw CliException.failure("daemon at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted");
    } finally {
      client.close();
    }
  }

  private HttpRequest.Builder request(String path) {
    String base = baseUrl();
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url " + base + ": not a URL");
    }
    b.timeout(Duration.ofSeconds(30)).header("User-Agent", "porthole-cli");
    Path tokenDir = DataDir.resolve(dataDir);
    String token = Token.read(tokenDir);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Sends a request with an optional JSON body; returns the answer's JSON (null for 204). */
  public JsonNode send(String method, String path, Object body) {
    String base = baseUrl();
    HttpRequest.Builder b = request(path);
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = exchange(base, b.build());
    try {
      return answer(r);
    } catch (CliException e) {
      if (r.statusCode() == 403 && e.getMessage().contains(" token")) {
        Path tokenDir = DataDir.resolve(dataDir);
        throw CliException.failure(tokenAdvice(tokenDir, Token.read(tokenDir) != null));
      }
      throw e;
    }
  }

  /** Returns what to do when the daemon wants its token: which --data-dir holds it. */
  static String tokenAdvice(Path tokenDir, boolean sent) {
    return "the daemon requires its token, and "
        + (sent ? "the one in " : "there is none in ")
        + tokenDir.resolve(Token.FILE)
        + (sent ? " is not its" : "")
        + ": pass the daemon's data directory with --data-dir DIR (the one 'porthole up' printed)";
  }

  private static HttpResponse<String> exchange(String base, HttpRequest request) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw CliException.failure("no porthole daemon at " + base + " (start one: porthole up)");
    } catch (IOException e) {
      throw CliException.failure("daemon at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted");
    } finally {
      client.close();
    }
  }

  private static JsonNode answer(HttpResponse<String> r) {
    return answer(r.body(), r.statusCode());
  }

  private static JsonNode answer(String body, int status) {
    JsonNode json = null;
    if (!body.isBlank()) {
      try {
        json = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        json = null;
      }
    }
    if (status < 400) {
      return json;
    }
    String message =
        json != null && json.hasNonNull("error") ? json.get("error").asText() : "HTTP " + status;
    if (status == 404) {
      throw new CliException(ExitCodes.NO, message);
    }
    if (status == 403) {
      throw CliException.failure(message);
    }
    throw new CliException(status < 500 ? ExitCodes.USAGE : ExitCodes.FAILURE, message);
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
