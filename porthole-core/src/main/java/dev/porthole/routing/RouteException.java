package dev.porthole.routing;

/** Ends a route operation with a one-line reason and what kind of failure it is. */
public final class RouteException extends RuntimeException {
  /** Returns what went wrong, so the API can pick a status and the CLI an exit code. */
  public enum Kind {
    /** The name or an upstream is malformed. */
    BAD_REQUEST,
    /** No route has that name. */
    NOT_FOUND,
    /** A route with that name exists already. */
    CONFLICT
  }

  private final Kind kind;

  public RouteException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static RouteException bad(String message) {
    return new RouteException(Kind.BAD_REQUEST, message);
  }

  /** Returns what kind of failure this is. */
  public Kind kind() {
    return kind;
  }
}
