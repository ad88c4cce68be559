package dev.porthole.watch;

import java.util.Locale;

/**
 * Returns a service that must be listening; the watcher raises {@code down} when it is not.
 *
 * @param name how events name it; the port when left out
 * @param protocol "tcp" (the default) or "udp"
 * @param process the process name that must hold it, or null for any
 */
public record ExpectedService(String name, int port, String protocol, String process) {
  public ExpectedService {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    protocol = protocol == null ? "tcp" : protocol.strip().toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("protocol: '" + protocol + "' (expected: tcp, udp)");
    }
    name = name == null || name.isBlank() ? protocol + "/" + port : name.strip();
  }

  /** Returns true when {@code l} provides this service. */
  public boolean providedBy(Listener l) {
    return l.port() == port
        && l.protocol().label().equals(protocol)
        && (process == null || (l.owner() != null && Glob.matches(process, l.owner().name())));
  }
}
