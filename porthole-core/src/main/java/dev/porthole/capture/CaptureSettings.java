package dev.porthole.capture;

/**
 * Returns how much a {@link CaptureRecorder} keeps.
 *
 * @param bodyLimit bytes of each HTTP body kept (the true size is always recorded); 0 keeps none
 * @param streamLimit bytes of each direction of a stream kept as chunks (for pcap and previews)
 * @param backlogBytes copied bytes allowed to wait for the decoder thread; beyond it copies are
 *     dropped (and counted) rather than slowing the proxy
 * @param heldBytes bytes of open connections' chunks and finished exchanges held at most, all
 *     together, until their records are handed on; beyond it a record keeps fewer of them (each
 *     exchange is still published and counted)
 */
public record CaptureSettings(int bodyLimit, int streamLimit, long backlogBytes, long heldBytes) {
  /** Returns the default per-body limit: 64 KiB. */
  public static final int DEFAULT_BODY_LIMIT = 64 * 1024;

  /**
   * Returns the default per-direction stream limit: 256 KiB (beyond, links are usually spliced).
   */
  public static final int DEFAULT_STREAM_LIMIT = 256 * 1024;

  /** Returns the most the default {@link #heldBytes} is: 32 MiB. */
  public static final long MAX_HELD = 32L * 1024 * 1024;

  /** Returns the most the default decoder backlog is: 64 MiB. */
  public static final long MAX_BACKLOG = 64L * 1024 * 1024;

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
    if (heldBytes <= 0) {
      throw new IllegalArgumentException("heldBytes: " + heldBytes + " (expected: > 0)");
    }
  }

  /**
   * Returns the defaults. The backlog is at most an eighth of the heap (and {@link #MAX_BACKLOG}),
   * what open connections hold a sixteenth (and {@link #MAX_HELD}): the daemon's heap is bounded
   * (128 MiB by default), and a recording that filled it would stall the proxy in full collections
   * instead of dropping and counting. Held is half of what may wait for the store (an eighth), so
   * that all open connections may close at once without a record dropped.
   */
  public static CaptureSettings defaults() {
    long share = heapShare();
    return new CaptureSettings(
        DEFAULT_BODY_LIMIT,
        DEFAULT_STREAM_LIMIT,
        Math.min(MAX_BACKLOG, share),
        Math.min(MAX_HELD, share / 2));
  }

  /** Returns an eighth of the heap's maximum: what each of the capture's buffers may take. */
  public static long heapShare() {
    return Math.max(1024 * 1024, Runtime.getRuntime().maxMemory() / 8);
  }

  /** Returns these settings with another body limit. */
  public CaptureSettings withBodyLimit(int limit) {
    return new CaptureSettings(limit, streamLimit, backlogBytes, heldBytes);
  }

  /** Returns these settings with another bound on what open connections hold. */
  public CaptureSettings withHeldBytes(long bytes) {
    return new CaptureSettings(bodyLimit, streamLimit, backlogBytes, bytes);
  }

  /** Returns these settings with another decoder backlog. */
  public CaptureSettings withBacklogBytes(long bytes) {
    return new CaptureSettings(bodyLimit, streamLimit, bytes, heldBytes);
  }
}
