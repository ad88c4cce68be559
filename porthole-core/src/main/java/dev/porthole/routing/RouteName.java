package dev.porthole.routing;

import dev.porthole.text.Numbers;
import java.util.Locale;

/**
 * Returns route names checked: a DNS name under {@code .localhost} (browsers and systemd-resolved
 * send every {@code *.localhost} to loopback by themselves, so no hosts file entry is needed).
 *
 * <p>Names are compared in lower case. Control, bidirectional and zero-width characters are refused
 * first with their own reason, because they make two names look alike on screen.
 */
public final class RouteName {
  /** The suffix every route name carries. */
  public static final String SUFFIX = ".localhost";

  private static final int MAX = 253;

  private RouteName() {}

  /** Returns {@code text} lower-cased when it is a valid route name, else throws the reason. */
  public static String check(String text) {
    if (text == null || text.isBlank()) {
      throw RouteException.bad(
          "name: empty (expected a name under .localhost, e.g. api.localhost)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (invisible(c)) {
        throw RouteException.bad(
            "name "
                + Numbers.printable(text)
                + ": contains a control, bidirectional or zero-width character (U+"
                + String.format(Locale.ROOT, "%04X", (int) c)
                + ")");
      }
    }
    String name = text.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
      throw RouteException.bad(
          "name "
              + text
              + ": not under .localhost (only *.localhost resolves to this machine by itself;"
              + " try "
              + suggestion(name)
              + ")");
    }
    if (name.length() > MAX) {
      throw RouteException.bad("name: longer than " + MAX + " characters");
    }
    for (String label : name.split("\\.", -1)) {
      checkLabel(text, label);
    }
    return name;
  }

  private static void checkLabel(String text, String label) {
    if (label.isEmpty() || label.length() > 63) {
      throw RouteException.bad("name " + text + ": each label must have 1 to 63 characters");
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      throw RouteException.bad("name " + text + ": a label must not start or end with '-'");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        throw RouteException.bad(
            "name " + text + ": '" + c + "' is not allowed (letters a-z, digits, '-' and '.')");
      }
    }
  }

  private static String suggestion(String name) {
    String head = name.isEmpty() ? "app" : name.split("\\.")[0];
    return (head.isEmpty() ? "app" : head) + SUFFIX;
  }

  /** Returns whether {@code c} is a control, bidirectional-control or zero-width character. */
  static boolean invisible(char c) {
    return Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT // ZWSP..ZWJ, LRM/RLM, LRE..RLO, LRI..PDI, BOM
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u034F'; // combining grapheme joiner: invisible, not FORMAT
  }
}
