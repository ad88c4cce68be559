package dev.porthole.checks;

/**
 * Returns one line of {@code porthole doctor}'s checklist.
 *
 * @param id a stable name for scripts ("loopback", "hosts", "firewall", …)
 * @param status how it stands
 * @param summary what was found, one line
 * @param fix what to do, one line; null when nothing needs doing
 */
public record DoctorItem(String id, Status status, String summary, String fix) {

  /** Returns how an item stands. */
  public enum Status {
    /** Fine. */
    OK,
    /** Works, but something may bite. */
    WARN,
    /** Broken: something will fail. */
    FAIL,
    /** Not checked; the summary says why. */
    SKIPPED
  }

  static DoctorItem ok(String id, String summary) {
    return new DoctorItem(id, Status.OK, summary, null);
  }

  static DoctorItem warn(String id, String summary, String fix) {
    return new DoctorItem(id, Status.WARN, summary, fix);
  }

  static DoctorItem fail(String id, String summary, String fix) {
    return new DoctorItem(id, Status.FAIL, summary, fix);
  }

  static DoctorItem skipped(String id, String summary) {
    return new DoctorItem(id, Status.SKIPPED, summary, null);
  }
}
