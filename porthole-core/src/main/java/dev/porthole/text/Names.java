package dev.porthole.text;

/**
 * The one rule for names people give things (proxies, toxics, routes): a name appears in URL
 * paths, tables and logs, so it must look like what it is.
 *
 * <p>Refused: an empty or white-space-only name, more than {@link #MAX} characters, {@code /} and
 * {@code \}, control characters, bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069, which make a name display as another), zero-width characters (U+200B–U+200D,
 * U+FEFF) and line or paragraph separators (U+2028, U+2029).
 */
public final class Names {
  /** The longest name accepted, in UTF-16 chars. */
  public static final int MAX = 200;

  private Names() {}

  /** Returns why {@code name} is refused, or null when it is a good name. */
  public static String problem(String name) {
    if (name == null || name.isBlank()) {
      return "must not be empty or only white space";
    }
    if (name.length() > MAX) {
      return "longer than " + MAX + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "must not contain '/' or '\\'";
      }
      if (invisible(c)) {
        return String.format(
            "must not contain control, bidirectional, zero-width or separator characters"
                + " (U+%04X at %d)",
            (int) c, i);
      }
    }
    return null;
  }

  /**
   * Throws an {@link IllegalArgumentException} whose one-line message starts with {@code what}
   * when {@code name} is refused; returns {@code name} otherwise.
   */
  public static String check(String name, String what) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(
          what + " '" + Numbers.printable(name == null ? "" : name) + "': " + problem);
    }
    return name;
  }

  private static boolean invisible(char c) {
    return Character.isISOControl(c)
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069')
        || (c >= '\u200B' && c <= '\u200D')
        || c == '\uFEFF'
        || c == '\u2028'
        || c == '\u2029';
  }
}
