package dev.porthole.sockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Returns every TCP and UDP socket of this machine's network namespace with the processes that hold
 * it: sockets over netlink sock_diag (or {@code /proc/net} where netlink is unavailable, and for
 * fixtures under another root), holders from {@code /proc/PID/fd} through an {@link OwnerCache}.
 * Thread-safe.
 *
 * <pre>{@code
 * SocketSnapshot now = SocketInventory.system().snapshot(false); // listeners only
 * }</pre>
 */
public final class SocketInventory {
  private static final Protocol[] PROTOCOLS = {
    Protocol.TCP, Protocol.TCP, Protocol.UDP, Protocol.UDP
  };

  private final SocketTables tables;
  private final ProcessScanner processes;
  private final OwnerCache owners;

  /** Creates an inventory reading {@code tables} and the processes under {@code procRoot}. */
  public SocketInventory(Path procRoot, UserNames users, SocketTables tables) {
    this.tables = tables;
    this.processes = new ProcessScanner(procRoot, users);
    this.owners = new OwnerCache(processes);
  }

  /**
   * Creates an inventory of {@code procRoot}: this machine's tables (netlink when it works) for
   * {@code /proc}, the {@code net/*} text files under any other root (fixtures).
   */
  public SocketInventory(Path procRoot, UserNames users) {
    this(
        procRoot,
        users,
        procRoot.equals(Path.of("/proc")) ? SocketTables.system() : SocketTables.procNet(procRoot));
  }

  public SocketInventory(Path procRoot) {
    this(procRoot, UserNames.system());
  }

  /** Returns the inventory of this machine ({@code /proc}). */
  public static SocketInventory system() {
    return new SocketInventory(Path.of("/proc"));
  }

  /** Returns where this inventory reads sockets from: "netlink" or "/proc/net". */
  public String source() {
    return tables.source();
  }

  /**
   * Returns this machine's sockets that {@code which} accepts: from the kernel on Linux, else
   * through {@code lsof}, whose snapshot carries a note naming the columns it cannot fill.
   */
  public static SocketSnapshot snapshotAnywhere(Predicate<SocketEntry> which) {
    return snapshotAnywhere(LineFilter.ALL, which);
  }

  /**
   * Returns this machine's sockets that {@code quick} and then {@code which} accept; {@code quick}
   * runs before a socket is built (and its states go to the kernel over netlink), which makes a
   * one-port question or a listeners list cheap on a machine with many connections. Asked once, it
   * reads netlink through FFM or {@code /proc/net} (see {@link SocketTables#forOneQuestion}).
   */
  public static SocketSnapshot snapshotAnywhere(LineFilter quick, Predicate<SocketEntry> which) {
    if (SocketTables.readable()) {
      return new SocketInventory(
              Path.of("/proc"), UserNames.system(), SocketTables.forOneQuestion(quick))
          .snapshot(quick, which);
    }
    return LsofInventory.snapshot(s -> quick.test(s.localPort(), s.state()) && which.test(s));
  }

  /**
   * Returns the listeners, plus every other socket when {@code includeConnections}. A snapshot
   * after the first reads fds only for sockets (or processes) it has not seen before.
   */
  public SocketSnapshot snapshot(boolean includeConnections) {
    if (!includeConnections) {
      return snapshot(LineFilter.LISTENERS, SocketEntry::listening);
    }
    return snapshot(LineFilter.ALL, s -> true);
  }

  /**
   * Returns the sockets that {@code which} accepts, with their owners. A narrow filter is cheaper:
   * only the accepted sockets' inodes are looked up.
   */
  public SocketSnapshot snapshot(Predicate<SocketEntry> which) {
    return snapshot(LineFilter.ALL, which);
  }

  /**
   * Returns the sockets that {@code quick} (tested before a socket is built) and {@code which}
   * accept.
   */
  public SocketSnapshot snapshot(LineFilter quick, Predicate<SocketEntry> which) {
    List<String> notes = new ArrayList<>();
    ProcNetParser.Result[] read;
    try {
      read = tables.readAll(quick);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    int size = 0;
    for (ProcNetParser.Result parsed : read) {
      size += parsed == null ? 0 : parsed.entries().size();
    }
    List<SocketEntry> entries = new ArrayList<>(size);
    int skipped = 0;
    int missing = 0;
    for (int t = 0; t < PROTOCOLS.length; t++) {
      Protocol protocol = PROTOCOLS[t];
      boolean ipv6 = t % 2 == 1;
      ProcNetParser.Result parsed = read[t];
      if (parsed == null) {
        missing++;
        if (ipv6) {
          notes.add(
              "IPv6 "
                  + protocol.label()
                  + " sockets not shown: "
                  + tables.where(protocol, true)
                  + " is missing (IPv6 disabled?)");
        }
        continue;
      }
      if (parsed.skipped() > 0) {
        skipped += parsed.skipped();
        notes.add(
            parsed.skipped()
                + " malformed line(s) in "
                + tables.where(protocol, ipv6)
                + " skipped ("
                + parsed.firstProblem()
                + ")");
      }
      for (SocketEntry entry : parsed.entries()) {
        if (which.test(entry)) {
          entries.add(entry);
        }
      }
    }
    if (missing == PROTOCOLS.length) {
      throw new UncheckedIOException(
          new NoSuchFileException(
              tables.where(Protocol.TCP, false), null, "no socket tables here (not Linux?)"));
    }
    return join(entries, notes, skipped);
  }

  private SocketSnapshot join(List<SocketEntry> entries, List<String> notes, int skipped) {
    Set<Long> inodes = new HashSet<>();
    for (SocketEntry e : entries) {
      if (e.inode() != 0) { // inode 0: TIME_WAIT and other sockets no process holds any more
        inodes.add(e.inode());
      }
    }
    Map<Long, List<Integer>> pidsByInode;
    int unreadable;
    synchronized (owners) {
      pidsByInode = owners.owners(inodes);
      unreadable = owners.unreadableProcesses();
    }
    Map<Integer, ProcessInfo> infos = new HashMap<>();
    List<OwnedSocket> result = new ArrayList<>(entries.size());
    int unowned = 0;
    for (SocketEntry e : entries) {
      List<Integer> pids = pidsByInode.getOrDefault(e.inode(), List.of());
      List<ProcessInfo> holders = new ArrayList<>(pids.size());
      for (int pid : pids) {
        ProcessInfo info = infos.computeIfAbsent(pid, processes::read);
        if (info != null) {
          holders.add(info);
        }
      }
      if (holders.isEmpty() && e.inode() != 0) {
        unowned++;
      }
      result.add(new OwnedSocket(e, holders));
    }
    if (unowned > 0 && unreadable > 0) {
      notes.add(
          unowned
              + " socket(s) show owner '?': "
              + unreadable
              + (ProcessScanner.root()
                  ? " process(es) hide their fds even from root (kernel ptrace rules, e.g. a"
                      + " sandbox's PID 1)"
                  : " process(es) of other users cannot be read without root (try sudo)"));
    } else if (unowned > 0) {
      notes.add(
          unowned
              + " socket(s) show owner '?': no process visible here holds them (the"
              + " kernel, or a process outside this PID namespace such as a container's host)");
    }
    return new SocketSnapshot(result, notes, skipped);
  }
}
