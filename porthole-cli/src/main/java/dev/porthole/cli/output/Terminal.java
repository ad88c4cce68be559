package dev.porthole.cli.output;

/**
 * Returns whether output goes to a person at a terminal, and styles text for one.
 *
 * <p>Colour is on only when standard output is a terminal, {@code NO_COLOR} is unset or empty,
 * {@code TERM} is not {@code dumb}, and {@code --no-color} was not given. The launcher tells the
 * JVM whether stdout is a terminal ({@code -Dporthole.tty}), because {@code System.console()} on
 * JDK 22+ answers for stdin and stdout together.
 */
public record Terminal(boolean interactive, boolean colour) {
  private static final String RESET = "\u001b[0m";

  /** Returns the terminal as detected from the environment. */
  public static Terminal detect(boolean noColorFlag) {
    boolean tty = isTty();
    String noColor = System.getenv("NO_COLOR");
    boolean colour =
        tty
            && !noColorFlag
            && (noColor == null || noColor.isEmpty())
            && !"dumb".equals(System.getenv("TERM"));
    return new Terminal(tty, colour);
  }

  /** Returns a terminal that never styles: for tests and redirected output. */
  public static Terminal plain() {
    return new Terminal(false, false);
  }

  private static boolean isTty() {
    String prop = System.getProperty("porthole.tty");
    if (prop != null) {
      return Boolean.parseBoolean(prop);
    }
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Console.isTerminal() exists from JDK 22; compiled for 21, so looked up at run time.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21 returns a console only for a terminal
    }
  }

  public String bold(String s) {
    return style("1", s);
  }

  public String dim(String s) {
    return style("2", s);
  }

  public String red(String s) {
    return style("31", s);
  }

  public String green(String s) {
    return style("32", s);
  }

  public String yellow(String s) {
    return style("33", s);
  }

  public String cyan(String s) {
    return style("36", s);
  }

  private String style(String code, String s) {
    return colour ? "\u001b[" + code + "m" + s + RESET : s;
  }

  /** Returns the number of columns a string takes on screen, ignoring ANSI escapes. */
  public static int width(String s) {
    if (s.indexOf('\u001b') < 0) {
      return s.codePointCount(0, s.length()); // the common case, and fast for Latin-1 text
    }
    int width = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        while (i < s.length() && s.charAt(i) != 'm') {
          i++;
        }
      } else if (!Character.isLowSurrogate(c)) {
        width++;
      }
    }
    return width;
  }
}
