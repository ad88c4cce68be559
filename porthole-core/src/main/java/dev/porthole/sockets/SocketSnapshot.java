package dev.porthole.sockets;

import java.util.List;

/**
 * Returns every socket seen at one moment, with what could not be read.
 *
 * @param notes one sentence per limitation (unreadable processes, skipped /proc lines), for people
 * @param skippedLines malformed or truncated /proc/net lines: counted, never silently dropped
 */
public record SocketSnapshot(List<OwnedSocket> sockets, List<String> notes, int skippedLines) {
  public SocketSnapshot {
    sockets = List.copyOf(sockets);
    notes = List.copyOf(notes);
  }

  /** Returns the TCP listeners and unconnected UDP sockets. */
  public List<OwnedSocket> listeners() {
    return sockets.stream().filter(s -> s.socket().listening()).toList();
  }

  /** Returns every socket whose local port is {@code port}. */
  public List<OwnedSocket> onPort(int port) {
    return sockets.stream().filter(s -> s.socket().localPort() == port).toList();
  }
}
