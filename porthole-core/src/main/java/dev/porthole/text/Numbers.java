package dev.porthole.text;

/**
 * The one number grammar of porthole's command lines, API fields and policy files: ASCII digits
 * only, so {@code ٨٠٠٠} or {@code ８０００} is never read as port 8000 (as {@link
 * Long#parseLong} would), with the range checked and named in the error.
 *
 * <p>Surrounding white space is trimmed; a leading {@code -} is allowed only where the range allows
 * negative numbers; {@code +}, decimals, separators and inner spaces are refused.
 */
public final class Numbers {
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?|-?\\.[0-9]{1,15}");

  private Numbers() {}

  /**
   * Returns the integer in {@code text}, within {@code min..max}; the {@link
   * IllegalArgumentException} message is one line that starts with {@code what}.
   */
  public static long parseLong(String text, String what, long min, long max) {
    String t = text == null ? "" : text.strip();
    int start = t.startsWith("-") && min < 0 ? 1 : 0;
    boolean ok = t.length() > start && t.length() - start <= 18;
    for (int i = start; ok && i < t.length(); i++) {
      ok = Durations.isAsciiDigit(t.charAt(i));
    }
    if (!ok) {
      throw new IllegalArgumentException(
          what + ": '" + printable(text) + "' (expected: a whole number from " + min + " to " + max
              + ")");
    }
    long n = Long.parseLong(t);
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          what + ": " + n + " (expected: " + min + " to " + max + ")");
    }
    return n;
  }

  /** Returns the integer in {@code text}, within {@code min..max}. */
  public static int parseInt(String text, String what, int min, int max) {
    return (int) parseLong(text, what, min, max);
  }

  /** Returns the TCP/UDP port in {@code text}, 1 to 65535. */
  public static int port(String text, String what) {
    return parseInt(text, what, 1, 65535);
  }

  /** Returns the port in {@code text}, 0 (meaning "any free port") to 65535. */
  public static int portOrZero(String text, String what) {
    return parseInt(text, what, 0, 65535);
  }

  /**
   * Returns the decimal number in {@code text} ({@code 0.5}, {@code 2}, {@code -1.25}), within
   * {@code min..max}: ASCII digits with at most one point, no exponent, {@code NaN} or {@code
   * Infinity} (all of which {@link Double#parseDouble} takes, as it takes {@code 1d}).
   */
  public static double parseDecimal(String text, String what, double min, double max) {
    String t = text == null ? "" : text.strip();
    if (!DECIMAL.matcher(t).matches() || (t.startsWith("-") && min >= 0)) {
      throw new IllegalArgumentException(
          what + ": '" + printable(text) + "' (expected: a number from " + plain(min) + " to "
              + plain(max) + ")");
    }
    double n = Double.parseDouble(t);
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          what + ": " + t + " (expected: " + plain(min) + " to " + plain(max) + ")");
    }
    return n;
  }

  private static String plain(double d) {
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** Returns {@code text} with control and invisible characters shown as escapes, for errors. */
  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), 80));
    for (int i = 0; i < text.length() && sb.length() < 80; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.length() < text.length() && text.length() > 80 ? sb + "…" : sb.toString();
  }
}
