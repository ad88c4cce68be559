package dev.porthole.cli.inventory;

import dev.porthole.attribution.Attributor;
import dev.porthole.attribution.Origin;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.ports.BrowserPorts;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.ports.PortClass;
import dev.porthole.ports.Service;
import dev.porthole.ports.ServiceNames;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketSnapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Explains a port: class, usual services, holder, ephemeral range, browser blocking. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Explain PORT: its class, usual service, who holds it, whether the kernel may"
            + " take it for outgoing connections and whether browsers refuse it.",
    footer = {
      "",
      "Examples:",
      "  porthole info 62893",
      "  porthole info 6000",
      "  porthole info 3000 --json"
    })
public final class InfoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "PORT", description = "The port number (1-65535).")
  String portText;

  /** Returns a service in JSON: name, description, and source ("iana" or "developer"). */
  record ServiceJson(String name, String description, String source) {
    static ServiceJson of(Service s) {
      return s == null ? null : new ServiceJson(s.name(), s.description(), s.source().label());
    }
  }

  /** Returns the JSON document of {@code info --json}. */
  record Answer(
      int port,
      String portClass,
      ServiceJson service,
      ServiceJson ianaTcp,
      ServiceJson ianaUdp,
      List<SocketRow> holders,
      int ephemeralFirst,
      int ephemeralLast,
      boolean ephemeralRangeKnown,
      boolean inEphemeralRange,
      boolean browserBlocked,
      List<String> notes) {}

  @Override
  public Integer call() {
    int port = Inventory.port(portText);
    SocketSnapshot snapshot =
        Inventory.snapshot(LineFilter.port(port).and(LineFilter.LISTENERS), s -> true);
    Attributor attributor = Attributor.system();
    List<SocketRow> holders = Inventory.rows(snapshot, false, attributor);
    List<String> notes = Inventory.notes(snapshot, attributor);
    EphemeralRange ephemeral = EphemeralRange.system();
    Service usual = ServiceNames.usual(port, Protocol.TCP);
    if (usual == null) {
      usual = ServiceNames.usual(port, Protocol.UDP);
    }
    Answer a =
        new Answer(
            port,
            PortClass.of(port).label(),
            ServiceJson.of(usual),
            ServiceJson.of(ServiceNames.iana(port, Protocol.TCP)),
            ServiceJson.of(ServiceNames.iana(port, Protocol.UDP)),
            holders,
            ephemeral.first(),
            ephemeral.last(),
            ephemeral.known(),
            ephemeral.contains(port),
            BrowserPorts.blocked(port),
            notes);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, a);
      return ExitCodes.OK;
    }
    Table t = new Table("PORT", Integer.toString(port));
    t.row("class", classText(port));
    t.row("service", usual == null ? "none known" : describe(usual));
    t.row("IANA", iana(a));
    t.row("holder", holders.isEmpty() ? "nothing listens" : Inventory.holders(holders));
    holders.stream()
        .map(SocketRow::origin)
        .filter(java.util.Objects::nonNull)
        .distinct()
        .forEach(o -> t.row("origin", originText(o)));
    t.row("ephemeral", ephemeralText(port, ephemeral));
    t.row(
        "browsers",
        a.browserBlocked()
            ? "refused: on the Fetch standard's bad-ports list (ERR_UNSAFE_PORT); curl still works"
            : "allowed");
    t.print(out, output.terminal());
    Inventory.printNotes(spec.commandLine().getErr(), notes);
    return ExitCodes.OK;
  }

  /** Returns "container db (postgres:16) port 5432/tcp [id=..., composeProject=shop]". */
  private static String originText(Origin o) {
    StringBuilder text = new StringBuilder(o.summary());
    String facts =
        o.details().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
    return facts.isEmpty()
        ? text.toString()
        : text.append(" [").append(facts).append(']').toString();
  }

  private static String classText(int port) {
    PortClass c = PortClass.of(port);
    String meaning =
        switch (c) {
          case WELL_KNOWN -> "system services; binding needs root or CAP_NET_BIND_SERVICE";
          case REGISTERED -> "assigned to applications by IANA";
          case DYNAMIC -> "private use, never assigned to a service";
        };
    return c.label() + " (" + c.first() + "-" + c.last() + ": " + meaning + ")";
  }

  private static String describe(Service s) {
    String what = s.description().isEmpty() ? s.name() : s.name() + ": " + s.description();
    return what + (s.source() == Service.Source.DEVELOPER ? " (developer default)" : " (IANA)");
  }

  private static String iana(Answer a) {
    ServiceJson tcp = a.ianaTcp();
    ServiceJson udp = a.ianaUdp();
    if (tcp == null && udp == null) {
      return "nothing registered";
    }
    if (tcp != null && tcp.equals(udp)) {
      return tcp.name() + " (tcp, udp)";
    }
    return (tcp == null ? "" : tcp.name() + " (tcp)")
        + (tcp != null && udp != null ? ", " : "")
        + (udp == null ? "" : udp.name() + " (udp)");
  }

  private static String ephemeralText(int port, EphemeralRange r) {
    String range =
        r.first() + "-" + r.last() + (r.known() ? "" : " (Linux default; kernel value unreadable)");
    if (r.contains(port)) {
      return "inside "
          + range
          + ": any outgoing connection may take it, so a server that"
          + " restarts can find it busy; prefer a port outside";
    }
    return "outside " + range + ": outgoing connections never take it";
  }
}
