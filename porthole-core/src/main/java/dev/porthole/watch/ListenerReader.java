package dev.porthole.watch;

import dev.porthole.attribution.Attributor;
import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.DockerEngine;
import dev.porthole.attribution.Origin;
import dev.porthole.sockets.IpLiteral;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.OwnerCache;
import dev.porthole.sockets.ProcNetParser;
import dev.porthole.sockets.ProcessScanner;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SockDiag;
import dev.porthole.sockets.SocketEntry;
import dev.porthole.sockets.SocketTables;
import dev.porthole.sockets.UserNames;
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
import java.util.function.Supplier;

/**
 * Returns the listeners of this machine with their owners, cheaply enough to run every second.
 *
 * <p>Each call asks the kernel for listening sockets only over netlink sock_diag (a machine with
 * 10,000 connections has few listeners, and the kernel's state filter keeps the rest in the
 * kernel); where netlink is unavailable it re-reads {@code /proc/net/{tcp,tcp6,udp,udp6}} and
 * parses only the lines in a listening state. Owners come from an {@link OwnerCache} (fd scan only
 * for new inodes) and details from a {@link ProcessDetailsReader} (cached by pid and start time).
 * Origins are named once per socket inode: a cycle that sees a new listener makes one {@link
 * Attributor}, which asks the container engine at most once. Not thread-safe: one watcher thread
 * owns it.
 */
public final class ListenerReader {
  private static final String[] FILES = {"net/tcp", "net/tcp6", "net/udp", "net/udp6"};

  private final Path procRoot;
  private final SocketTables netlink; // null: the /proc/net text, filtered here
  private final OwnerCache owners;
  private final ProcessDetailsReader details;
  private final Supplier<Attributor> attributors;
  private Map<Long, Origin> origins = new HashMap<>();

  public ListenerReader(Path procRoot, UserNames users, ProcessDetailsReader details) {
    this(
        procRoot,
        users,
        details,
        () -> new Attributor(procRoot, new ContainerLookup(DockerEngine.local())));
  }

  /** Creates a reader that names origins with a fresh attributor from {@code attributors}. */
  public ListenerReader(
      Path procRoot,
      UserNames users,
      ProcessDetailsReader details,
      Supplier<Attributor> attributors) {
    this.procRoot = procRoot;
    SocketTables system = procRoot.equals(Path.of("/proc")) ? SocketTables.system() : null;
    this.netlink = system != null && !(system instanceof SockDiag) ? null : system;
    this.owners = new OwnerCache(new ProcessScanner(procRoot, users));
    this.details = details;
    this.attributors = attributors;
  }

  /** Returns a reader of this machine's {@code /proc}. */
  public static ListenerReader system() {
    return new ListenerReader(Path.of("/proc"), UserNames.system(), ProcessDetailsReader.system());
  }

  /** Returns the owner cache, whose counters tell how much scanning the last call needed. */
  public OwnerCache ownerCache() {
    return owners;
  }

  /** Returns where the listeners come from: "netlink" or "/proc/net". */
  public String source() {
    return netlink == null ? "/proc/net" : netlink.source();
  }

  /** Returns every listener now, owners resolved. */
  public List<Listener> read() {
    List<SocketEntry> entries = netlink == null ? readProcNet() : readNetlink();
    Set<Long> inodes = new HashSet<>();
    for (SocketEntry e : entries) {
      if (e.inode() != 0) {
        inodes.add(e.inode());
      }
    }
    Map<Long, List<Integer>> pids = owners.owners(inodes);
    List<Listener> out = new ArrayList<>(entries.size());
    Map<Long, Origin> nextOrigins = new HashMap<>();
    Attributor attributor = null;
    for (SocketEntry e : entries) {
      ProcessDetails owner = null;
      for (int pid : pids.getOrDefault(e.inode(), List.of())) {
        owner = details.read(pid);
        if (owner != null) {
          break;
        }
      }
      if (owner == null && !pids.getOrDefault(e.inode(), List.of()).isEmpty()) {
        owners.forget(e.inode()); // its holder exited: look again next time
      }
      Origin origin = null;
      if (owner != null) {
        if (origins.containsKey(e.inode())) {
          origin = origins.get(e.inode());
        } else {
          attributor = attributor == null ? attributors.get() : attributor;
          origin = attributor.origin(owner.pid(), e.localPort());
        }
        nextOrigins.put(e.inode(), origin);
      }
      out.add(
          new Listener(
              e.protocol(),
              IpLiteral.format(e.localAddress()),
              e.localPort(),
              e.scope(),
              e.inode(),
              owner,
              origin));
    }
    origins = nextOrigins;
    details.endCycle();
    return out;
  }

  /** Reads the four /proc/net files, keeping only their listening lines before parsing. */
  private List<SocketEntry> readProcNet() {
    List<SocketEntry> entries = new ArrayList<>();
    for (String file : FILES) {
      Protocol protocol = file.contains("udp") ? Protocol.UDP : Protocol.TCP;
      byte[] text;
      try {
        text = Files.readAllBytes(procRoot.resolve(file));
      } catch (NoSuchFileException e) {
        continue; // IPv6 disabled
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + procRoot.resolve(file), e);
      }
      entries.addAll(
          ProcNetParser.parse(listening(text, protocol), protocol, file.endsWith("6")).entries());
    }
    return entries;
  }

  /** Asks the kernel for listeners only: connections never leave it (the reason for netlink). */
  private List<SocketEntry> readNetlink() {
    List<SocketEntry> entries = new ArrayList<>();
    for (Protocol protocol : Protocol.values()) {
      for (boolean ipv6 : new boolean[] {false, true}) {
        try {
          ProcNetParser.Result r = netlink.read(protocol, ipv6, LineFilter.LISTENERS);
          if (r != null) {
            entries.addAll(r.entries());
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + netlink.where(protocol, ipv6), e);
        }
      }
    }
    return entries;
  }

  /**
   * Returns only the lines whose state column says listening (TCP 0A, UDP 07), header dropped.
   * Works on the raw bytes: with 10,000 connections the file is ~1.5 MB, and decoding all of it to
   * keep a few hundred lines would be most of a cycle's cost.
   */
  static CharSequence listening(byte[] text, Protocol protocol) {
    byte hi = '0';
    byte lo = protocol == Protocol.TCP ? (byte) 'A' : (byte) '7';
    StringBuilder out = new StringBuilder();
    int length = text.length;
    int start = indexOf(text, (byte) '\n', 0, length) + 1; // after the header
    while (start > 0 && start < length) {
      int end = indexOf(text, (byte) '\n', start, length);
      if (end < 0) {
        end = length;
      }
      int st = stateAt(text, start, end);
      // A line without a 2-character 4th field passes through for the parser to count as skipped.
      if (st < 0 || (text[st] == hi && (text[st + 1] | 0x20) == (lo | 0x20))) {
        out.append(new String(text, start, end - start, StandardCharsets.ISO_8859_1)).append('\n');
      }
      start = end + 1;
    }
    return out;
  }

  /** Returns where the 4th blank-separated field starts if it is 2 characters long, else -1. */
  private static int stateAt(byte[] text, int start, int end) {
    int i = start;
    for (int field = 0; field < 3; field++) {
      while (i < end && text[i] == ' ') {
        i++;
      }
      while (i < end && text[i] != ' ') {
        i++;
      }
    }
    while (i < end && text[i] == ' ') {
      i++;
    }
    return i + 2 <= end && (i + 2 == end || text[i + 2] == ' ') ? i : -1;
  }

  private static int indexOf(byte[] text, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
