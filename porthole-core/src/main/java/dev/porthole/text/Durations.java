package dev.porthole.text;

import java.time.Duration;

/**
 * The one duration grammar of porthole: every flag, API field and policy key that takes a duration
 * reads it here, so {@code 1h30m} means the same everywhere.
 *
 * <p>A duration is one or more parts, each ASCII digits followed by a unit: {@code ms}, {@code s},
 * {@code m}, {@code h}, {@code d} (e.g. {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h30m},
 * {@code 1d}). Units must appear from largest to smallest, at most once each. Surrounding white
 * space is trimmed; anything else (signs, decimals, non-ASCII digits, inner spaces) is refused. A
 * bare number is refused unless the caller names a default unit, and no duration may exceed
 * {@link #MAX} unless the caller gives its own bound.
 */
public final class Durations {
  /** The longest duration accepted unless a caller says otherwise: 366 days. */
  public static final Duration MAX = Duration.ofDays(366);

  private static final String EXAMPLES = "a duration like 250ms, 30s, 2m, 1h30m, 1d";
  private static final String[] UNITS = {"d", "h", "m", "s", "ms"};

  private Durations() {}

  /**
   * Returns the duration in {@code text}; the {@link IllegalArgumentException} message is one line
   * that starts with {@code what} (the user's flag or field, e.g. {@code --timeout}).
   */
  public static Duration parse(String text, String what) {
    return parse(text, what, null, MAX);
  }

  /**
   * Returns the duration in {@code text}, where a bare number means {@code bareUnit} (one of ms, s,
   * m, h, d; null refuses a bare number), bounded by {@code max}.
   */
  public static Duration parse(String text, String what, String bareUnit, Duration max) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw bad(what, text, EXAMPLES);
    }
    if (allDigits(t)) {
      if (bareUnit == null) {
        throw bad(what, text, EXAMPLES + "; a bare number needs a unit");
      }
      t = t + bareUnit;
    }
    Duration total = Duration.ZERO;
    int at = 0;
    int lastUnit = -1;
    while (at < t.length()) {
      int digitsEnd = at;
      while (digitsEnd < t.length() && isAsciiDigit(t.charAt(digitsEnd))) {
        digitsEnd++;
      }
      int unitEnd = digitsEnd;
      while (unitEnd < t.length() && t.charAt(unitEnd) >= 'a' && t.charAt(unitEnd) <= 'z') {
        unitEnd++;
      }
      if (digitsEnd == at || unitEnd == digitsEnd || digitsEnd - at > 12) {
        throw bad(what, text, EXAMPLES);
      }
      int unit = unitIndex(t.substring(digitsEnd, unitEnd));
      if (unit < 0 || unit <= lastUnit) {
        throw bad(what, text, EXAMPLES);
      }
      lastUnit = unit;
      long n = Long.parseLong(t, at, digitsEnd, 10);
      Duration part = part(n, UNITS[unit]);
      if (part == null || part.compareTo(max) > 0) {
        throw tooLong(what, text, max);
      }
      total = total.plus(part);
      at = unitEnd;
    }
    if (total.compareTo(max) > 0) {
      throw tooLong(what, text, max);
    }
    return total;
  }

  /**
   * Returns the duration in {@code text}, refusing zero: for intervals, timeouts and waits where 0
   * would mean "never" or "spin".
   */
  public static Duration parsePositive(String text, String what) {
    Duration d = parse(text, what);
    if (d.isZero()) {
      throw new IllegalArgumentException(what + ": '" + text.strip() + "' (expected: more than 0)");
    }
    return d;
  }

  /** Returns a duration in the grammar {@link #parse} reads, shortest form: 90s → "1m30s". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long[] sizes = {86_400_000, 3_600_000, 60_000, 1000, 1};
    for (int i = 0; i < sizes.length; i++) {
      long n = ms / sizes[i];
      if (n > 0) {
        sb.append(n).append(UNITS[i]);
        ms -= n * sizes[i];
      }
    }
    return sb.toString();
  }

  private static Duration part(long n, String unit) {
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static int unitIndex(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean allDigits(String t) {
    for (int i = 0; i < t.length(); i++) {
      if (!isAsciiDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException bad(String what, String text, String expected) {
    return new IllegalArgumentException(
        what + ": '" + Numbers.printable(text) + "' (expected: " + expected + ")");
  }

  private static IllegalArgumentException tooLong(String what, String text, Duration max) {
    return new IllegalArgumentException(
        what + ": '" + Numbers.printable(text.strip()) + "' (expected: at most " + format(max) + ")");
  }
}
