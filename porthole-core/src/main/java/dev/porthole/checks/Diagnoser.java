package dev.porthole.checks;

import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.DockerEngine;
import dev.porthole.attribution.NamespaceListener;
import dev.porthole.attribution.NamespaceListeners;
import dev.porthole.attribution.NatTable;
import dev.porthole.attribution.PublishedPort;
import dev.porthole.attribution.PublishedPorts;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.SocketState;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Returns the diagnosis of a failed check: what the wire said ({@link Observation}) joined with
 * what the system knows (listeners and their processes, the ephemeral range, firewall rules).
 *
 * <p>A small rule table: the failure picks the family of rules, the inventory picks the rule. Each
 * rule lives in {@link Rules} and returns a {@link Diagnosis} in plain words with the fix.
 */
public final class Diagnoser {
  private final Supplier<SocketSnapshot> snapshot;
  private final EphemeralRange ephemeral;
  private final Supplier<FirewallRules> firewall;
  private final Supplier<List<NamespaceListener>> namespaces;
  private final Supplier<List<PublishedPort>> published;

  /**
   * Returns a diagnoser over the given facts; each supplier is called at most once, and only when a
   * rule needs it.
   */
  public Diagnoser(
      Supplier<SocketSnapshot> snapshot,
      EphemeralRange ephemeral,
      Supplier<FirewallRules> firewall) {
    this(snapshot, ephemeral, firewall, List::of);
  }

  /**
   * Returns a diagnoser that also looks into other network namespaces ({@code namespaces}, asked
   * only when nothing here listens on the port).
   */
  public Diagnoser(
      Supplier<SocketSnapshot> snapshot,
      EphemeralRange ephemeral,
      Supplier<FirewallRules> firewall,
      Supplier<List<NamespaceListener>> namespaces) {
    this(snapshot, ephemeral, firewall, namespaces, List::of);
  }

  /**
   * Returns a diagnoser that also knows the ports container engines publish ({@code published},
   * asked only when no socket but dockerd's holds the checked port).
   */
  public Diagnoser(
      Supplier<SocketSnapshot> snapshot,
      EphemeralRange ephemeral,
      Supplier<FirewallRules> firewall,
      Supplier<List<NamespaceListener>> namespaces,
      Supplier<List<PublishedPort>> published) {
    this.snapshot = memo(snapshot);
    this.ephemeral = ephemeral;
    this.firewall = memo(firewall);
    this.namespaces = memo(namespaces);
    this.published = memo(published);
  }

  /** Returns a diagnoser over this machine: its /proc, its ephemeral range, its firewall. */
  public static Diagnoser system(CommandRunner runner, int port) {
    Supplier<SocketSnapshot> snapshot =
        memo(
            () -> {
              try {
                // Only the port's sockets: the process scan stops once their owners are found.
                return SocketInventory.system().snapshot(s -> s.localPort() == port);
              } catch (RuntimeException e) {
                return null; // diagnoses then say the inventory could not be read
              }
            });
    ContainerLookup containers = new ContainerLookup(DockerEngine.local());
    return new Diagnoser(
        snapshot,
        EphemeralRange.system(),
        () -> FirewallRules.read(runner, port),
        () -> {
          try {
            return new NamespaceListeners(Path.of("/proc"), containers).read();
          } catch (RuntimeException e) {
            return List.of(); // unreadable /proc: the other rules still hold
          }
        },
        () ->
            PublishedPorts.join(
                containers.containers(), hostListeners(snapshot.get()), NatTable.system().read()));
  }

  private static List<PublishedPorts.HostListener> hostListeners(SocketSnapshot s) {
    return s == null
        ? List.of()
        : s.sockets().stream()
            .filter(o -> o.owner() != null && o.socket().state().listening())
            .map(
                o ->
                    new PublishedPorts.HostListener(
                        o.socket().protocol().label(),
                        o.socket().localPort(),
                        o.owner().pid(),
                        o.owner().name()))
            .toList();
  }

  /**
   * Returns how a container engine publishes the target's port by a DNAT rule, or null: only when
   * no socket but dockerd's (which reserves the port) listens there, so a normal check never asks
   * the engine or the nat table.
   */
  public Publication publication(Observation o) {
    PublishedPort p = dnat(o);
    return p == null ? null : Publication.of(p);
  }

  private PublishedPort dnat(Observation o) {
    int port = o.target().port();
    List<OwnedSocket> here = listeners(port);
    if (o.attempts().isEmpty()
        || here.stream().anyMatch(l -> l.owner() == null || !l.owner().name().equals("dockerd"))) {
      return null;
    }
    List<InetAddress> tried = o.attempts().stream().map(a -> address(a.address())).toList();
    return published.get().stream()
        .filter(p -> p.via().equals("dnat") && p.protocol().equals("tcp") && p.port() == port)
        .filter(p -> reaches(p.address(), tried))
        .findFirst()
        .orElse(null);
  }

  // A rule without -d (0.0.0.0 or ::) takes every local address; one with -d only its own.
  private static boolean reaches(String address, List<InetAddress> tried) {
    InetAddress a = address(address);
    return a.isAnyLocalAddress() || tried.contains(a);
  }

  /** Returns the diagnosis of a down target, or null when it is up. */
  public Diagnosis diagnose(Observation o) {
    if (o.up()) {
      return null;
    }
    Rules rules = new Rules(o, listeners(o.target().port()), firewall);
    if (o.resolution() != null
        && Rules.loopbackName(o.target().host())
        && o.resolution().offLoopback()) {
      return rules.offLoopback();
    }
    PublishedPort dnat =
        switch (o.failure()) {
          case REFUSED, CONNECT_TIMEOUT, UNREACHABLE -> dnat(o);
          default -> null;
        };
    if (dnat != null) {
      return PublishedDiagnosis.of(o.target().port(), dnat, o.failure());
    }
    return switch (o.failure()) {
      case UNRESOLVED -> rules.unresolved();
      case REFUSED -> refused(o, rules);
      case CONNECT_TIMEOUT -> rules.dropped();
      case UNREACHABLE -> rules.unreachable();
      case NO_ANSWER -> rules.noAnswer();
      case RESET -> rules.reset();
      case CLOSED -> rules.closed();
      case TLS_TO_PLAIN -> rules.tlsToPlain();
      case PLAIN_TO_TLS -> rules.plainToTls();
      case TLS_FAILED -> rules.tlsFailed();
      case NOT_HTTP -> rules.notHttp();
      case OTHER -> rules.unknown();
    };
  }

  /** Returns notes worth showing even though the target is up (e.g. one address refused). */
  public List<String> warnings(Observation o) {
    List<String> notes = new ArrayList<>();
    if (o.resolution() != null
        && Rules.loopbackName(o.target().host())
        && o.resolution().offLoopback()) {
      notes.add(o.target().host() + " resolves off loopback: " + o.resolution().jvmAddresses());
    }
    Resolution r = o.resolution();
    if (r != null && r.systemNote() == null && r.system().isEmpty() && !r.jvm().isEmpty()) {
      notes.add(
          "the system resolver (getent ahosts) does not resolve "
              + r.host()
              + "; the JVM does, but other programs will fail: check /etc/hosts (porthole doctor)");
    }
    if (o.up()) {
      for (Attempt a : o.attempts()) {
        if (!a.connected()) {
          notes.add(
              a.address()
                  + " failed ("
                  + a.error()
                  + ") before "
                  + o.connectedAddress()
                  + " connected: clients that try "
                  + a.address()
                  + " only (no fallback) will fail");
        }
      }
    }
    return notes;
  }

  private Diagnosis refused(Observation o, Rules rules) {
    List<OwnedSocket> listeners = rules.listeners;
    List<InetAddress> tried = o.attempts().stream().map(a -> address(a.address())).toList();
    List<OwnedSocket> covering = listeners.stream().filter(l -> covers(l, tried)).toList();
    if (!covering.isEmpty()) {
      return rules.rejected(covering);
    }
    boolean triedV4 = tried.stream().anyMatch(a -> !(a instanceof Inet6Address));
    boolean triedV6 = tried.stream().anyMatch(a -> a instanceof Inet6Address);
    for (OwnedSocket l : listeners) {
      InetAddress local = l.socket().localAddress();
      boolean v6 = local instanceof Inet6Address;
      if (local.isLoopbackAddress() && v6 && triedV4 && !triedV6) {
        return rules.wrongFamily(l, true);
      }
      boolean v4Wide =
          !v6 && (local.isAnyLocalAddress() || local.getHostAddress().equals("127.0.0.1"));
      if (v4Wide && triedV6 && !triedV4) {
        return rules.wrongFamily(l, false);
      }
    }
    if (!listeners.isEmpty()) {
      OwnedSocket l = listeners.get(0);
      return l.socket().localAddress().isLoopbackAddress()
          ? rules.otherLoopback(l)
          : rules.otherInterface(l);
    }
    int port = o.target().port();
    List<OwnedSocket> holders = rules.tcpSockets(snapshot.get(), port);
    if (!holders.isEmpty() && ephemeral.contains(port)) {
      return rules.ephemeralTaken(likeliestHolder(holders), ephemeral);
    }
    Diagnosis inside = NamespaceDiagnosis.of(port, namespaces.get());
    if (inside != null) {
      return inside;
    }
    return rules.nothingListens(snapshot.get(), ephemeral.contains(port));
  }

  private List<OwnedSocket> listeners(int port) {
    SocketSnapshot s = snapshot.get();
    return s == null
        ? List.of()
        : s.onPort(port).stream()
            .filter(l -> l.socket().state().listening() && l.socket().protocol() == Protocol.TCP)
            .toList();
  }

  /** Returns true when the listener accepts connections to one of the tried addresses. */
  static boolean covers(OwnedSocket listener, List<InetAddress> tried) {
    InetAddress local = listener.socket().localAddress();
    for (InetAddress a : tried) {
      if (local.equals(a)) {
        return true;
      }
      if (local.isAnyLocalAddress() && (listener.socket().ipv6() || !(a instanceof Inet6Address))) {
        return true; // 0.0.0.0 takes IPv4; :: takes both unless IPV6_V6ONLY, which /proc hides
      }
    }
    return false;
  }

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("not an address: " + text, e);
    }
  }

  private static <T> Supplier<T> memo(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;
      private boolean done;

      @Override
      public synchronized T get() {
        if (!done) {
          value = supplier.get();
          done = true;
        }
        return value;
      }
    };
  }

  /**
   * Returns the socket that holds the port now: one whose owner is known and that is not in
   * TIME_WAIT comes first, because an earlier connection from the same local port may linger in
   * TIME_WAIT (ownerless) beside the live one, and the kernel lists them in no useful order.
   */
  private static OwnedSocket likeliestHolder(List<OwnedSocket> holders) {
    return holders.stream()
        .min(
            Comparator.comparing((OwnedSocket h) -> h.owners().isEmpty())
                .thenComparing(h -> h.socket().state() == SocketState.TIME_WAIT))
        .orElseThrow();
  }
}
