package dev.porthole.cli.inventory;

import dev.porthole.checks.Resolution;
import dev.porthole.cli.CliException;
import dev.porthole.cli.DurationConverter;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
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
import java.io.IOException;
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
public final class ScanCommand implements Callable<Integer> {
  // The defaults, shared with the command lines Shortcuts answers without picocli.
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_PORTS = "1-65535";
  public static final String DEFAULT_CONCURRENCY = "4096";
  public static final String DEFAULT_TIMEOUT = "1s";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "HOST",
      defaultValue = DEFAULT_HOST,
      description = "The address to scan (default: ${DEFAULT-VALUE}).")
  String host;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PORTS",
      defaultValue = DEFAULT_PORTS,
      description = "Ports and ranges (default: ${DEFAULT-VALUE}).")
  String ports;

  @Option(names = "--allow-remote", description = "Allow a host that is not loopback (warns).")
  boolean allowRemote;

  @Option(
      names = "--concurrency",
      defaultValue = DEFAULT_CONCURRENCY,
      paramLabel = "N",
      description =
          "Most connects in flight; lowered by itself when short of fds or ports (default:"
              + " ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--timeout",
      defaultValue = DEFAULT_TIMEOUT,
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
    PrintWriter err = this.spec.commandLine().getErr();
    InetAddress address = address(host, allowRemote, err);
    checkConcurrency(concurrency);
    return run(
        address,
        spec,
        concurrency,
        timeout,
        output.json(),
        output.terminal(),
        this.spec.commandLine().getOut(),
        err);
  }

  /**
   * Scans {@code address} on {@code spec}, prints the report and returns the exit code: what this
   * command runs once its arguments are checked, with or without picocli.
   */
  public static int run(
      InetAddress address,
      PortSpec spec,
      int concurrency,
      Duration timeout,
      boolean json,
      Terminal terminal,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    boolean bar = terminal.interactive() && !json;
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
    if (json) {
      // Written by hand, not by Jackson: the same text (ScanReportJsonTest), 70 ms less CPU.
      out.println(
          ScanReportJson.write(
              new Report(
                  result.host(),
                  result.scanned(),
                  result.millis(),
                  result.filtered(),
                  open,
                  result.notes())));
      out.flush();
    } else {
      print(out, terminal, result, open);
    }
    return ExitCodes.OK;
  }

  /** Throws the usage error of a {@code --concurrency} below 8. */
  public static void checkConcurrency(int concurrency) {
    if (concurrency < 8) {
      throw CliException.usage("--concurrency " + concurrency + ": expected at least 8");
    }
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

  /**
   * Returns the address to scan; refuses one off loopback unless {@code allowRemote} (then warns
   * on {@code err}).
   */
  public static InetAddress address(String host, boolean allowRemote, PrintWriter err) {
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
      err.println(
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
