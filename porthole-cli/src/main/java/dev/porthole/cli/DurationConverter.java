package dev.porthole.cli;

import dev.porthole.checks.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Returns a {@link Duration} from {@code 200ms}, {@code 30s}, {@code 2m} on the command line. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      Duration d = Durations.parse(value);
      if (d.isZero()) {
        throw new TypeConversionException("duration '" + value + "': must be more than 0");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
