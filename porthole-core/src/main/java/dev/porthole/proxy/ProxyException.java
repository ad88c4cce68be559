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
     * The listen address cannot be parsed, resolved or bound, in Go's words: Toxiproxy answers
     * these with 500 (its clients expect that), porthole's own API with 400.
     */
    LISTEN
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
