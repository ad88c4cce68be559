package dev.porthole.proxy.toxics;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Returns the request filter of an HTTP toxic: a method (empty: any; case-insensitive) and a
 * path glob (empty: any) where {@code *} matches any run of characters, {@code /} included, and
 * {@code ?} one character. The path is the request target without its query string.
 *
 * @param method such as "GET", or empty
 * @param path such as "/api/*", or empty
 * @param glob {@code path} compiled once, null when empty (a match runs per request)
 */
record HttpMatch(String method, String path, Pattern glob) {
  HttpMatch(String method, String path) {
    this(method, path, path.isEmpty() ? null : glob(path));
  }

  /** Returns the filter an HTTP toxic's {@code method} and {@code path} attributes give. */
  static HttpMatch of(Map<String, Object> attributes) {
    return new HttpMatch(
        BasicToxicType.stringAttr(attributes, "method"),
        BasicToxicType.stringAttr(attributes, "path"));
  }

  /** Returns whether {@code message} (a request, or null if unseen) is one the toxic acts on. */
  boolean matches(HttpMessage message) {
    if (method.isEmpty() && path.isEmpty()) {
      return true;
    }
    if (!(message instanceof HttpRequest request)) {
      return false;
    }
    if (!method.isEmpty() && !method.equalsIgnoreCase(request.method().name())) {
      return false;
    }
    if (path.isEmpty()) {
      return true;
    }
    String target = request.uri();
    int query = target.indexOf('?');
    return glob.matcher(query < 0 ? target : target.substring(0, query)).matches();
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("((?<=[*?])|(?=[*?]))")) {
      switch (part) {
        case "*" -> regex.append(".*");
        case "?" -> regex.append('.');
        default -> regex.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
