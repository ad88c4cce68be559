package dev.porthole.attribution;

import java.util.ArrayList;
import java.util.List;

/** Returns what the command-line parsers share: program names, option values, host:port splits. */
final class Argv {
  private Argv() {}

  /** Returns the last path element of {@code arg}: "/usr/bin/ssh" becomes "ssh". */
  static String base(String arg) {
    int slash = arg.lastIndexOf('/');
    return slash < 0 ? arg : arg.substring(slash + 1);
  }

  /** Returns true when {@code argv[0]}'s base name is {@code program} or starts with it + "-". */
  static boolean runs(List<String> argv, String program) {
    if (argv.isEmpty()) {
      return false;
    }
    String base = base(argv.getFirst());
    return base.equals(program);
  }

  /**
   * Returns the value of {@code --name VALUE}, {@code --name=VALUE} or (when {@code shortName} is
   * not null) {@code -n VALUE} / {@code -nVALUE}; null when absent.
   */
  static String option(List<String> argv, String longName, String shortName) {
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals(longName) || (shortName != null && a.equals(shortName))) {
        return i + 1 < argv.size() ? argv.get(i + 1) : null;
      }
      if (a.startsWith(longName + "=")) {
        return a.substring(longName.length() + 1);
      }
      if (shortName != null && a.startsWith(shortName) && a.length() > shortName.length()) {
        if (!a.startsWith("--")) {
          return a.substring(shortName.length());
        }
      }
    }
    return null;
  }

  /** Returns every value of a repeated {@code --name VALUE} / {@code --name=VALUE}. */
  static List<String> options(List<String> argv, String longName) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals(longName) && i + 1 < argv.size()) {
        values.add(argv.get(++i));
      } else if (a.startsWith(longName + "=")) {
        values.add(a.substring(longName.length() + 1));
      }
    }
    return values;
  }

  /** Returns the index of {@code word} in {@code argv}, or -1. */
  static int indexOf(List<String> argv, String word) {
    return argv.indexOf(word);
  }

  /**
   * Splits "a:b:c" at colons outside square brackets, so "[::1]:8080:db:5432" gives "::1", "8080",
   * "db", "5432".
   */
  static List<String> colonFields(String text) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ':' && depth == 0) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /** Returns {@code text} as a port, or -1 when it is not one. */
  static int port(String text) {
    if (text == null || text.isEmpty() || text.length() > 5) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return -1;
      }
    }
    int p = Integer.parseInt(text);
    return p >= 1 && p <= 65535 ? p : -1;
  }
}
