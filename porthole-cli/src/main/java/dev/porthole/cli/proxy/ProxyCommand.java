package dev.porthole.cli.proxy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.capture.ForegroundCapture;
import dev.porthole.cli.daemon.CleanStop;
import dev.porthole.proxy.ConnectionListener;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyWarmUp;
import dev.porthole.proxy.RunningProxy;
import dev.porthole.proxy.ToxicSpec;
import dev.porthole.sockets.Protocol;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one proxy in the foreground until Ctrl-C, printing a line per connection. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = "Run one TCP or UDP proxy in the foreground, with optional toxics, until Ctrl-C.",
    footer = {
      "",
      "Toxics: TYPE[:key=value,...]. Keys: the type's attributes, plus",
      "stream=upstream|downstream (default downstream), toxicity=0..1, name=NAME.",
      "Types: latency bandwidth slow_close timeout reset_peer slicer limit_data noop",
      "loss duplicate limit_time shared_bandwidth refuse connect_delay black_hole",
      "(attributes and units: README, \"Proxies and network conditions\").",
      "",
      "Examples:",
      "  porthole proxy --listen 127.0.0.1:62893 --upstream 127.0.0.1:8080",
      "  porthole proxy --listen 62893 --upstream localhost:5432 \\",
      "      --toxic latency:latency=200,jitter=20",
      "  porthole proxy --listen 127.0.0.2:8080 --upstream 127.0.0.1:8080 --json \\",
      "      --toxic bandwidth:rate=100 --toxic reset_peer:timeout=5000,toxicity=0.1",
      "  porthole proxy --listen 62893 --upstream 127.0.0.1:8080 --http",
      "  porthole proxy --listen 62893 --upstream 127.0.0.1:8080 --pcap - | wireshark -k -i -",
      "  porthole proxy --udp --listen 5353 --upstream 127.0.0.1:53 \\",
      "      --toxic loss:probability=0.2"
    })
public final class ProxyCommand implements Callable<Integer> {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin OutputOptions output;

  @Option(
      names = "--listen",
      required = true,
      paramLabel = "[HOST:]PORT",
      description = "Address to listen on; a bare port means 127.0.0.1. Loopback only by default.")
  String listen;

  @Option(
      names = "--upstream",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Where to forward each connection (dialed per connection).")
  String upstream;

  @Option(
      names = "--toxic",
      paramLabel = "TYPE[:k=v,...]",
      description = "A network condition to apply; repeat for several (applied in order).")
  List<String> toxics = new ArrayList<>();

  @Option(names = "--udp", description = "Proxy UDP datagrams instead of TCP.")
  boolean udp;

  @Option(
      names = "--allow-remote",
      description = "Allow listening beyond 127.0.0.0/8 and ::1 (the whole network can connect).")
  boolean allowRemote;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "How long to wait for the upstream before closing the client, at most 1h; a bare number"
              + " is milliseconds (default ${DEFAULT-VALUE}).")
  String connectTimeout;

  @Option(names = "--http", description = "Also print a line per HTTP request (as porthole tail).")
  boolean http;

  @Option(
      names = "--pcap",
      paramLabel = "FILE|-",
      description = "Write each connection's packets to a pcap file (- for stdout) as it closes.")
  String pcap;

  @Option(
      names = "--body-limit",
      paramLabel = "BYTES",
      description = "Bytes of each HTTP body kept for --http (default ${DEFAULT-VALUE}).")
  String bodyLimit = "65536";

  @Override
  public Integer call() {
    // With --pcap - the packets own stdout: the lines for people go to stderr.
    PrintWriter out =
        "-".equals(pcap) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    List<ToxicSpec> specs = toxics.stream().map(ToxicArgument::parse).toList();
    ProxyOptions options = options();
    Printer printer = new Printer(out);
    // First: a SIGTERM or Ctrl-C while starting waits for the start, then stops cleanly (exit 0,
    // not 143); the proxy is closed before the handlers go back.
    try (CleanStop stop = CleanStop.install();
        ProxyEngine engine = new ProxyEngine();
        ForegroundCapture capture = ForegroundCapture.start(engine, http, pcap, bodyLimit,
            output.json(), out, spec.commandLine().getErr(), output.terminal());
        RunningProxy proxy = start(engine, options, printer, specs)) {
      started(out, proxy, engine.transportName(), specs);
      if (!proxy.localAddress().getAddress().isLoopbackAddress()) {
        spec.commandLine().getErr().println("porthole proxy: warning: listening on "
            + hostPort(proxy.localAddress()) + ", reachable from other machines");
        spec.commandLine().getErr().flush();
      }
      printer.ready();
      // The first real connection then finds the proxy path compiled (no visible traffic), its
      // line per connection too: the warm-up's lines go to a printer that encodes them like
      // stdout's and writes nowhere.
      Printer nowhere =
          new Printer(
              new PrintWriter(
                  new java.io.OutputStreamWriter(
                      java.io.OutputStream.nullOutputStream(),
                      java.nio.charset.Charset.defaultCharset())));
      nowhere.ready();
      ProxyWarmUp.start(engine, nowhere);
      Thread hook = new Thread(stop::request, "porthole-proxy-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        stop.await();
      } catch (InterruptedException e) {
        // Stopped by the embedding thread (tests): same as Ctrl-C.
        Thread.currentThread().interrupt();
      } finally {
        removeHook(hook);
      }
    }
    return ExitCodes.OK;
  }

  private ProxyOptions options() {
    java.time.Duration timeout = connectTimeout();
    Protocol protocol = udp ? Protocol.UDP : Protocol.TCP;
    InetSocketAddress address = listenAddress(listen);
    if (!allowRemote && !address.getAddress().isLoopbackAddress()) {
      throw CliException.usage("--listen " + listen + ": " + address.getAddress().getHostAddress()
          + " is not a loopback address; add --allow-remote to listen beyond 127.0.0.0/8 and ::1");
    }
    try {
      return new ProxyOptions(
          "proxy", protocol, address, upstream, allowRemote,
          timeout);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--" + e.getMessage());
    }
  }

  private java.time.Duration connectTimeout() {
    try {
      java.time.Duration d =
          Durations.parse(connectTimeout, "--connect-timeout", "ms", java.time.Duration.ofHours(1));
      if (d.isZero()) {
        throw new IllegalArgumentException("--connect-timeout: 0 (expected: more than 0)");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Returns {@code [HOST:]PORT} resolved; a bare port means 127.0.0.1. */
  static InetSocketAddress listenAddress(String text) {
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
    String portText = colon < 0 ? text : text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Numbers.portOrZero(portText, "--listen " + Numbers.printable(text) + ": port");
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw CliException.usage("--listen " + text + ": cannot resolve " + host);
    }
  }

  private RunningProxy start(
      ProxyEngine engine, ProxyOptions options, Printer printer, List<ToxicSpec> specs) {
    try {
      return engine.start(options, printer, specs);
    } catch (BindException e) {
      throw new CliException(ExitCodes.FAILURE, e.getMessage());
    } catch (UnsupportedOperationException e) {
      throw new CliException(ExitCodes.FAILURE, e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot listen: " + e.getMessage());
    }
  }

  private void started(PrintWriter out, RunningProxy proxy, String transport, List<ToxicSpec> specs) {
    String from = hostPort(proxy.localAddress());
    if (output.json()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("event", "listening");
      line.put("listen", from);
      line.put("upstream", upstream);
      line.put("protocol", udp ? "udp" : "tcp");
      line.put("toxics", specs.stream().map(ProxyCommand::toxicJson).toList());
      print(out, line);
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append("proxy ").append(from).append(" -> ").append(upstream)
        .append(" (").append(udp ? "udp" : "tcp").append(", ").append(transport)
        .append("); Ctrl-C to stop").append(System.lineSeparator());
    for (ToxicSpec t : specs) {
      text.append("  toxic ").append(t.name()).append(' ').append(t.type()).append(' ')
          .append(attributes(t)).append(t.toxicity() < 1 ? " toxicity=" + t.toxicity() : "")
          .append(System.lineSeparator());
    }
    // One write, so whoever waits for the first line sees the whole header.
    out.print(text);
    out.flush();
  }

  private static Map<String, Object> toxicJson(ToxicSpec t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("type", t.type());
    m.put("stream", t.direction().label());
    m.put("toxicity", t.toxicity());
    m.put("attributes", t.attributes());
    return m;
  }

  private static String attributes(ToxicSpec t) {
    return t.attributes().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void print(PrintWriter out, Map<String, Object> line) {
    try {
      out.println(JsonMapper.builder().build().writeValueAsString(line));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running.
    }
  }

  /** Prints one line per connection event, as text or JSON lines, after the header. */
  private final class Printer implements ConnectionListener {
    private final PrintWriter out;
    private List<Runnable> early = new ArrayList<>();

    Printer(PrintWriter out) {
      this.out = out;
    }

    /** Prints the events that came before the header, then prints events as they come. */
    synchronized void ready() {
      List<Runnable> pending = early;
      early = null;
      pending.forEach(Runnable::run);
    }

    @Override
    public void opened(long id, InetSocketAddress client) {
      emit(id, client, "open", "", Map.of());
    }

    @Override
    public void failed(long id, InetSocketAddress client, String reason) {
      emit(id, client, "failed", reason, Map.of());
    }

    @Override
    public void closed(Closed c) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("how", c.how());
      fields.put("bytes_upstream", c.bytesUpstream());
      fields.put("bytes_downstream", c.bytesDownstream());
      fields.put("duration_ms", c.durationMillis());
      String text = String.format("%sup %d B  down %d B  %d ms",
          c.how().equals("closed") ? "" : "(" + c.how() + ")  ",
          c.bytesUpstream(), c.bytesDownstream(), c.durationMillis());
      emit(c.id(), c.client(), "closed", text, fields);
    }

    private synchronized void emit(
        long id, InetSocketAddress client, String event, String detail, Map<String, Object> fields) {
      if (early != null) {
        early.add(() -> emit(id, client, event, detail, fields));
        return;
      }
      if (output.json()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("id", id);
        line.put("client", client == null ? null : hostPort(client));
        line.put("time", java.time.Instant.now().toString());
        if (fields.isEmpty() && !detail.isEmpty()) {
          line.put("detail", detail);
        }
        line.putAll(fields);
        print(out, line);
      } else {
        String line = String.format("%s  #%-4d %-21s %-6s %s", LocalTime.now().format(CLOCK), id,
            client == null ? "?" : hostPort(client), event, detail);
        out.println(line.stripTrailing());
        out.flush();
      }
    }
  }
}
