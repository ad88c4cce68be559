package dev.porthole.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Returns JSON text for {@code --json} output: indented, records by their component names. */
public final class Json {
  // Created on first use only: the table path of a short command never pays for Jackson.
  private static final class Holder {
    static final ObjectWriter WRITER =
        JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build()
            .writerWithDefaultPrettyPrinter();
  }

  private Json() {}

  /** Returns {@code value} as indented JSON. */
  public static String write(Object value) {
    try {
      return Holder.WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
