package dev.porthole.proxy;

/** Returns whether a proxy or toxic name can appear in a URL path segment of the API. */
final class Names {
  static final int MAX = 200;

  private Names() {}

  /** Throws a 400 when {@code name} holds a slash or a control character, or is too long. */
  static void check(String field, String name) {
    if (name.length() > MAX) {
      throw ProxyException.bad(field + ": longer than " + MAX + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || Character.isISOControl(c)) {
        throw ProxyException.bad(
            field + " " + quote(name) + ": must not contain '/', '\\' or control characters");
      }
    }
  }

  private static String quote(String name) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : name.toCharArray()) {
      sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.append('"').toString();
  }
}
