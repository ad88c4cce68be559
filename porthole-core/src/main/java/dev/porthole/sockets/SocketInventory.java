package dev.porthole.sockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Returns every TCP and UDP socket of this machine's network namespace with the processes that hold
 * it, read from {@code /proc} (root path injectable, for fixtures).
 *
 * <pre>{@code
 * SocketSnapshot now = SocketInventory.system().snapshot(false); // listeners only
 * }</pre>
 */
public final class SocketInventory {
  private static final String[][] FILES = {
    {"net/tcp", "TCP", "4"},
    {"net/tcp6", "TCP", "6"},
    {"net/udp", "UDP", "4"},
    {"net/udp6", "UDP", "6"}
  };

  private final Path procRoot;
  private final ProcessScanner processes;

  public SocketInventory(Path procRoot, UserNames users) {
    this.procRoot = procRoot;
    this.processes = new ProcessScanner(procRoot, users);
  }

  public SocketInventory(Path procRoot) {
    this(procRoot, UserNames.system());
  }

  /** Returns the inventory of this machine ({@code /proc}). */
  public static SocketInventory system() {
    return new SocketInventory(Path.of("/proc"));
  }

  /**
   * Returns this machine's sockets that {@code which} accepts: from {@code /proc} on Linux, else
   * through {@code lsof}, whose snapshot carries a note naming the columns it cannot fill.
   */
  public static SocketSnapshot snapshotAnywhere(Predicate<SocketEntry> which) {
    return snapshotAnywhere(LineFilter.ALL, which);
  }

  /**
   * Returns this machine's sockets that {@code quick} and then {@code which} accept; {@code quick}
   * runs before a {@code /proc/net} line is parsed, which makes a one-port question or a listeners
   * list cheap on a machine with many connections.
   */
  public static SocketSnapshot snapshotAnywhere(LineFilter quick, Predicate<SocketEntry> which) {
    if (Files.isReadable(Path.of("/proc/net/tcp"))) {
      return system().snapshot(quick, which);
    }
    return LsofInventory.snapshot(s -> quick.test(s.localPort(), s.state()) && which.test(s));
  }

  /**
   * Returns the listeners, plus established connections when {@code includeConnections}. With
   * connections every socket needs its owner, so the fd scan runs on a second core while this one
   * reads and parses {@code /proc/net} (the kernel takes tens of ms to print 10,000 sockets).
   */
  public SocketSnapshot snapshot(boolean includeConnections) {
    if (!includeConnections) {
      return snapshot(LineFilter.LISTENERS, SocketEntry::listening);
    }
    CompletableFuture<ProcessScanner.Owners> owners =
        CompletableFuture.supplyAsync(processes::findAllOwners);
    try {
      return read(LineFilter.ALL, s -> true, wanted -> owners.join());
    } finally {
      owners.cancel(false);
    }
  }

  /**
   * Returns the sockets that {@code which} accepts, with their owners. A narrow filter is cheaper:
   * only the accepted sockets' inodes are looked up.
   */
  public SocketSnapshot snapshot(Predicate<SocketEntry> which) {
    return read(LineFilter.ALL, which, processes::findOwners);
  }

  /**
   * Returns the sockets that {@code quick} (tested before parsing a line) and {@code which} accept.
   */
  public SocketSnapshot snapshot(LineFilter quick, Predicate<SocketEntry> which) {
    return read(quick, which, processes::findOwners);
  }

  private SocketSnapshot read(
      LineFilter quick,
      Predicate<SocketEntry> which,
      Function<Set<Long>, ProcessScanner.Owners> findOwners) {
    List<String> notes = new ArrayList<>();
    List<SocketEntry> entries = new ArrayList<>();
    int skipped = 0;
    int missingFiles = 0;
    for (String[] file : FILES) {
      Protocol protocol = Protocol.valueOf(file[1]);
      boolean ipv6 = file[2].equals("6");
      String text;
      try {
        text = Files.readString(procRoot.resolve(file[0]), StandardCharsets.ISO_8859_1);
      } catch (NoSuchFileException e) {
        missingFiles++;
        if (ipv6) {
          notes.add(
              "IPv6 "
                  + protocol.label()
                  + " sockets not shown: "
                  + e.getFile()
                  + " is missing (IPv6 disabled?)");
        }
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + procRoot.resolve(file[0]), e);
      }
      ProcNetParser.Result parsed = ProcNetParser.parse(text, protocol, ipv6, quick);
      if (parsed.skipped() > 0) {
        skipped += parsed.skipped();
        notes.add(
            parsed.skipped()
                + " malformed line(s) in "
                + procRoot.resolve(file[0])
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
    if (missingFiles == FILES.length) {
      throw new UncheckedIOException(
          new NoSuchFileException(
              procRoot.resolve("net/tcp").toString(),
              null,
              "no /proc/net socket tables here (not Linux?)"));
    }
    return join(entries, notes, skipped, findOwners);
  }

  private SocketSnapshot join(
      List<SocketEntry> entries,
      List<String> notes,
      int skipped,
      Function<Set<Long>, ProcessScanner.Owners> findOwners) {
    Set<Long> inodes = new HashSet<>();
    for (SocketEntry e : entries) {
      if (e.inode() != 0) { // inode 0: TIME_WAIT and other sockets no process holds any more
        inodes.add(e.inode());
      }
    }
    ProcessScanner.Owners owners = findOwners.apply(inodes);
    Map<Integer, ProcessInfo> infos = new HashMap<>();
    List<OwnedSocket> result = new ArrayList<>(entries.size());
    int unowned = 0;
    for (SocketEntry e : entries) {
      List<Integer> pids = owners.pidsByInode().getOrDefault(e.inode(), List.of());
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
    if (unowned > 0 && owners.unreadableProcesses() > 0) {
      notes.add(
          unowned
              + " socket(s) show owner '?': "
              + owners.unreadableProcesses()
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
