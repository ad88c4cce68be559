package dev.porthole.cli;

import dev.porthole.text.Numbers;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The number converters of every command: picocli's own accept any Unicode digit ({@code who ٨٠٠٠}
 * would mean port 8000), these read ASCII digits only through {@link Numbers}.
 *
 * <p>Converters do not know which option they convert, so they say what is wrong with the value
 * and {@link ErrorHandler} puts the option's name in front.
 */
public final class Converters {
  /** The name converters give {@link Numbers} and {@code Durations}; replaced by the option's. */
  static final String WHAT = "value";

  /** The largest magnitude a number option takes: 18 digits, as {@link Numbers} reads. */
  public static final long LONGEST = 999_999_999_999_999_999L;

  private Converters() {}

  /** Registers the ASCII-only number converters on {@code cmd} and every subcommand it has. */
  static void register(CommandLine cmd) {
    ITypeConverter<Integer> ints =
        text ->
            whole(text, () -> Numbers.parseInt(text, WHAT, Integer.MIN_VALUE, Integer.MAX_VALUE));
    ITypeConverter<Long> longs =
        text -> whole(text, () -> Numbers.parseLong(text, WHAT, -LONGEST, LONGEST));
    ITypeConverter<Double> decimals =
        text -> convert(() -> Numbers.parseDecimal(text, WHAT, -LONGEST, LONGEST));
    cmd.registerConverter(Integer.class, ints);
    cmd.registerConverter(int.class, ints);
    cmd.registerConverter(Long.class, longs);
    cmd.registerConverter(long.class, longs);
    cmd.registerConverter(java.nio.file.Path.class, Converters::path);
    cmd.registerConverter(Double.class, decimals);
    cmd.registerConverter(double.class, decimals);
  }

  /** Returns the conversion error for a core parser's error, without the placeholder name. */
  static TypeConversionException of(IllegalArgumentException e) {
    String message = e.getMessage() == null ? "invalid" : e.getMessage();
    String prefix = WHAT + ": ";
    return new TypeConversionException(
        message.startsWith(prefix) ? message.substring(prefix.length()) : message);
  }

  /** Returns a port, 1 to 65535, for options and parameters that name one. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return Converters.convert(() -> Numbers.port(text, WHAT));
    }
  }

  /** Returns a port to bind, 0 (any free port) to 65535. */
  public static final class PortOrZero implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return Converters.convert(() -> Numbers.portOrZero(text, WHAT));
    }
  }

  /** Returns a toxicity, 0 to 1, for {@code --toxicity}. */
  public static final class Toxicity implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      return Converters.convert(() -> Numbers.parseDecimal(text, WHAT, 0, 1));
    }
  }

  /** Returns a path; picocli's own message would be a Java exception's. */
  private static java.nio.file.Path path(String text) {
    try {
      return java.nio.file.Path.of(text);
    } catch (java.nio.file.InvalidPathException e) {
      throw new TypeConversionException(
          "'" + Numbers.printable(text) + "' (expected: a file path; " + e.getReason() + ")");
    }
  }

  /** Converts a whole number, saying "a whole number" rather than the type's whole range. */
  private static <T> T whole(String text, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'" + Numbers.printable(text) + "' (expected: a whole number in ASCII digits)");
    }
  }

  private static <T> T convert(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw of(e);
    }
  }
}
