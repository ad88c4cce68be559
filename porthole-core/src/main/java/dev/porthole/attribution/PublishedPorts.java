package dev.porthole.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins what the container engine says it published with the host's listeners and the nat table's
 * DNAT rules, for {@code ports --all-published}: a port published with {@code userland-proxy=false}
 * has a rule and no socket, so listing sockets alone misses it.
 */
public final class PublishedPorts {
  /** A host socket that may be the one a published port goes through. */
  public record HostListener(String protocol, int port, int pid, String process) {}

  private PublishedPorts() {}

  /**
   * Returns every published port of {@code containers}, then every DNAT rule that leads to no
   * container the engine listed, sorted by port.
   */
  public static List<PublishedPort> join(
      List<ContainerInfo> containers, List<HostListener> listeners, List<DnatRule> rules) {
    Map<String, PublishedPort> out = new LinkedHashMap<>();
    // A rule may serve two rows (Docker lists 0.0.0.0 and :: for one rule without -d).
    java.util.Set<DnatRule> used = new java.util.HashSet<>();
    for (ContainerInfo c : containers) {
      for (String mapping : c.ports()) {
        Mapping m = Mapping.parse(mapping);
        if (m == null) {
          continue;
        }
        String target = (c.addresses().isEmpty() ? "?" : c.addresses().getFirst()) + ":" + m.to;
        DnatRule rule = find(rules, m, c);
        if (rule != null) {
          used.add(rule);
          target = rule.toAddress() + ":" + rule.toPort();
        }
        Origin origin = ContainerLookup.of(c, m.to + "/" + m.protocol);
        HostListener l = holder(listeners, m.protocol, m.port);
        if (l != null && l.process().equals("dockerd")) {
          // Without its userland proxy, dockerd binds the port only to reserve it; the nat
          // table's rule takes the traffic before the socket sees it.
          out.putIfAbsent(
              m.protocol + " " + m.address + " " + m.port,
              new PublishedPort(
                  m.protocol,
                  m.address,
                  m.port,
                  "dnat",
                  l.pid(),
                  l.process(),
                  origin,
                  target,
                  rule == null ? null : rule.rule()));
          continue;
        }
        // Docker lists 0.0.0.0 and :: for one -p; one row per protocol, address and port.
        out.putIfAbsent(
            m.protocol + " " + m.address + " " + m.port,
            l == null
                ? new PublishedPort(
                    m.protocol,
                    m.address,
                    m.port,
                    "dnat",
                    null,
                    null,
                    origin,
                    target,
                    rule == null ? null : rule.rule())
                : new PublishedPort(
                    m.protocol,
                    m.address,
                    m.port,
                    l.process().equals("docker-proxy") ? "docker-proxy" : "listener",
                    l.pid(),
                    l.process(),
                    origin,
                    target,
                    null));
      }
    }
    List<PublishedPort> all = new ArrayList<>(out.values());
    for (DnatRule r : rules) {
      if (used.contains(r)) {
        continue;
      }
      HostListener l = holder(listeners, r.protocol(), r.port());
      all.add(
          new PublishedPort(
              r.protocol(),
              r.address() == null ? "0.0.0.0" : r.address(),
              r.port(),
              "dnat",
              l == null ? null : l.pid(),
              l == null ? null : l.process(),
              null,
              r.toAddress() + ":" + r.toPort(),
              r.rule()));
    }
    all.sort(
        java.util.Comparator.comparingInt(PublishedPort::port)
            .thenComparing(PublishedPort::protocol)
            .thenComparing(PublishedPort::address));
    return all;
  }

  private static DnatRule find(List<DnatRule> rules, Mapping m, ContainerInfo c) {
    for (DnatRule r : rules) {
      if (r.port() == m.port
          && r.protocol().equals(m.protocol)
          && r.toPort() == m.to
          && c.addresses().contains(r.toAddress())) {
        return r;
      }
    }
    return null;
  }

  private static HostListener holder(List<HostListener> listeners, String protocol, int port) {
    for (HostListener l : listeners) {
      if (l.port() == port && l.protocol().startsWith(protocol)) {
        return l;
      }
    }
    return null;
  }

  /** One entry of {@link ContainerInfo#ports()}: "hostIp:hostPort->containerPort/proto". */
  record Mapping(String address, int port, int to, String protocol) {
    static Mapping parse(String text) {
      int arrow = text.indexOf("->");
      int slash = text.lastIndexOf('/');
      int colon = arrow < 0 ? -1 : text.lastIndexOf(':', arrow);
      if (arrow < 0 || slash < arrow || colon < 0) {
        return null;
      }
      int port = Argv.port(text.substring(colon + 1, arrow));
      int to = Argv.port(text.substring(arrow + 2, slash));
      String address = text.substring(0, colon);
      return port < 0 || to < 0
          ? null
          : new Mapping(
              address.isEmpty() ? "0.0.0.0" : address, port, to, text.substring(slash + 1));
    }
  }
}
