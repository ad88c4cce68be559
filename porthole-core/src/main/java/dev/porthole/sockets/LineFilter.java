package dev.porthole.sockets;

import java.util.function.IntPredicate;

/**
 * Returns whether a {@code /proc/net} line is worth parsing, judged by the two fields read in place
 * before anything is copied: the local port and the state. On a machine with 10,000 connections,
 * "who holds 62893" or "what listens" then parses a handful of lines instead of all of them.
 */
@FunctionalInterface
public interface LineFilter {
  /** Every line. */
  LineFilter ALL = (port, state) -> true;

  /** TCP listeners and unconnected UDP sockets. */
  LineFilter LISTENERS = (port, state) -> state.listening();

  /** Returns true to parse the line with this local port and state. */
  boolean test(int localPort, SocketState state);

  /** Returns a filter on the local port only. */
  static LineFilter ports(IntPredicate localPorts) {
    return (port, state) -> localPorts.test(port);
  }

  /** Returns a filter that both this and {@code other} accept. */
  default LineFilter and(LineFilter other) {
    return (port, state) -> test(port, state) && other.test(port, state);
  }
}
