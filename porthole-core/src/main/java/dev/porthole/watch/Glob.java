package dev.porthole.watch;

/** Returns whether text matches a pattern where {@code *} stands for any run of characters. */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String text) {
    if (text == null) {
      return false;
    }
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(text);
    }
    String[] parts = pattern.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == 0) {
        if (!text.startsWith(part)) {
          return false;
        }
        at = part.length();
      } else if (i == parts.length - 1) {
        return text.length() - part.length() >= at && text.endsWith(part);
      } else {
        int found = text.indexOf(part, at);
        if (found < 0) {
          return false;
        }
        at = found + part.length();
      }
    }
    return at == text.length();
  }
}
