package dev.porthole.server.dashboard;

import dev.porthole.server.ApiError;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Returns the dashboard's files from the jar ({@code /dashboard/} on the classpath): nothing comes
 * from a CDN or the network at run time.
 */
final class Assets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  // The page may only load what the daemon serves, and may not be framed (the kill button).
  static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** Answers with the file {@code name}, or 404 when the jar has no such dashboard file. */
  void serve(Context ctx, String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiError.notFound("not found: " + name);
    }
    byte[] body = cache.computeIfAbsent(name, Assets::load);
    if (body.length == 0) {
      throw ApiError.notFound("not found: " + name);
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", CSP);
    ctx.contentType(TYPES.get(ext)).result(body);
  }

  private static byte[] load(String name) {
    try (InputStream in = Assets.class.getResourceAsStream("/dashboard/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard/" + name + " from the jar", e);
    }
  }
}
