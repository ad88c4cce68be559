package dev.porthole.cli.docs;

import java.util.Locale;

/** Escapes text for troff's man macros, so help text prints as written. */
final class Roff {
  private Roff() {}

  /**
   * Returns {@code text} safe inside a man page line: backslashes and hyphens escaped (an unescaped
   * hyphen may print as a Unicode dash, which breaks copy-pasted options), and a leading dot or
   * apostrophe guarded so troff does not read the line as a request. Characters beyond ASCII
   * (the help text's dashes and ellipses) become {@code \[uXXXX]}: troff reads its input as Latin-1
   * unless a preprocessor converts it, and man pages are read by more than man-db.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\\') {
                out.append("\\e");
              } else if (c == '-') {
                out.append("\\-");
              } else if (c > 127) {
                out.append(String.format(Locale.ROOT, "\\[u%04X]", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    if (out.length() > 0 && (out.charAt(0) == '.' || out.charAt(0) == '\'')) {
      out.insert(0, "\\&");
    }
    return out.toString();
  }

  /** Returns {@code text} in bold: {@code \fB...\fR}. */
  static String bold(String text) {
    return "\\fB" + escape(text) + "\\fR";
  }

  /** Returns {@code text} in italics (underlined on a terminal): {@code \fI...\fR}. */
  static String italic(String text) {
    return "\\fI" + escape(text) + "\\fR";
  }
}
