package dev.porthole.watch;

import dev.porthole.sockets.OwnerCache;
import dev.porthole.sockets.ProcNetParser;
import dev.porthole.sockets.ProcessScanner;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketEntry;
import dev.porthole.sockets.UserNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns the listeners of this machine with their owners, cheaply enough to run every second.
 *
 * <p>Each call re-reads {@code /proc/net/{tcp,tcp6,udp,udp6}} but parses only the lines in a
 * listening state (a machine with 10,000 connections has few listeners); owners come from an
 * {@link OwnerCache} (fd scan only for new inodes) and details from a {@link ProcessDetailsReader}
 * (cached by pid and start time). Not thread-safe: one watcher thread owns it.
 */
public final class ListenerReader {
  private static final String[] FILES = {"net/tcp", "net/tcp6", "net/udp", "net/udp6"};

  private final Path procRoot;
  private final OwnerCache owners;
  private final ProcessDetailsReader details;

  public ListenerReader(Path procRoot, UserNames users, ProcessDetailsReader details) {
    this.procRoot = procRoot;
    this.owners = new OwnerCache(new ProcessScanner(procRoot, users));
    this.details = details;
  }

  /** Returns a reader of this machine's {@code /proc}. */
  public static ListenerReader system() {
    return new ListenerReader(Path.of("/proc"), UserNames.system(), ProcessDetailsReader.system());
  }

  /** Returns the owner cache, whose counters tell how much scanning the last call needed. */
  public OwnerCache ownerCache() {
    return owners;
  }

  /** Returns every listener now, owners resolved. */
  public List<Listener> read() {
    List<SocketEntry> entries = new ArrayList<>();
    for (String file : FILES) {
      Protocol protocol = file.contains("udp") ? Protocol.UDP : Protocol.TCP;
      String text;
      try {
        text = Files.readString(procRoot.resolve(file), StandardCharsets.ISO_8859_1);
      } catch (NoSuchFileException e) {
        continue; // IPv6 disabled
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + procRoot.resolve(file), e);
      }
      entries.addAll(ProcNetParser.parse(listening(text, protocol), protocol, file.endsWith("6"))
          .entries());
    }
    Set<Long> inodes = new HashSet<>();
    for (SocketEntry e : entries) {
      if (e.inode() != 0) {
        inodes.add(e.inode());
      }
    }
    Map<Long, List<Integer>> pids = owners.owners(inodes);
    List<Listener> out = new ArrayList<>(entries.size());
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
      out.add(new Listener(e.protocol(), e.localAddress().getHostAddress(), e.localPort(),
          e.scope(), e.inode(), owner));
    }
    details.endCycle();
    return out;
  }

  /** Returns only the lines whose state column says listening (TCP 0A, UDP 07), header dropped. */
  static CharSequence listening(String text, Protocol protocol) {
    String wanted = protocol == Protocol.TCP ? "0A" : "07";
    StringBuilder out = new StringBuilder();
    int start = text.indexOf('\n') + 1; // the header
    int length = text.length();
    while (start < length) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = length;
      }
      if (stateIs(text, start, end, wanted)) {
        out.append(text, start, end).append('\n');
      }
      start = end + 1;
    }
    return out;
  }

  // The state is the 4th blank-separated field; a malformed line passes through for the parser to
  // count as skipped, rather than vanishing here.
  private static boolean stateIs(String text, int start, int end, String wanted) {
    int i = start;
    for (int field = 0; field < 3; field++) {
      while (i < end && text.charAt(i) == ' ') {
        i++;
      }
      while (i < end && text.charAt(i) != ' ') {
        i++;
      }
    }
    while (i < end && text.charAt(i) == ' ') {
      i++;
    }
    if (i + 2 > end) {
      return true;
    }
    boolean twoChars = i + 2 == end || text.charAt(i + 2) == ' ';
    return !twoChars || text.regionMatches(true, i, wanted, 0, 2);
  }
}
