package dev.porthole.server.dashboard;

import dev.porthole.ports.PortClass;
import dev.porthole.ports.Service;
import dev.porthole.ports.ServiceNames;
import dev.porthole.sockets.BindScope;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ProcessDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Returns listeners as the JSON rows the dashboard's Ports view shows. */
final class PortViews {
  private PortViews() {}

  /**
   * Returns what the page's live feed sends: rows without command lines, and each process's command
   * line once ({@code commands} by pid), since one process often holds many listeners and a JVM's
   * command line can be kilobytes long.
   */
  static Map<String, Object> feed(List<Listener> listeners) {
    Map<String, String> commands = new java.util.TreeMap<>();
    List<Map<String, Object>> rows = rows(listeners);
    for (Map<String, Object> row : rows) {
      Object command = row.remove("command");
      if (command != null) {
        commands.putIfAbsent(row.get("pid").toString(), (String) command);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("commands", commands);
    return m;
  }

  /** Returns one row per listener, sorted by port then address. */
  static List<Map<String, Object>> rows(List<Listener> listeners) {
    return listeners.stream()
        .sorted(
            java.util.Comparator.comparingInt(Listener::port)
                .thenComparing(l -> l.protocol().label())
                .thenComparing(Listener::address))
        .map(PortViews::row)
        .collect(java.util.stream.Collectors.toList());
  }

  /** Returns a listener's row: endpoint, scope, class, service, owner and origin in a few keys. */
  static Map<String, Object> row(Listener l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", l.protocol().label());
    m.put("address", l.address());
    m.put("port", l.port());
    m.put("scope", l.scope().label());
    m.put("exposed", l.scope() != BindScope.LOOPBACK);
    m.put("class", PortClass.of(l.port()).label());
    Service service = ServiceNames.usual(l.port(), l.protocol());
    m.put("service", service == null ? null : service.name());
    ProcessDetails p = l.owner();
    m.put("pid", p == null ? null : p.pid());
    m.put("process", p == null ? null : p.name());
    m.put("user", p == null ? null : p.user());
    m.put("command", p == null ? null : p.commandLine());
    // The object for machines, and the phrase the table shows (made here, so the page and the
    // CLI say the same words).
    m.put("origin", l.origin());
    m.put("originSummary", l.origin() == null ? null : l.origin().summary());
    return m;
  }
}
