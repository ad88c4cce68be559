package dev.porthole.http1;

import java.util.List;

/** One HTTP header line, in the order and case it was sent. */
public record Header(String name, String value) {
  /** Returns the first value of header {@code name} (case-insensitive) in {@code headers}. */
  public static String first(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }
}
