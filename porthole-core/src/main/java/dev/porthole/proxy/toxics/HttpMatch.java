package dev.porthole.proxy.toxics;

import dev.porthole.http1.HttpHead;
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

  /** Returns whether {@code request} (a request head, or null if unseen) is one to act on. */
  boolean matches(HttpHead request) {
    if (method.isEmpty() && path.isEmpty()) {
      return true;
    }
    if (request == null || request.method() == null) {
      return false;
    }
    if (!method.isEmpty() && !method.equalsIgnoreCase(request.method())) {
      return false;
    }
    if (path.isEmpty()) {
      return true;
    }
    String target = request.target();
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
