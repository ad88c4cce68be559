package dev.porthole.proxy;

/** Returns a short, one-line text for a socket error (no class names, no stack). */
final class ErrorText {
  private ErrorText() {}

  /** Returns a BindException when the address is in use, else an IOException, both one line. */
  static java.io.IOException bindError(java.net.InetSocketAddress listen, Throwable cause) {
    String where = "listen " + listen.getAddress().getHostAddress() + ":" + listen.getPort();
    String text = of(cause);
    // By its text, not its type: the JDK's BindException also says "Cannot assign requested
    // address" (an address not on this machine), which is no conflict.
    if (text.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
      java.net.BindException e = new java.net.BindException(where + ": address already in use");
      e.initCause(cause);
      return e;
    }
    return new java.io.IOException(where + ": " + text, cause);
  }

  static String of(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    // Netty prefixes native errors with the syscall ("finishConnect(..) failed with error(-111): ").
    String text = message.replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
    // ... and suffixes the address ("Connection refused: /127.0.0.1:8080"): the caller has it.
    return text.replaceAll("\\s*\\R\\s*", " ").replaceFirst(": [^ ]*/[^ ]+$", "").strip();
  }
}
