package dev.porthole.sockets;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Returns whether a socket is worth building, judged by the two fields read in place before
 * anything is copied: the local port and the state. On a machine with 10,000 connections, "who
 * holds 62893" or "what listens" then parses a handful of {@code /proc/net} lines instead of all of
 * them; over netlink, {@link #states()} goes to the kernel, which then sends no other socket.
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

  /** Returns a filter on the local port only. */
  static LineFilter ports(IntPredicate localPorts) {
    return (port, state) -> localPorts.test(port);
  }

  /** Returns a filter that both this and {@code other} accept. */
  default LineFilter and(LineFilter other) {
    Set<SocketState> both = EnumSet.noneOf(SocketState.class);
    both.addAll(states());
    both.retainAll(other.states());
    return of(both, (port, state) -> test(port, state) && other.test(port, state));
  }

  /** Returns {@code test}, declared to accept no state outside {@code states}. */
  static LineFilter of(Set<SocketState> states, LineFilter test) {
    Set<SocketState> copy = Set.copyOf(states);
    return new LineFilter() {
      @Override
      public boolean test(int localPort, SocketState state) {
        return copy.contains(state) && test.test(localPort, state);
      }

      @Override
      public Set<SocketState> states() {
        return copy;
      }
    };
  }
}
