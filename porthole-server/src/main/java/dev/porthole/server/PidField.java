package dev.porthole.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.text.Numbers;

/**
 * Returns the {@code pid} a request body names to confirm which process an action is for (the
 * dashboard's kill, a quarantine's release): missing and malformed are different mistakes, so they
 * get different reasons.
 */
public final class PidField {
  /** The kernel's ceiling for {@code /proc/sys/kernel/pid_max} on 64-bit Linux (2^22). */
  static final int MAX_PID = 4_194_304;

  private PidField() {}

  /**
   * Returns the body's {@code pid}; {@code purpose} follows the "missing" reason, e.g. " (the
   * quarantined process, to confirm)".
   */
  public static int of(JsonNode body, String purpose) {
    JsonNode pid = body.get("pid");
    if (pid == null || pid.isNull()) {
      throw ApiError.badRequest("missing required field: pid" + purpose);
    }
    String text = pid.isIntegralNumber() ? pid.asText() : pid.toString(); // "12" is not 12
    try {
      return Numbers.parseInt(text, "pid", 1, MAX_PID);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }
}
