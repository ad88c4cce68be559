package dev.porthole.capture;

/**
 * Returns how much a {@link CaptureRecorder} keeps.
 *
 * @param bodyLimit bytes of each HTTP body kept (the true size is always recorded); 0 keeps none
 * @param streamLimit bytes of each direction of a stream kept as chunks (for pcap and previews)
 * @param backlogBytes copied bytes allowed to wait for the decoder thread; beyond it copies are
 *     dropped (and counted) rather than slowing the proxy
 */
public record CaptureSettings(int bodyLimit, int streamLimit, long backlogBytes) {
  /** Returns the default per-body limit: 64 KiB. */
  public static final int DEFAULT_BODY_LIMIT = 64 * 1024;

  /**
   * Returns the default per-direction stream limit: 256 KiB (beyond, links are usually spliced).
   */
  public static final int DEFAULT_STREAM_LIMIT = 256 * 1024;

  /** Returns how many bytes of open connections' streams are kept at most, all together. */
  public static final long KEPT_BYTES_LIMIT = 128L * 1024 * 1024;

  /** Returns the default decoder backlog: 64 MiB. */
  public static final long DEFAULT_BACKLOG = 64L * 1024 * 1024;

  public CaptureSettings {
    if (bodyLimit < 0) {
      throw new IllegalArgumentException("bodyLimit: " + bodyLimit + " (expected: >= 0)");
    }
    if (streamLimit < 0) {
      throw new IllegalArgumentException("streamLimit: " + streamLimit + " (expected: >= 0)");
    }
    if (backlogBytes <= 0) {
      throw new IllegalArgumentException("backlogBytes: " + backlogBytes + " (expected: > 0)");
    }
  }

  /** Returns the defaults. */
  public static CaptureSettings defaults() {
    return new CaptureSettings(DEFAULT_BODY_LIMIT, DEFAULT_STREAM_LIMIT, DEFAULT_BACKLOG);
  }

  /** Returns these settings with another body limit. */
  public CaptureSettings withBodyLimit(int limit) {
    return new CaptureSettings(limit, streamLimit, backlogBytes);
  }
}
