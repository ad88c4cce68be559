package dev.porthole.cli;

import dev.porthole.text.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Returns a positive {@link Duration} from {@code 200ms}, {@code 30s}, {@code 2m} on the command
 * line, in the one grammar of {@link Durations}; {@link ErrorHandler} puts the option's name in
 * front of the message.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parsePositive(value, Converters.WHAT);
    } catch (IllegalArgumentException e) {
      throw Converters.of(e);
    }
  }
}
