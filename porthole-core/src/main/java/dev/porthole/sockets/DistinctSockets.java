package dev.porthole.sockets;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sockets of one reading of a table, each once. Under churn the kernel can list a socket twice
 * in one read of {@code /proc/net/tcp6}: the text is made a page at a time, and a socket that moves
 * in its hash chain between two pages comes again (a sock_diag dump resumes the same way between
 * datagrams). A socket is known by its inode; one without (inode 0: TIME_WAIT, an orphan still
 * closing, a half-open request) by its addresses and ports. The later row wins, as the newer state,
 * in the place of the first.
 */
final class DistinctSockets {
  /** A socket without an inode: a TCP connection is one 4-tuple. */
  private record FourTuple(InetAddress local, int localPort, InetAddress remote, int remotePort) {}

  private final List<SocketEntry> entries = new ArrayList<>();
  // Where each socket sits in entries, by its inode (a Long) or its FourTuple.
  private final Map<Object, Integer> at = new HashMap<>();

  /** Adds {@code e}, or replaces the row of the same socket read before. */
  void add(SocketEntry e) {
    Object key =
        e.inode() != 0
            ? (Object) e.inode()
            : new FourTuple(e.localAddress(), e.localPort(), e.remoteAddress(), e.remotePort());
    Integer first = at.putIfAbsent(key, entries.size());
    if (first == null) {
      entries.add(e);
    } else {
      entries.set(first, e);
    }
  }

  /** Returns the sockets in the order they were first read. */
  List<SocketEntry> list() {
    return entries;
  }
}
