package dev.porthole.proxy;

/** Returns a short, one-line text for a socket error (no class names, no stack). */
final class ErrorText {
  private ErrorText() {}

  static String of(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    // Netty prefixes native errors with the syscall ("connect(..) failed: Connection refused").
    int colon = message.indexOf("failed: ");
    String text = colon >= 0 ? message.substring(colon + 8) : message;
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
