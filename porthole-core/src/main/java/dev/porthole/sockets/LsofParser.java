package dev.porthole.sockets;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the field output of {@code lsof -nP -iTCP -iUDP -F pRcuLftPnT}, the inventory's source
 * where there is no {@code /proc/net} (macOS, the BSDs).
 *
 * <p>Each line starts with a field letter: {@code p} opens a process ({@code R} parent pid, {@code
 * c} name, {@code u} uid, {@code L} login), {@code f} opens one of its files ({@code t} IPv4/IPv6,
 * {@code P} TCP/UDP, {@code n} {@code local->remote}, {@code TST=} TCP state). A file that does not
 * fit is counted in {@link Result#skipped()}, as {@link ProcNetParser} does. lsof has no socket
 * inode that joins anything, so entries carry inode 0.
 */
public final class LsofParser {
  /** Returns the sockets parsed, and what was skipped. */
  public record Result(List<OwnedSocket> sockets, int skipped, String firstProblem) {}

  private LsofParser() {}

  /** Holds what the parse has seen so far: the open process and file, and the results. */
  private static final class State {
    final List<OwnedSocket> sockets = new ArrayList<>();
    String[] process; // pid, ppid, name, uid, login
    String[] file; // t, P, n, state
    int fileLine;
    int skipped;
    String problem;

    void skip(int line, String why) {
      skipped++;
      problem = problem != null ? problem : "line " + line + ": " + why;
    }
  }

  /** Parses the whole output of one lsof run. */
  public static Result parse(String text) {
    State state = new State();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : "f"; // a sentinel ends the last file
      if (line.isEmpty()) {
        continue;
      }
      char field = line.charAt(0);
      if ((field == 'f' || field == 'p') && state.file != null) {
        closeFile(state);
      }
      try {
        apply(state, field, line.substring(1), i + 1);
      } catch (RuntimeException e) {
        state.skip(i + 1, "bad field '" + line + "'");
      }
    }
    return new Result(state.sockets, state.skipped, state.problem);
  }

  private static void closeFile(State state) {
    try {
      ProcessInfo owner = owner(state.process);
      state.sockets.add(
          new OwnedSocket(entry(state.file, owner), owner == null ? List.of() : List.of(owner)));
    } catch (IllegalArgumentException e) {
      state.skip(state.fileLine, e.getMessage());
    }
    state.file = null;
  }

  private static void apply(State state, char field, String value, int lineNo) {
    switch (field) {
      case 'p' -> state.process = new String[] {digits(value), "0", "?", "-1", null};
      case 'R' -> state.process[1] = digits(value);
      case 'c' -> state.process[2] = value;
      case 'u' -> state.process[3] = digits(value);
      case 'L' -> state.process[4] = value;
      case 'f' -> {
        state.file = new String[4];
        state.fileLine = lineNo;
      }
      case 't' -> set(state.file, 0, value);
      case 'P' -> set(state.file, 1, value);
      case 'n' -> set(state.file, 2, value);
      case 'T' -> {
        if (value.startsWith("ST=")) {
          set(state.file, 3, value.substring(3));
        }
      }
      default -> {} // other fields (TQR, TQS, ...) carry nothing the inventory shows
    }
  }

  private static void set(String[] file, int index, String value) {
    if (file == null) {
      throw new IllegalArgumentException("field outside a file");
    }
    file[index] = value;
  }

  private static String digits(String value) {
    Integer.parseInt(value); // throws on anything but a number
    return value;
  }

  private static ProcessInfo owner(String[] p) {
    if (p == null) {
      return null;
    }
    int uid = Integer.parseInt(p[3]);
    String user = p[4] != null ? p[4] : uid >= 0 ? Integer.toString(uid) : "?";
    // lsof gives no command line: the name stands in for it.
    return new ProcessInfo(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2], p[2], uid, user);
  }

  private static SocketEntry entry(String[] file, ProcessInfo process) {
    if (file[0] == null || file[1] == null || file[2] == null) {
      throw new IllegalArgumentException("incomplete file (need t, P and n fields)");
    }
    boolean ipv6 = file[0].equals("IPv6");
    if (!ipv6 && !file[0].equals("IPv4")) {
      throw new IllegalArgumentException("unknown type " + file[0]);
    }
    Protocol protocol = Protocol.valueOf(file[1]);
    String[] ends = file[2].split("->", 2);
    Object[] local = endpoint(ends[0], ipv6);
    Object[] remote = ends.length > 1 ? endpoint(ends[1], ipv6) : new Object[] {any(ipv6), 0};
    SocketState state =
        file[3] != null
            ? SocketState.valueOf(state(file[3]))
            : ends.length > 1
                ? SocketState.ESTABLISHED
                : protocol == Protocol.UDP ? SocketState.UNCONN : SocketState.CLOSE;
    int uid = process == null ? -1 : process.uid();
    return new SocketEntry(
        protocol,
        ipv6,
        (InetAddress) local[0],
        (int) local[1],
        (InetAddress) remote[0],
        (int) remote[1],
        state,
        uid,
        0);
  }

  private static String state(String lsofState) {
    // lsof spells a few states differently from the kernel (macOS: CLOSED, FIN_WAIT_1).
    return switch (lsofState) {
      case "CLOSED" -> "CLOSE";
      case "FIN_WAIT_1" -> "FIN_WAIT1";
      case "FIN_WAIT_2" -> "FIN_WAIT2";
      case "SYN_RECEIVED" -> "SYN_RECV";
      default -> lsofState;
    };
  }

  /** Parses {@code 127.0.0.1:80}, {@code [::1]:80} or {@code *:80}; returns {address, port}. */
  private static Object[] endpoint(String text, boolean ipv6) {
    int colon = text.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("bad address " + text);
    }
    String host = text.substring(0, colon);
    String portText = text.substring(colon + 1);
    int port = portText.equals("*") ? 0 : Integer.parseInt(portText);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad port " + portText);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress address = host.equals("*") ? any(ipv6) : IpLiteral.parse(host);
    return new Object[] {address, port};
  }

  private static InetAddress any(boolean ipv6) {
    return IpLiteral.parse(ipv6 ? "::" : "0.0.0.0");
  }
}
