package dev.porthole.proxy;

/**
 * Returns why a control-plane request was refused, with Toxiproxy's message and a kind the API maps
 * to a status code. Nothing was changed when it is thrown.
 */
public final class ProxyException extends RuntimeException {
  /** Returns what kind of refusal this is; the HTTP API maps each to a status code. */
  public enum Kind {
    /** The request is malformed or asks for something impossible (HTTP 400). */
    BAD_REQUEST,
    /** The proxy or toxic does not exist (HTTP 404). */
    NOT_FOUND,
    /** The name is taken (HTTP 409). */
    CONFLICT,
    /**
     * The listen address cannot be parsed or resolved, or is not this machine's, in Go's words
     * (HTTP 400; Toxiproxy answers 500, a status no client tells apart from a crash).
     */
    LISTEN,
    /** Something else listens on the address (HTTP 409; Toxiproxy answers 500). */
    IN_USE,
    /**
     * The bind failed for a reason that is not the request's (out of file descriptors, the engine
     * shutting down): HTTP 500, with the reason.
     */
    FAILED
  }

  private final Kind kind;

  public ProxyException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static ProxyException bad(String message) {
    return new ProxyException(Kind.BAD_REQUEST, message);
  }

  static ProxyException listen(String message) {
    return new ProxyException(Kind.LISTEN, message);
  }

  static ProxyException proxyNotFound() {
    return new ProxyException(Kind.NOT_FOUND, "proxy not found");
  }

  static ProxyException toxicNotFound() {
    return new ProxyException(Kind.NOT_FOUND, "toxic not found");
  }
}
