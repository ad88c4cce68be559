package dev.porthole.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Answers 503 with {@code Retry-After} until the daemon has restored every stored proxy.
 *
 * <p>The API port listens before the restore so that a second daemon on the same port fails before
 * it touches any proxy; in that window an answer would be wrong ({@code GET /proxies} empty, a
 * {@code POST} of a stored name created anew). Nothing runs behind a closed gate, so no create or
 * update can race the restore.
 */
final class StartupGate implements Handler {
  /** Seconds a client is told to wait; restoring hundreds of proxies takes well under one. */
  static final String RETRY_AFTER = "1";

  private volatile boolean open;

  /** Lets every request through from now on. */
  void open() {
    open = true;
  }

  @Override
  public void handle(Context ctx) {
    if (!open) {
      ctx.header("Retry-After", RETRY_AFTER);
      throw new ApiError(503, "porthole is restoring its stored proxies; retry in a moment");
    }
  }
}
