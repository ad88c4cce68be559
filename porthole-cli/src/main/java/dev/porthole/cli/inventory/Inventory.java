package dev.porthole.cli.inventory;

import dev.porthole.attribution.Attributor;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ErrorHandler;
import dev.porthole.cli.ExitCodes;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.SocketEntry;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.UserNames;
import dev.porthole.text.Numbers;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Returns what the inventory commands share: taking a snapshot, port arguments, holder lines. */
public final class Inventory {
  private static final UserNames USERS = UserNames.system();

  /** Sorts rows the way people scan them: by port, then protocol, then address. */
  static final Comparator<SocketRow> ORDER = Inventory::compare;

  private Inventory() {}

  // Written out rather than chained Comparator lambdas: sorting 10,000 rows runs in C1 code.
  private static int compare(SocketRow a, SocketRow b) {
    int c = Integer.compare(a.port(), b.port());
    c = c != 0 ? c : a.proto().compareTo(b.proto());
    c = c != 0 ? c : Integer.compare(a.ipVersion(), b.ipVersion());
    c = c != 0 ? c : a.localAddress().compareTo(b.localAddress());
    if (c != 0 || a.remoteAddress() == null || b.remoteAddress() == null) {
      return c != 0 ? c : Boolean.compare(a.remoteAddress() != null, b.remoteAddress() != null);
    }
    c = a.remoteAddress().compareTo(b.remoteAddress());
    return c != 0 ? c : Integer.compare(a.remotePort(), b.remotePort());
  }

  /** Returns the sockets {@code which} accepts; an unreadable /proc ends the command (exit 3). */
  static SocketSnapshot snapshot(Predicate<SocketEntry> which) {
    return snapshot(LineFilter.ALL, which);
  }

  /** Returns the sockets {@code quick} (checked before parsing a line) and {@code which} accept. */
  static SocketSnapshot snapshot(LineFilter quick, Predicate<SocketEntry> which) {
    try {
      return SocketInventory.snapshotAnywhere(quick, which);
    } catch (UncheckedIOException e) {
      throw new CliException(ExitCodes.FAILURE, ErrorHandler.describe(e.getCause()), e);
    }
  }

  /** Returns the snapshot's sockets as sorted rows, listeners attributed to their origin. */
  static List<SocketRow> rows(SocketSnapshot snapshot, boolean withService) {
    return rows(snapshot, withService, Attributor.system());
  }

  /**
   * Returns the snapshot's sockets as sorted rows, each listener's origin named by {@code
   * attributor} (whose notes then say what it could not learn).
   */
  static List<SocketRow> rows(SocketSnapshot snapshot, boolean withService, Attributor attributor) {
    List<SocketRow> rows = new ArrayList<>(snapshot.sockets().size());
    for (OwnedSocket s : snapshot.sockets()) {
      rows.add(
          SocketRow.of(
              s, withService, USERS::name, s.socket().listening() ? attributor.origin(s) : null));
    }
    rows.sort(ORDER);
    return rows;
  }

  /** Returns {@code text} as a port number, or ends the command with a usage error (exit 2). */
  static int port(String text) {
    return port(text, "port");
  }

  /** Returns {@code text} as a port number; a usage error names {@code what} ("--near"). */
  static int port(String text, String what) {
    try {
      return Numbers.port(text, what);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * Returns who holds the rows, one clause per process: "python3 (PID 4242, user root) on tcp
   * 127.0.0.1 [loopback], tcp ::1 [loopback]".
   */
  static String holders(List<SocketRow> rows) {
    Map<String, List<String>> byHolder = new LinkedHashMap<>();
    for (SocketRow row : rows) {
      byHolder.computeIfAbsent(row.holder(), k -> new ArrayList<>()).add(row.where());
    }
    List<String> clauses = new ArrayList<>();
    byHolder.forEach((holder, where) -> clauses.add(holder + " on " + String.join(", ", where)));
    return String.join("; ", clauses);
  }

  /** Returns the snapshot's notes followed by the attributor's. */
  static List<String> notes(SocketSnapshot snapshot, Attributor attributor) {
    List<String> notes = new ArrayList<>(snapshot.notes());
    notes.addAll(attributor.notes());
    return notes;
  }

  /**
   * Returns who listens on {@code port} (TCP or UDP, any address) as {@link #holders} words it, or
   * null when nothing does: for commands outside this package that must name a holder.
   */
  public static String listenersOn(int port) {
    List<SocketRow> rows =
        rows(snapshot(LineFilter.port(port).and(LineFilter.LISTENERS), s -> true), false);
    return rows.isEmpty() ? null : holders(rows);
  }

  /** Prints each note as one line on stderr, after the answer. */
  static void printNotes(PrintWriter err, List<String> notes) {
    for (String note : notes) {
      err.println("note: " + note);
    }
    err.flush();
  }
}
