package dev.porthole.checks;

import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.SocketTables;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Returns the checklist of {@code porthole doctor}: everything on this machine that decides whether
 * {@code 127.0.0.1:PORT} and {@code localhost:PORT} work.
 *
 * <p>Every source is injectable (the hosts file, /proc, the command runner, the inventory), so
 * tests can stage a broken setup without touching the machine's.
 */
public final class Doctor {
  /** Ports developers use every day; an ephemeral range that covers them causes random clashes. */
  static final List<Integer> DEV_PORTS =
      List.of(
          3000, 3001, 4200, 5000, 5173, 5432, 6379, 8000, 8080, 8443, 8888, 9000, 9200, 9229, 27017,
          62893);

  private final Environment env;

  /**
   * Returns where the doctor looks.
   *
   * @param hostsFile the hosts file, /etc/hosts
   * @param procRoot /proc (for /proc/sys/net)
   * @param runner runs getent, iptables-save and nft
   * @param snapshot the socket inventory, or a supplier returning null when unreadable
   * @param ephemeral the kernel's ephemeral port range
   */
  public record Environment(
      Path hostsFile,
      Path procRoot,
      CommandRunner runner,
      Supplier<SocketSnapshot> snapshot,
      EphemeralRange ephemeral) {}

  public Doctor(Environment env) {
    this.env = env;
  }

  /** Returns every item, in the order people should read them; {@code port} 0 means none. */
  public List<DoctorItem> run(int port) {
    List<DoctorItem> items = new ArrayList<>();
    items.addAll(loopback());
    items.add(ipv6());
    items.add(hosts());
    items.add(resolution());
    items.add(LocalhostNames.check(env.runner()));
    items.addAll(firewall(port));
    items.add(ephemeral(port));
    items.add(sockets());
    if (port != 0) {
      items.add(listener(port));
    }
    items.addAll(exposed(port));
    return items;
  }

  DoctorItem listener(int port) {
    SocketSnapshot snapshot = env.snapshot().get();
    if (snapshot == null) {
      return DoctorItem.skipped(
          "listener", "not checked, because the socket inventory cannot be read");
    }
    List<OwnedSocket> on =
        snapshot.onPort(port).stream().filter(s -> s.socket().state().listening()).toList();
    if (on.isEmpty()) {
      return DoctorItem.warn(
          "listener",
          "nothing listens on port " + port,
          "start the service, then porthole check " + port);
    }
    List<String> who =
        on.stream()
            .map(
                s ->
                    Rules.owner(s)
                        + " on "
                        + Rules.endpoint(s.socket().localAddress(), port)
                        + " ("
                        + s.socket().protocol().label()
                        + ")")
            .toList();
    return DoctorItem.ok("listener", String.join("; ", who));
  }

  List<DoctorItem> loopback() {
    NetworkInterface lo;
    try {
      lo = NetworkInterface.getByName("lo");
      if (lo == null) {
        return List.of(
            DoctorItem.fail(
                "loopback", "no loopback interface 'lo'", "ip link add lo type loopback"));
      }
      List<InetAddress> addresses = Collections.list(lo.getInetAddresses());
      List<DoctorItem> items = new ArrayList<>();
      items.add(
          lo.isUp()
              ? DoctorItem.ok("loopback", "loopback interface lo is up")
              : DoctorItem.fail("loopback", "loopback interface lo is down", "ip link set lo up"));
      boolean v4 = addresses.stream().anyMatch(a -> a.getHostAddress().equals("127.0.0.1"));
      boolean v6 =
          addresses.stream().anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
      items.add(
          v4
              ? DoctorItem.ok("loopback-ipv4", "127.0.0.1 is on lo")
              : DoctorItem.fail(
                  "loopback-ipv4",
                  "127.0.0.1 is missing from lo",
                  "ip addr add 127.0.0.1/8 dev lo"));
      items.add(
          v6
              ? DoctorItem.ok("loopback-ipv6", "::1 is on lo")
              : DoctorItem.warn(
                  "loopback-ipv6",
                  "::1 is missing from lo: anything that binds or dials ::1 fails",
                  "ip addr add ::1/128 dev lo (needs IPv6 enabled)"));
      return items;
    } catch (SocketException e) {
      return List.of(
          DoctorItem.skipped(
              "loopback", "not checked, because the interfaces cannot be read: " + e.getMessage()));
    }
  }

  DoctorItem ipv6() {
    Path flag = env.procRoot().resolve("sys/net/ipv6/conf/all/disable_ipv6");
    try {
      String value = Files.readString(flag).strip();
      return value.equals("0")
          ? DoctorItem.ok("ipv6", "IPv6 is enabled")
          : DoctorItem.warn(
              "ipv6",
              "IPv6 is disabled: servers that bind ::1 fail, clients that try ::1 first wait",
              "sysctl -w net.ipv6.conf.all.disable_ipv6=0, or keep ::1 out of /etc/hosts");
    } catch (IOException e) {
      return DoctorItem.warn(
          "ipv6",
          "IPv6 is not available in this kernel (" + flag + " missing)",
          "keep ::1 out of /etc/hosts so localhost means 127.0.0.1 only");
    }
  }

  DoctorItem hosts() {
    HostsFile hosts;
    try {
      hosts = HostsFile.read(env.hostsFile(), "localhost");
    } catch (IOException e) {
      return DoctorItem.skipped(
          "hosts",
          "not checked, because " + env.hostsFile() + " cannot be read: " + e.getMessage());
    }
    String where = env.hostsFile().toString();
    List<HostsFile.Entry> off = hosts.entries().stream().filter(e -> !e.loopback()).toList();
    if (!off.isEmpty()) {
      HostsFile.Entry e = off.get(0);
      return DoctorItem.fail(
          "hosts",
          where
              + " line "
              + e.line()
              + " maps localhost to "
              + e.address()
              + ", which is not loopback",
          "change line " + e.line() + " of " + where + " to '127.0.0.1 localhost'");
    }
    if (hosts.entries().isEmpty()) {
      return DoctorItem.fail(
          "hosts",
          where + " has no entry for localhost",
          "add '127.0.0.1 localhost' and '::1 localhost' to " + where);
    }
    List<String> twice = hosts.duplicates();
    String listed =
        String.join(", ", hosts.entries().stream().map(HostsFile.Entry::address).toList());
    if (!twice.isEmpty()) {
      return DoctorItem.warn(
          "hosts",
          where + " lists localhost → " + String.join(", ", twice) + " more than once",
          "keep one '127.0.0.1 localhost' and one '::1 localhost' line in " + where);
    }
    return DoctorItem.ok("hosts", where + ": localhost → " + listed);
  }

  DoctorItem resolution() {
    Resolution r = Resolution.of("localhost", env.runner());
    if (r.jvm().isEmpty()) {
      return DoctorItem.fail(
          "resolve", "localhost does not resolve", "add '127.0.0.1 localhost' to /etc/hosts");
    }
    String jvm = String.join(", ", r.jvmAddresses());
    String system = r.systemNote() != null ? r.systemNote() : String.join(", ", r.system());
    String summary = "localhost resolves to " + jvm + " (JVM), " + system + " (system)";
    if (r.offLoopback()) {
      return DoctorItem.fail(
          "resolve",
          summary + ": not loopback",
          "map localhost to 127.0.0.1 and ::1 in /etc/hosts");
    }
    if (r.ordersDiffer()) {
      return DoctorItem.warn(
          "resolve",
          summary + ": clients disagree on which address comes first",
          "let servers listen on both 127.0.0.1 and ::1, or dial 127.0.0.1 explicitly");
    }
    return DoctorItem.ok("resolve", summary);
  }

  List<DoctorItem> firewall(int port) {
    FirewallRules rules = FirewallRules.read(env.runner(), port);
    String scope = port == 0 ? "loopback" : "loopback port " + port;
    if (!rules.readable()) {
      return List.of(
          DoctorItem.skipped(
              "firewall", "not checked, because " + String.join("; ", rules.notes())));
    }
    if (rules.rules().isEmpty()) {
      return List.of(DoctorItem.ok("firewall", "no firewall rule drops or rejects " + scope));
    }
    List<DoctorItem> items = new ArrayList<>();
    for (String rule : rules.rules()) {
      items.add(
          DoctorItem.fail(
              "firewall", "rule drops or rejects " + scope + ": " + rule, fixFor(rule)));
    }
    return items;
  }

  static String fixFor(String rule) {
    if (rule.startsWith("iptables-save: -A ")) {
      return "iptables " + rule.substring("iptables-save: ".length()).replaceFirst("^-A ", "-D ");
    }
    if (rule.startsWith("ip6tables-save: -A ")) {
      return "ip6tables " + rule.substring("ip6tables-save: ".length()).replaceFirst("^-A ", "-D ");
    }
    return "find its handle with 'nft -a list ruleset', then 'nft delete rule <family> <table>"
        + " <chain> handle <n>'";
  }

  DoctorItem ephemeral(int port) {
    EphemeralRange range = env.ephemeral();
    String where = "ephemeral port range " + range.first() + "-" + range.last();
    if (port != 0) {
      return range.contains(port)
          ? DoctorItem.warn(
              "ephemeral",
              "port " + port + " is inside the " + where + ": an outgoing connection can take it",
              "sysctl -w net.ipv4.ip_local_reserved_ports="
                  + port
                  + ", or use a port outside the range")
          : DoctorItem.ok("ephemeral", "port " + port + " is outside the " + where);
    }
    List<Integer> overlap = DEV_PORTS.stream().filter(range::contains).toList();
    return overlap.isEmpty()
        ? DoctorItem.ok("ephemeral", where + ": no common dev port inside")
        : DoctorItem.warn(
            "ephemeral",
            where + " cover dev ports " + overlap + ": outgoing connections can take them",
            "sysctl -w net.ipv4.ip_local_reserved_ports="
                + String.join(",", overlap.stream().map(String::valueOf).toList()));
  }

  List<DoctorItem> exposed(int port) {
    SocketSnapshot snapshot = env.snapshot().get();
    if (snapshot == null) {
      return List.of(
          DoctorItem.skipped(
              "exposed", "not checked, because the socket inventory cannot be read"));
    }
    List<OwnedSocket> wide =
        snapshot.listeners().stream()
            .filter(s -> s.socket().scope() == BindScope.ALL_INTERFACES)
            .filter(s -> port == 0 || s.socket().localPort() == port)
            .toList();
    if (wide.isEmpty()) {
      return List.of(
          DoctorItem.ok(
              "exposed",
              "no service listens on all interfaces" + (port == 0 ? "" : " on port " + port)));
    }
    List<DoctorItem> items = new ArrayList<>();
    for (OwnedSocket s : wide) {
      String bound = Rules.endpoint(s.socket().localAddress(), s.socket().localPort());
      items.add(
          DoctorItem.warn(
              "exposed",
              Rules.owner(s)
                  + " listens on "
                  + bound
                  + " ("
                  + s.socket().protocol().label()
                  + "): reachable from the network",
              "bind it to 127.0.0.1 unless other machines need it"));
    }
    return items;
  }

  /** Says where the inventory reads sockets: netlink, or /proc/net and why. */
  static DoctorItem sockets() {
    if (!SocketTables.readable()) {
      return DoctorItem.skipped("sockets", "no /proc/net here: sockets are listed through lsof");
    }
    String why = SocketTables.fallbackReason();
    if (why == null) {
      return DoctorItem.ok(
          "sockets", "the watch reads sockets over netlink sock_diag (as ss does)");
    }
    if (why.startsWith("PORTHOLE_SOCKETS")) {
      return DoctorItem.ok("sockets", "the watch reads sockets from /proc/net (" + why + ")");
    }
    return DoctorItem.warn(
        "sockets",
        "the watch reads sockets from /proc/net, slower with many connections (" + why + ")",
        "nothing is missing from the lists; set PORTHOLE_SOCKETS=proc to choose /proc/net"
            + " and silence this");
  }
}
