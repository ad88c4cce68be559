package dev.porthole.server;

/**
 * Ends a request with an HTTP status and a one-line message, rendered as Toxiproxy's error body
 * {@code {"error":"<message>","status":<code>}}.
 *
 * <p>Handlers throw it for every expected failure; the daemon turns it into the response, so bad
 * input never becomes a 500.
 */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }
    this.status = status;
  }

  /** Returns the HTTP status code. */
  public int status() {
    return status;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, message);
  }
}
