package dev.porthole.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the kernel's four socket tables (TCP and UDP, IPv4 and IPv6): over netlink sock_diag when
 * it works here, else from the {@code /proc/net} text files.
 */
public interface SocketTables {
  /**
   * Returns the sockets of one table that {@code quick} accepts, or null when this machine has no
   * such table (IPv6 disabled).
   */
  ProcNetParser.Result read(Protocol protocol, boolean ipv6, LineFilter quick) throws IOException;

  /**
   * Returns the four tables that {@code quick} accepts, in the order tcp, tcp6, udp, udp6, with a
   * null for a table this machine has not (see {@link #read}). One table after another here;
   * netlink reads both TCP tables in one walk of the kernel's ({@link SockDiag#readAll}).
   *
   * @throws IOException naming the table that could not be read
   */
  default ProcNetParser.Result[] readAll(LineFilter quick) throws IOException {
    ProcNetParser.Result[] out = new ProcNetParser.Result[4];
    for (int t = 0; t < out.length; t++) {
      Protocol protocol = t < 2 ? Protocol.TCP : Protocol.UDP;
      boolean ipv6 = t % 2 == 1;
      try {
        out[t] = read(protocol, ipv6, quick);
      } catch (IOException e) {
        throw new IOException("cannot read " + where(protocol, ipv6), e);
      }
    }
    return out;
  }

  /** Returns where the sockets come from, for people: "netlink" or "/proc/net". */
  String source();

  /** Returns where one table is read, for notes: "/proc/net/tcp6", "netlink tcp6". */
  default String where(Protocol protocol, boolean ipv6) {
    return source() + " " + protocol.label() + (ipv6 ? "6" : "");
  }

  /**
   * Returns this machine's tables for a reader that asks again and again: netlink unless it cannot
   * be opened here or the environment variable {@code PORTHOLE_SOCKETS} is {@code proc}, then
   * {@code /proc/net}.
   */
  static SocketTables system() {
    return SystemTables.get();
  }

  /**
   * Returns the tables for a question asked once (a CLI command) that {@code quick} filters:
   * netlink through FFM when the kernel's tables hold many sockets (as {@code /proc/net/sockstat}
   * counts them: {@link OneQuestion#MANY_FOR_LISTENERS} for a question about listeners only, else
   * {@link OneQuestion#MANY}), else {@code /proc/net}; {@code PORTHOLE_SOCKETS} overrides (see
   * {@link OneQuestion#choose}). Why the count: opening netlink costs a cold JVM a fixed ~50 ms of
   * CPU (the FFM linker and the first downcall handle, whose generated classes the AOT cache cannot
   * keep), and reading the text ~2-4 µs a socket (the kernel formats every line); with the kernel's
   * state and port filter, netlink costs little per socket a question does not ask about, and
   * nothing per connection when it asks for listeners (docs/benchmarks.md, branch whofilter).
   */
  static SocketTables forOneQuestion(LineFilter quick) {
    return OneQuestion.choose(System.getenv("PORTHOLE_SOCKETS"), Path.of("/proc"), quick);
  }

  /** Returns the {@code /proc/net} text tables under {@code procRoot}. */
  static SocketTables procNet(Path procRoot) {
    return new ProcNetTables(procRoot);
  }

  /** Returns true when the system tables are readable at all. */
  static boolean readable() {
    return Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /**
   * Returns why this machine's tables are not netlink ("PORTHOLE_SOCKETS=proc", the error), or null
   * when they are.
   */
  static String fallbackReason() {
    system();
    return SystemTables.reason;
  }

  /** Chooses the tables of a one-shot command. */
  final class OneQuestion {
    /**
     * The socket count from which netlink through FFM is cheaper than the text for a one-shot
     * question about connections too: {@code bench/inventory/who-busy.sh} put {@code who PORT}'s
     * crossover at ~25,000 sockets.
     */
    static final long MANY = 25_000;

    /**
     * The same for a question about listeners only ({@code info PORT}, {@code ports}), where the
     * kernel walks its listener table alone: the crossover of {@code info PORT} was ~10,000.
     */
    static final long MANY_FOR_LISTENERS = 10_000;

    private static SocketTables ffm; // guarded by OneQuestion.class

    private OneQuestion() {}

    /**
     * Returns the tables for {@code wanted} (the value of {@code PORTHOLE_SOCKETS}): {@code
     * netlink} this machine's kept tables (FFM, else JNA, else the text), {@code ffm} netlink
     * through FFM when it opens (else the text), {@code proc} the text files; unset (or anything
     * else), netlink through FFM when the tables under {@code procRoot} hold many sockets for
     * {@code quick}'s question (see {@link SocketTables#forOneQuestion}), else the text.
     */
    static SocketTables choose(String wanted, Path procRoot, LineFilter quick) {
      return switch (source(wanted, procRoot, quick)) {
        case "netlink" -> system();
        case "ffm" -> ffm(procRoot);
        default -> procNet(procRoot);
      };
    }

    /** Returns which tables {@link #choose} opens: "netlink", "ffm" or "proc". */
    static String source(String wanted, Path procRoot, LineFilter quick) {
      String w = wanted == null ? "" : wanted.toLowerCase(Locale.ROOT);
      if (w.equals("netlink")) {
        return "netlink";
      }
      if (w.equals("proc") || !NetlinkChannel.ffmAvailable()) {
        return "proc";
      }
      if (w.equals("ffm")) {
        return "ffm";
      }
      return SocketCount.of(procRoot) >= many(quick) ? "ffm" : "proc";
    }

    /** Returns the count from which netlink pays for {@code quick}'s question. */
    static long many(LineFilter quick) {
      boolean listenersOnly = true;
      for (SocketState state : quick.states()) {
        listenersOnly &= state.listening();
      }
      return listenersOnly ? MANY_FOR_LISTENERS : MANY;
    }

    private static synchronized SocketTables ffm(Path procRoot) {
      if (ffm == null) {
        try {
          ffm = SockDiag.openWithoutJna();
        } catch (IOException | RuntimeException e) {
          // A sandbox without netlink, or native access denied: the text has the same rows.
          ffm = procNet(procRoot);
        }
      }
      return ffm;
    }
  }

  /** Holds the one netlink socket a JVM opens, made on first use. */
  final class SystemTables {
    private static volatile SocketTables tables;
    private static volatile String reason;
    private static Opened netlink; // guarded by SystemTables.class

    private SystemTables() {}

    static SocketTables get() {
      SocketTables t = tables;
      if (t == null) {
        synchronized (SystemTables.class) {
          if (tables == null) {
            tables = choose(System.getenv("PORTHOLE_SOCKETS"));
          }
          t = tables;
        }
      }
      return t;
    }

    /**
     * Returns the tables for {@code wanted} (the value of {@code PORTHOLE_SOCKETS}): the text files
     * for {@code proc}, else the JVM's one netlink socket, opened on the first call and the same on
     * every later one (a socket per call would leak a file descriptor each time).
     */
    static SocketTables choose(String wanted) {
      if (wanted != null && wanted.toLowerCase(Locale.ROOT).equals("proc")) {
        reason = "PORTHOLE_SOCKETS=proc";
        return procNet(Path.of("/proc"));
      }
      Opened n = netlink();
      reason = n.reason();
      return n.tables();
    }

    /** Returns the kept netlink tables, or the text with why netlink did not open here. */
    private static synchronized Opened netlink() {
      if (netlink == null) {
        try {
          netlink = new Opened(SockDiag.open(), null); // kept for the JVM's life, one fd
        } catch (IOException e) {
          netlink = new Opened(procNet(Path.of("/proc")), e.getMessage());
        }
      }
      return netlink;
    }

    /** The outcome of opening netlink once: the tables, and why they are the text (or null). */
    private record Opened(SocketTables tables, String reason) {}
  }
}
