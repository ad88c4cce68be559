package dev.porthole.checks;

import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Returns each diagnosis in plain words, one method per case, for {@link Diagnoser}. */
final class Rules {
  final Observation o;
  final List<OwnedSocket> listeners;
  private final Supplier<FirewallRules> firewall;
  private final int port;
  private final String where;

  Rules(Observation o, List<OwnedSocket> listeners, Supplier<FirewallRules> firewall) {
    this.o = o;
    this.listeners = listeners;
    this.firewall = firewall;
    this.port = o.target().port();
    this.where =
        o.attempts().isEmpty()
            ? o.target().authority()
            : endpoint(o.attempts().get(0).address(), port);
  }

  static boolean loopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  Diagnosis unresolved() {
    String host = o.target().host();
    String fix =
        loopbackName(host)
            ? "add '127.0.0.1 localhost' and '::1 localhost' to /etc/hosts (porthole doctor checks"
                  + " it)"
            : "check the spelling, /etc/hosts or DNS; or use the address, e.g. 127.0.0.1:" + port;
    return new Diagnosis(
        DiagnosisCode.NAME_NOT_RESOLVING,
        host + " does not resolve to any address.",
        List.of("neither the JVM nor the system resolver knows " + host),
        fix);
  }

  Diagnosis offLoopback() {
    Resolution r = o.resolution();
    String host = o.target().host();
    List<String> details = new ArrayList<>();
    details.add(
        host
            + " resolves to "
            + String.join(", ", r.jvmAddresses())
            + " (JVM)"
            + (r.system().isEmpty() ? "" : ", " + String.join(", ", r.system()) + " (system)"));
    details.add(
        "a loopback name must resolve to 127.0.0.1 or ::1; the hosts file or DNS maps it"
            + " elsewhere");
    if (o.error() != null) {
      details.add("the connection failed: " + o.error());
    }
    return new Diagnosis(
        DiagnosisCode.NAME_OFF_LOOPBACK,
        host + " does not resolve to loopback.",
        details,
        "map "
            + host
            + " to 127.0.0.1 and ::1 in /etc/hosts (porthole doctor shows the line), or use"
            + " 127.0.0.1:"
            + port);
  }

  Diagnosis nothingListens(SocketSnapshot snapshot, boolean ephemeral) {
    List<String> details = new ArrayList<>();
    details.add("no process listens on TCP port " + port + " at any address");
    if (snapshot != null) {
      snapshot.onPort(port).stream()
          .filter(s -> s.socket().protocol() == Protocol.UDP)
          .findFirst()
          .ifPresent(
              u ->
                  details.add("a UDP socket is bound there (" + owner(u) + "), but TCP was asked"));
    } else {
      details.add("the socket inventory could not be read");
    }
    if (ephemeral) {
      details.add(
          "port " + port + " is inside the ephemeral range: outgoing connections may take it");
    }
    return new Diagnosis(
        DiagnosisCode.NOTHING_LISTENS,
        "Nothing listens on port " + port + ".",
        details,
        "start the service, or check which port it really uses (porthole ports)");
  }

  /**
   * Returns which family 'localhost' gives first on this machine, for the JVM and for the system
   * resolver: derived each time, since it depends on /etc/hosts and gai.conf, not on a rule.
   */
  private String localhostOrder() {
    Resolution r =
        o.resolution() != null && o.target().host().equalsIgnoreCase("localhost")
            ? o.resolution()
            : Resolution.of("localhost", CommandRunner.system(Duration.ofSeconds(2)));
    String jvm = r.jvm().isEmpty() ? "nothing" : Resolution.text(r.jvm().get(0));
    String system =
        r.system().isEmpty()
            ? "not checked" + (r.systemNote() == null ? "" : " (" + r.systemNote() + ")")
            : r.system().get(0);
    return "'localhost' here: the JVM tries "
        + jvm
        + " first, the system resolver (getent ahosts, what Node 17+ and other C-library clients"
        + " get) "
        + system
        + "; a client that tries only the first address reaches one family only";
  }

  Diagnosis wrongFamily(OwnedSocket l, boolean listensV6) {
    String bound = endpoint(l.socket().localAddress(), port);
    String asked = listensV6 ? "IPv4 (127.0.0.1)" : "IPv6 (::1)";
    List<String> details =
        List.of(
            owner(l) + " listens on " + bound + " only; the check tried " + asked,
            localhostOrder());
    String fix =
        listensV6
            ? "connect to [::1]:"
                + port
                + ", or bind the server to 127.0.0.1 too (e.g. --host 127.0.0.1)"
            : "connect to 127.0.0.1:"
                + port
                + ", or bind the server to ::1 too (or to localhost for both)";
    DiagnosisCode code =
        listensV6 ? DiagnosisCode.LISTENS_ON_IPV6_ONLY : DiagnosisCode.LISTENS_ON_IPV4_ONLY;
    return new Diagnosis(
        code,
        "Port " + port + " listens on " + bound + " only, not on " + where + ".",
        details,
        fix);
  }

  Diagnosis otherLoopback(OwnedSocket l) {
    String bound = endpoint(l.socket().localAddress(), port);
    return new Diagnosis(
        DiagnosisCode.LISTENS_ON_OTHER_LOOPBACK,
        "Port " + port + " listens on another loopback address: " + bound + ", not " + where + ".",
        List.of(
            owner(l) + " listens on " + bound,
            "every address of 127.0.0.0/8 is loopback, but a socket bound to one answers on that"
                + " one only"),
        "connect to " + bound + ", or bind the server to 127.0.0.1");
  }

  Diagnosis otherInterface(OwnedSocket l) {
    String bound = endpoint(l.socket().localAddress(), port);
    return new Diagnosis(
        DiagnosisCode.LISTENS_ON_OTHER_INTERFACE,
        "Port " + port + " listens on one interface only: " + bound + ", not on loopback.",
        List.of(owner(l) + " listens on " + bound),
        "connect to "
            + bound
            + ", or bind the server to 127.0.0.1 (or 0.0.0.0 to take every interface)");
  }

  Diagnosis rejected(List<OwnedSocket> covering) {
    List<String> details = new ArrayList<>();
    details.add(
        owner(covering.get(0))
            + " listens on "
            + endpoint(covering.get(0).socket().localAddress(), port)
            + ", yet the connection was refused");
    return new Diagnosis(
        DiagnosisCode.FIREWALL_REJECT,
        "A packet filter rejects connections to " + where + " although a process listens.",
        withRules(details),
        "remove the REJECT rule for loopback, or add 'iptables -I INPUT -i lo -j ACCEPT'");
  }

  Diagnosis dropped() {
    List<String> details = new ArrayList<>();
    details.add(
        "the connection attempt got no answer at all within the timeout: the SYN was dropped");
    if (!listeners.isEmpty()) {
      details.add(
          owner(listeners.get(0))
              + " listens on port "
              + port
              + " (if no rule drops it, its accept queue may be full)");
    }
    return new Diagnosis(
        DiagnosisCode.FIREWALL_DROP,
        "A packet filter drops connections to " + where + ".",
        withRules(details),
        "remove the DROP rule for loopback, or add 'iptables -I INPUT -i lo -j ACCEPT'");
  }

  Diagnosis unreachable() {
    List<String> details = withRules(new ArrayList<>(List.of("the system says: " + o.error())));
    boolean rule = details.stream().anyMatch(d -> d.startsWith("rule "));
    return new Diagnosis(
        rule ? DiagnosisCode.FIREWALL_REJECT : DiagnosisCode.UNREACHABLE,
        rule ? "A packet filter rejects connections to " + where + "." : where + " is unreachable.",
        details,
        rule
            ? "remove the REJECT rule for loopback"
            : "check the address and the routes (ip route)");
  }

  Diagnosis noAnswer() {
    return new Diagnosis(
        DiagnosisCode.NO_ANSWER,
        "Connected to " + where + ", but nothing answered within the timeout.",
        List.of(
            ownerLine("accepted the connection"),
            "the application hangs, or it is stuck before accept() (full backlog)"),
        "look at the process (a thread dump, its logs), or raise --timeout if it is only slow");
  }

  Diagnosis reset() {
    return new Diagnosis(
        DiagnosisCode.RESET_AFTER_CONNECT,
        "Connected to " + where + ", then the server reset the connection.",
        List.of(ownerLine("reset it"), "the system says: " + o.error()),
        "look at the server's logs: it closes connections at once (crash, wrong protocol, a"
            + " limit)");
  }

  Diagnosis closed() {
    return new Diagnosis(
        DiagnosisCode.CLOSED_AFTER_CONNECT,
        "Connected to " + where + ", then the server closed the connection without a word.",
        List.of(ownerLine("closed it")),
        "look at the server's logs: it may refuse this client, or expect another protocol");
  }

  Diagnosis tlsToPlain() {
    return new Diagnosis(
        DiagnosisCode.TLS_TO_PLAIN_PORT,
        "https:// was used, but " + where + " speaks plain HTTP.",
        List.of(ownerLine("answers plain HTTP"), "the TLS handshake failed: " + o.error()),
        "use http://" + o.target().authority() + o.target().path());
  }

  Diagnosis plainToTls() {
    return new Diagnosis(
        DiagnosisCode.PLAIN_TO_TLS_PORT,
        "http:// was used, but " + where + " expects TLS.",
        List.of(ownerLine("completes a TLS handshake"), "the plain request got: " + o.error()),
        "use https://" + o.target().authority() + o.target().path());
  }

  Diagnosis tlsFailed() {
    return new Diagnosis(
        DiagnosisCode.TLS_HANDSHAKE_FAILED,
        "The TLS handshake with " + where + " failed.",
        List.of("the system says: " + o.error()),
        "check the server's TLS setup (protocols, certificate)");
  }

  Diagnosis notHttp() {
    return new Diagnosis(
        DiagnosisCode.NOT_HTTP,
        where + " answered, but not with HTTP.",
        List.of(ownerLine("answered"), o.error()),
        "check the port: it may be a database or another protocol");
  }

  Diagnosis ephemeralTaken(OwnedSocket holder, EphemeralRange range) {
    var s = holder.socket();
    return new Diagnosis(
        DiagnosisCode.EPHEMERAL_PORT_TAKEN,
        "Nothing listens on port " + port + "; an outgoing connection holds it.",
        List.of(
            owner(holder)
                + " uses port "
                + port
                + " as the local end of a connection to "
                + endpoint(s.remoteAddress(), s.remotePort())
                + " ("
                + s.state()
                + ")",
            "port "
                + port
                + " is inside the ephemeral range "
                + range.first()
                + "-"
                + range.last()
                + ", which the kernel hands to outgoing connections"),
        "pick a port outside the ephemeral range (porthole free), or reserve it: "
            + "sysctl -w net.ipv4.ip_local_reserved_ports="
            + port);
  }

  Diagnosis unknown() {
    return new Diagnosis(
        DiagnosisCode.UNKNOWN,
        "The check of " + where + " failed.",
        List.of("the system says: " + o.error()),
        "run porthole doctor for the whole local setup");
  }

  List<OwnedSocket> tcpSockets(SocketSnapshot snapshot, int port) {
    return snapshot == null
        ? List.of()
        : snapshot.onPort(port).stream()
            .filter(s -> s.socket().protocol() == Protocol.TCP)
            .toList();
  }

  private List<String> withRules(List<String> details) {
    FirewallRules rules = firewall.get();
    rules.rules().stream().limit(5).forEach(r -> details.add("rule " + r));
    if (rules.rules().isEmpty()) {
      details.add(
          rules.readable()
              ? "no drop or reject rule for this port was found in the rules read"
              : "firewall rules not read: " + String.join("; ", rules.notes()));
    }
    return details;
  }

  private String ownerLine(String verb) {
    return listeners.isEmpty() ? "the server " + verb : owner(listeners.get(0)) + " " + verb;
  }

  static String owner(OwnedSocket s) {
    if (s.owners().isEmpty()) {
      return "a process (owner not visible: another user's, run as root to see it)";
    }
    ProcessInfo p = s.owners().get(0);
    return "PID " + p.pid() + " (" + p.name() + ", user " + p.user() + ")";
  }

  static String endpoint(java.net.InetAddress address, int port) {
    return endpoint(Resolution.text(address), port);
  }

  static String endpoint(String address, int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
