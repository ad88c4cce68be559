package dev.porthole.ports;

import dev.porthole.store.Store;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Returns one port per project name, the same every time: the first call picks a port that is free
 * on IPv4 and IPv6 and records it in the store; later calls return the recorded port, whether or
 * not it is free at the time (the caller says who holds it, porthole never hands out another).
 *
 * <p>A port is never given to two names (the table's UNIQUE constraint), and the choice is made
 * under the store's write lock ({@code BEGIN IMMEDIATE}), so processes asking at the same moment
 * get distinct ports. The search starts at a point derived from the name, so a name tends to get
 * the same port on every machine with the same range.
 *
 * <p>The ephemeral range is not skipped (Linux's default, 32768-60999, covers the default range
 * whole): {@link #ephemeralOverlap} tells the caller, who shows how to reserve the ports.
 *
 * <pre>{@code
 * StablePorts ports = new StablePorts(store, FreePorts.loopback(), StablePorts.DEFAULT_RANGE);
 * int port = ports.assign("myapp-api").port();
 * }</pre>
 */
public final class StablePorts {
  /** Outside the Linux (32768-60999) and IANA (49152-65535) ephemeral ranges, mostly. */
  public static final PortRange DEFAULT_RANGE = new PortRange(40000, 48999);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Store store;
  private final FreePorts free;
  private final PortRange range;

  /**
   * Returns the name-to-port table of one store, choosing new ports inside {@code range}.
   *
   * @param free decides what "free" means: the addresses probed
   */
  public StablePorts(Store store, FreePorts free, PortRange range) {
    if (store == null || free == null || range == null) {
      throw new IllegalArgumentException("store, free, range: null");
    }
    this.store = store;
    this.free = free;
    this.range = range;
  }

  /**
   * Returns a name's port.
   *
   * @param assignedNow true when this call chose it
   * @param created when the name got its port, ISO-8601 UTC
   */
  public record Assignment(String name, int port, String created, boolean assignedNow) {}

  /** Returns {@code name} if it is a valid project name, else throws a one-line reason. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "NAME: '"
              + dev.porthole.text.Numbers.printable(name)
              + "' (expected: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    }
    return name;
  }

  /**
   * Returns the port of {@code name}, choosing and recording one when the name has none.
   *
   * @throws IllegalStateException when no port of the range is free and unassigned
   */
  public Assignment assign(String name) {
    checkName(name);
    return store.immediateTransaction(
        c -> {
          Optional<Assignment> known = find(name);
          if (known.isPresent()) {
            return known.get();
          }
          int port = choose(name);
          long now = System.currentTimeMillis();
          store.execute(
              "INSERT INTO port_names(name, port, created_ms) VALUES (?, ?, ?)", name, port, now);
          return new Assignment(name, port, Instant.ofEpochMilli(now).toString(), true);
        });
  }

  /** Returns the port of {@code name}, if it has one; never assigns. */
  public Optional<Assignment> find(String name) {
    return store
        .query(
            "SELECT name, port, created_ms FROM port_names WHERE name = ?",
            rs -> assignment(rs.getString(1), rs.getInt(2), rs.getLong(3)),
            name)
        .stream()
        .findFirst();
  }

  /** Returns every name with its port, ordered by port. */
  public List<Assignment> list() {
    return store.query(
        "SELECT name, port, created_ms FROM port_names ORDER BY port",
        rs -> assignment(rs.getString(1), rs.getInt(2), rs.getLong(3)));
  }

  /** Forgets {@code name}'s port, so it may go to another name; returns false if it had none. */
  public boolean release(String name) {
    return store.execute("DELETE FROM port_names WHERE name = ?", name) > 0;
  }

  /**
   * Returns the part of {@code range} inside the kernel's ephemeral range, where an outgoing
   * connection may take a port, or null when they do not overlap.
   */
  public static PortRange ephemeralOverlap(PortRange range, EphemeralRange ephemeral) {
    int first = Math.max(range.first(), ephemeral.first());
    int last = Math.min(range.last(), ephemeral.last());
    return first <= last ? new PortRange(first, last) : null;
  }

  private int choose(String name) {
    Set<Integer> taken =
        new HashSet<>(store.query("SELECT port FROM port_names", rs -> rs.getInt(1)));
    int size = range.size();
    int start = Math.floorMod(name.hashCode(), size);
    for (int i = 0; i < size; i++) {
      int port = range.first() + (start + i) % size;
      if (!taken.contains(port) && !BrowserPorts.blocked(port) && free.isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port left in "
            + range
            + " ("
            + taken.size()
            + " assigned; release some with 'porthole port --release NAME' or widen --range)");
  }

  private static Assignment assignment(String name, int port, long createdMs) {
    return new Assignment(name, port, Instant.ofEpochMilli(createdMs).toString(), false);
  }
}
