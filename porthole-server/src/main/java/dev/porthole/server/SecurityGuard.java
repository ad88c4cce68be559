package dev.porthole.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Refuses requests a browser could be tricked into sending, before any route runs (PRODUCT C8).
 *
 * <ol>
 *   <li>Host: must be a loopback name or address (DNS rebinding), unless the daemon was started
 *       with {@code --allow-remote}, where the token takes over.
 *   <li>Origin, on a state-changing request (anything but GET, HEAD, OPTIONS): when present it must
 *       be the daemon's own exactly: {@code http}, the host as the Host header names it, the port
 *       the daemon listens on. {@code http://127.0.0.2:<port>} or {@code http://[::1]:<port>} from
 *       a page at {@code http://127.0.0.1:<port>} are other servers.
 *   <li>Token, when one is required ({@code --allow-remote}, {@code --require-token}): {@code
 *       Authorization: Bearer <token>} on every request, reads included (they show command lines,
 *       working directories, traffic), except {@code /version} and the dashboard's page and static
 *       files. The live feed, which a browser's EventSource opens without headers, may carry it as
 *       {@code ?token=}.
 * </ol>
 *
 * Each refusal is a 403 with a reason; nothing has run, so nothing has changed.
 */
final class SecurityGuard implements Handler {
  private final boolean checkHost;
  private final byte[] token;

  /**
   * @param checkHost whether the Host header must name loopback
   * @param token the token state-changing requests must carry, or {@code null} for none
   */
  SecurityGuard(boolean checkHost, String token) {
    this.checkHost = checkHost;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || host.isBlank()) {
      throw ApiError.forbidden("forbidden: the request has no Host header");
    }
    if (checkHost && !LoopbackNames.isLoopback(LoopbackNames.hostOf(host))) {
      throw ApiError.forbidden(
          "forbidden: Host " + host + " is not a loopback name (DNS rebinding protection)");
    }
    if (changesState(ctx.method())) {
      String origin = ctx.header("Origin");
      if (origin != null && !sameOrigin(origin, host, ctx.req().getLocalPort())) {
        throw ApiError.forbidden("forbidden: Origin " + origin + " is not this daemon's");
      }
    } else if (openRead(ctx.path())) {
      return;
    }
    if (token != null) {
      String auth = ctx.header("Authorization");
      String query = ctx.path().equals(STREAM) ? ctx.queryParam("token") : null;
      if (auth == null && query != null) {
        auth = "Bearer " + query;
      }
      byte[] given = auth == null ? new byte[0] : auth.strip().getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, token)) {
        throw ApiError.forbidden(
            "forbidden: "
                + (auth == null ? "missing" : "wrong")
                + " token (send Authorization: Bearer <the token file in the data directory>)");
      }
    }
  }

  /** The live feed's path, the one route that takes the token in its query. */
  static final String STREAM = "/api/dashboard/stream";

  /** Returns true for reads anyone may make: the version and the dashboard's page and files. */
  static boolean openRead(String path) {
    return path.equals("/version") || path.equals("/") || path.startsWith("/dashboard/");
  }

  static boolean changesState(HandlerType method) {
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }

  /** Returns true if {@code origin} is the page the daemon itself serves. */
  static boolean sameOrigin(String origin, String hostHeader, int localPort) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") || uri.getHost() == null) {
      return false;
    }
    String originHost = LoopbackNames.hostOf(uri.getHost());
    int originPort = uri.getPort() < 0 ? 80 : uri.getPort();
    String requestHost = LoopbackNames.hostOf(hostHeader);
    int requestPort = LoopbackNames.portOf(hostHeader) < 0 ? 80 : LoopbackNames.portOf(hostHeader);
    // The page's origin is the daemon's only if it names the host the browser connected to and
    // the port the daemon listens on; any other loopback address or port is another server.
    return originHost.equalsIgnoreCase(requestHost)
        && originPort == requestPort
        && originPort == localPort
        && uri.getPath() != null
        && (uri.getPath().isEmpty() || uri.getPath().equals("/"))
        && uri.getUserInfo() == null;
  }
}
