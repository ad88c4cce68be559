package dev.porthole.cli;

import dev.porthole.checks.Resolution;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import dev.porthole.ports.PortScanner;
import dev.porthole.ports.PortSpec;
import dev.porthole.ports.ScanResult;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.sockets.SocketSnapshot;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Returns which TCP ports of a loopback address accept connections, and who owns them. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "TCP connect scan of HOST (default 127.0.0.1) on PORTS (default 1-65535).",
      "Each open port is shown with its owner from the socket inventory."
    },
    footer = {
      "",
      "HOST is any address of 127.0.0.0/8, ::1 or localhost; another host needs --allow-remote.",
      "PORTS is a list of ports and ranges: 22,80,8000-9000.",
      "",
      "Examples:",
      "  porthole scan",
      "  porthole scan 127.0.0.1 3000-9999",
      "  porthole scan ::1 22,80,443,5432 --json"
    })
final class ScanCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "The address to scan (default: ${DEFAULT-VALUE}).")
  String host;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PORTS",
      defaultValue = "1-65535",
      description = "Ports and ranges (default: ${DEFAULT-VALUE}).")
  String ports;

  @Option(names = "--allow-remote", description = "Allow a host that is not loopback (warns).")
  boolean allowRemote;

  @Option(
      names = "--concurrency",
      defaultValue = "4096",
      paramLabel = "N",
      description =
          "Most connects in flight; lowered by itself when short of fds or ports (default:"
              + " ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--timeout",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "How long an unanswered connect waits before the port counts as filtered (default:"
              + " ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PortSpec spec = PortSpec.parse(ports);
    InetAddress address = address();
    PrintWriter err = this.spec.commandLine().getErr();
    if (concurrency < 8) {
      throw CliException.usage("--concurrency " + concurrency + ": expected at least 8");
    }
    Terminal terminal = output.terminal();
    boolean bar = terminal.interactive() && !output.json();
    ScanResult result =
        new PortScanner(address, concurrency, timeout)
            .scan(
                spec,
                (done, total) -> {
                  if (bar) {
                    progress(err, done, total);
                  }
                });
    if (bar) {
      err.print("\r\u001b[K");
      err.flush();
    }
    List<OpenPort> open = join(result, address);
    PrintWriter out = this.spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(
          out,
          new Report(
              result.host(),
              result.scanned(),
              result.millis(),
              result.filtered(),
              open,
              result.notes()));
    } else {
      print(out, terminal, result, open);
    }
    return ExitCodes.OK;
  }

  /** Returns the JSON shape of a scan. */
  record Report(
      String host,
      int scanned,
      double millis,
      int filtered,
      List<OpenPort> open,
      List<String> notes) {}

  /** Returns one open port and who owns it (pid 0 and null names when unknown). */
  record OpenPort(int port, String bind, int pid, String process, String user) {}

  /** Returns the address to scan; refuses one off loopback unless --allow-remote (then warns). */
  private InetAddress address() {
    InetAddress address;
    try {
      address = InetAddress.getAllByName(host)[0];
    } catch (UnknownHostException e) {
      throw CliException.usage("host " + host + " does not resolve");
    }
    if (!address.isLoopbackAddress()) {
      if (!allowRemote) {
        throw CliException.usage(
            "host " + host + " is not loopback; scanning another machine needs --allow-remote");
      }
      spec.commandLine()
          .getErr()
          .println(
              "warning: scanning "
                  + Resolution.text(address)
                  + ", which is not this machine's loopback; scan only hosts you are allowed to");
    }
    return address;
  }

  private static List<OpenPort> join(ScanResult result, InetAddress address) {
    SocketSnapshot snapshot;
    try {
      // Only the open ports' listeners: the process scan stops once their owners are found.
      java.util.Set<Integer> ports = java.util.Set.copyOf(result.open());
      snapshot =
          SocketInventory.system()
              .snapshot(
                  s ->
                      s.listening()
                          && s.protocol() == Protocol.TCP
                          && ports.contains(s.localPort()));
    } catch (RuntimeException e) {
      snapshot = null;
    }
    List<OpenPort> open = new ArrayList<>();
    for (int port : result.open()) {
      OwnedSocket owner =
          snapshot == null
              ? null
              : snapshot.onPort(port).stream()
                  .filter(
                      s -> s.socket().protocol() == Protocol.TCP && s.socket().state().listening())
                  .filter(s -> covers(s, address))
                  .findFirst()
                  .orElse(null);
      if (owner == null || owner.owners().isEmpty()) {
        open.add(new OpenPort(port, owner == null ? null : bind(owner), 0, null, null));
      } else {
        ProcessInfo p = owner.owners().get(0);
        open.add(new OpenPort(port, bind(owner), p.pid(), p.name(), p.user()));
      }
    }
    return open;
  }

  private static boolean covers(OwnedSocket s, InetAddress address) {
    InetAddress local = s.socket().localAddress();
    return local.equals(address)
        || local.isAnyLocalAddress() && (s.socket().ipv6() || !(address instanceof Inet6Address));
  }

  private static String bind(OwnedSocket s) {
    String a = Resolution.text(s.socket().localAddress());
    return (a.contains(":") ? "[" + a + "]" : a) + ":" + s.socket().localPort();
  }

  private static void progress(PrintWriter err, int done, int total) {
    int width = 30;
    int filled = (int) ((long) done * width / total);
    err.print(
        "\r\u001b[Kscanning ["
            + "#".repeat(filled)
            + " ".repeat(width - filled)
            + "] "
            + done * 100 / total
            + "%");
    err.flush();
  }

  private static void print(PrintWriter out, Terminal t, ScanResult r, List<OpenPort> open) {
    if (!open.isEmpty()) {
      Table table = new Table("PORT", "BIND", "PID", "PROCESS", "USER").alignRight(0, 2);
      for (OpenPort p : open) {
        // "?" for an owner we could not see, as 'porthole ports' prints it.
        boolean unseen = p.pid() == 0;
        table.row(
            p.port(),
            p.bind(),
            unseen ? "?" : p.pid(),
            unseen ? "?" : p.process(),
            unseen ? "?" : p.user());
      }
      table.print(out, t);
      out.println();
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%d open of %d ports on %s in %.0f ms%s",
            open.size(),
            r.scanned(),
            r.host(),
            r.millis(),
            r.filtered() > 0 ? " (" + r.filtered() + " filtered: no answer)" : ""));
    r.notes().forEach(n -> out.println(t.yellow("note: ") + n));
    out.flush();
  }
}
