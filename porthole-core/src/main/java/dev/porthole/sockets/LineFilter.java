package dev.porthole.sockets;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Returns whether a socket is worth building, judged by the two fields read in place before
 * anything is copied: the local port and the state. On a machine with 10,000 connections, "who
 * holds 62893" or "what listens" then parses a handful of {@code /proc/net} lines instead of all of
 * them; over netlink, {@link #states()} and {@link #firstPort()}..{@link #lastPort()} go to the
 * kernel, which then sends (and formats) no other socket.
 */
@FunctionalInterface
public interface LineFilter {
  /** Every line. */
  LineFilter ALL = (port, state) -> true;

  /** TCP listeners and unconnected UDP sockets. */
  LineFilter LISTENERS =
      of(EnumSet.of(SocketState.LISTEN, SocketState.UNCONN), (port, state) -> state.listening());

  /** Returns true to parse the line with this local port and state. */
  boolean test(int localPort, SocketState state);

  /** Returns every state this filter can accept (the kernel's state filter); the default is all. */
  default Set<SocketState> states() {
    return EnumSet.allOf(SocketState.class);
  }

  /** Returns the lowest local port this filter can accept (the kernel's port filter): 0 for any. */
  default int firstPort() {
    return 0;
  }

  /** Returns the highest local port this filter can accept: 65535 for any. */
  default int lastPort() {
    return 65535;
  }

  /** Returns true when this filter accepts any local port as far as the kernel is told. */
  default boolean anyPort() {
    return firstPort() <= 0 && lastPort() >= 65535;
  }

  /** Returns a filter on the local port only, which the kernel cannot see (see {@link #port}). */
  static LineFilter ports(IntPredicate localPorts) {
    return (port, state) -> localPorts.test(port);
  }

  /**
   * Returns a filter on local ports from {@code first} to {@code last} (inclusive, told to the
   * kernel) that {@code localPorts} also accepts (tested here, for a set the span only bounds).
   */
  static LineFilter ports(int first, int last, IntPredicate localPorts) {
    return new Declared(
        Set.copyOf(EnumSet.allOf(SocketState.class)),
        first,
        last,
        (port, state) -> port >= first && port <= last && localPorts.test(port));
  }

  /** Returns a filter on one local port, which the kernel applies too: "who holds 5432". */
  static LineFilter port(int port) {
    return ports(port, port, p -> true);
  }

  /** Returns a filter that both this and {@code other} accept. */
  default LineFilter and(LineFilter other) {
    Set<SocketState> both = EnumSet.noneOf(SocketState.class);
    both.addAll(states());
    both.retainAll(other.states());
    // Disjoint spans leave first > last: a span no port is in, which the kernel honours too.
    return new Declared(
        Set.copyOf(both),
        Math.max(firstPort(), other.firstPort()),
        Math.min(lastPort(), other.lastPort()),
        (port, state) -> test(port, state) && other.test(port, state));
  }

  /** Returns {@code test}, declared to accept no state outside {@code states}. */
  static LineFilter of(Set<SocketState> states, LineFilter test) {
    return new Declared(Set.copyOf(states), 0, 65535, test);
  }

  /** A test with the states and the span of ports it was declared to accept, and no others. */
  record Declared(Set<SocketState> states, int firstPort, int lastPort, LineFilter accepts)
      implements LineFilter {
    @Override
    public boolean test(int localPort, SocketState state) {
      return states.contains(state) && accepts.test(localPort, state);
    }
  }
}
