package dev.porthole.cli.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.text.Numbers;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Adds, changes, removes and lists the toxics of a running daemon's proxy. */
@Command(
    mixinStandardHelpOptions = true,
    name = "toxic",
    description = "Add, update, remove or list a daemon proxy's toxics (network conditions).",
    subcommands = {
      ToxicCommand.Add.class,
      ToxicCommand.Update.class,
      ToxicCommand.Remove.class,
      ToxicCommand.ListToxics.class,
      ToxicCommand.Types.class
    },
    footer = {
      "",
      "Examples:",
      "  porthole toxic add db -t latency -a latency=200 -a jitter=20",
      "  porthole toxic add db -t bandwidth -s upstream -a rate=100 --toxicity 0.5",
      "  porthole toxic update db latency_downstream -a latency=500",
      "  porthole toxic remove db latency_downstream",
      "  porthole toxic list db",
      "  porthole toxic types"
    })
public final class ToxicCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String path(String proxy, String... rest) {
    StringBuilder sb = new StringBuilder("/api/proxies/").append(encode(proxy)).append("/toxics");
    for (String r : rest) {
      sb.append('/').append(encode(r));
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Toxiproxy's wording for a wrong attribute type, which the daemon keeps for its clients. */
  private static final java.util.regex.Pattern GO_TYPE =
      java.util.regex.Pattern.compile(
          "cannot unmarshal (?:number )?(.+) into Go struct field \\w+\\.attributes\\.(\\w+)"
              + " of type (int64|float64)");

  /**
   * Returns the daemon's answer; an attribute of the wrong type is told in the CLI's words ("-a
   * latency: 1.5 (expected: a whole number)"), not as Toxiproxy's Go struct field.
   */
  static JsonNode send(DaemonClient daemon, String method, String path, Object body) {
    try {
      return daemon.send(method, path, body);
    } catch (CliException e) {
      java.util.regex.Matcher m = GO_TYPE.matcher(String.valueOf(e.getMessage()));
      if (!m.find()) {
        throw e;
      }
      String expected = m.group(3).equals("int64") ? "a whole number" : "a number";
      throw new CliException(
          e.exitCode(), "-a " + m.group(2) + ": " + m.group(1) + " (expected: " + expected + ")");
    }
  }

  /**
   * Returns {@code key=value} pairs as JSON numbers (integers stay integers), or as strings for
   * the string attributes of {@code type} (any type's when null, as for update: body, path...).
   */
  static Map<String, Object> attributes(List<String> pairs, String type) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("attribute " + pair + ": expected key=value");
      }
      String key = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      String what = "-a " + Numbers.printable(key);
      if (isString(type, key)) {
        out.put(key, value);
        continue;
      }
      try {
        out.put(key, Numbers.parseLong(value, what, -Converters.LONGEST, Converters.LONGEST));
      } catch (IllegalArgumentException notLong) {
        try {
          out.put(
              key, Numbers.parseDecimal(value, what, -Converters.LONGEST, Converters.LONGEST));
        } catch (IllegalArgumentException notNumber) {
          throw CliException.usage(
              what + ": '" + Numbers.printable(value) + "' (expected: a number, e.g. 300 or 0.5)");
        }
      }
    }
    return out;
  }

  private static boolean isString(String type, String key) {
    return ToxicRegistry.standard().types().stream()
        .filter(t -> type == null || t.name().equals(type))
        .anyMatch(t -> t.attributeType(key) == String.class);
  }

  /** Returns a toxic as {@code name (type stream key=value … toxicity=1)}. */
  static String describe(JsonNode t) {
    return t.get("name").asText()
        + " ("
        + t.get("type").asText()
        + " "
        + t.get("stream").asText()
        + attributesText(t.get("attributes"))
        + " toxicity="
        + t.get("toxicity").asText()
        + ")";
  }

  static String attributesText(JsonNode attributes) {
    StringBuilder sb = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sb.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
    }
    return sb.toString();
  }

  private static void print(
      CommandLine.Model.CommandSpec spec,
      OutputOptions output,
      String verb,
      String proxy,
      JsonNode t) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, t);
    } else {
      out.println(proxy + ": " + verb + " " + describe(t));
      out.flush();
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "add",
      description = "Add a toxic to a proxy; it acts on live connections at once.",
      footer = {
        "",
        "Examples:",
        "  porthole toxic add db -t latency -a latency=200 -a jitter=20",
        "  porthole toxic add db -t bandwidth -u -a rate=100 --toxicity 0.5",
        "  porthole toxic add db -t loss -a probability=0.1 --json"
      })
  static final class Add implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin OutputOptions output;
    @Mixin DaemonClient daemon;

    @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy's name.")
    String proxy;

    @Option(
        names = {"-t", "--type"},
        required = true,
        description = "latency, bandwidth, timeout, … (porthole toxic types lists them all)")
    String type;

    @Option(
        names = {"-n", "--name"},
        description = "The toxic's name (default: <type>_<stream>).")
    String name;

    @Option(
        names = {"-s", "--stream"},
        description = "upstream (client to server) or downstream (the default).")
    String stream;

    @Option(
        names = {"-u", "--upstream"},
        description = "Same as --stream upstream.")
    boolean upstream;

    @Option(
        names = {"-d", "--downstream"},
        description = "Same as --stream downstream.")
    boolean downstream;

    @Option(
        names = "--toxicity",
        converter = Converters.Toxicity.class,
        description = "Fraction of connections it applies to, 0..1 (default 1).")
    Double toxicity;

    @Option(
        names = {"-a", "--attribute"},
        paramLabel = "KEY=VALUE",
        description = "An attribute, e.g. latency=200 (repeatable).")
    List<String> attributes = List.of();

    private String stream() {
      int given = (stream != null ? 1 : 0) + (upstream ? 1 : 0) + (downstream ? 1 : 0);
      if (given > 1) {
        throw CliException.usage("give one of --stream, --upstream, --downstream");
      }
      return upstream ? "upstream" : stream != null ? stream : "downstream";
    }

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", type);
      body.put("stream", stream());
      if (name != null) {
        body.put("name", name);
      }
      if (toxicity != null) {
        body.put("toxicity", toxicity);
      }
      body.put("attributes", ToxicCommand.attributes(attributes, type));
      print(spec, output, "added", proxy, send(daemon, "POST", path(proxy), body));
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "update",
      description = "Change some attributes or the toxicity of a toxic.",
      footer = {
        "",
        "Examples:",
        "  porthole toxic update db latency_downstream -a latency=500",
        "  porthole toxic update db latency_downstream --toxicity 0.25"
      })
  static final class Update implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin OutputOptions output;
    @Mixin DaemonClient daemon;

    @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy's name.")
    String proxy;

    @Parameters(index = "1", paramLabel = "TOXIC", description = "The toxic's name.")
    String toxic;

    @Option(
        names = "--toxicity",
        converter = Converters.Toxicity.class,
        description = "Fraction of connections it applies to, 0..1.")
    Double toxicity;

    @Option(
        names = {"-a", "--attribute"},
        paramLabel = "KEY=VALUE",
        description = "An attribute to change (repeatable); the others keep their values.")
    List<String> attributes = List.of();

    @Override
    public Integer call() {
      if (attributes.isEmpty() && toxicity == null) {
        throw CliException.usage("nothing to change: give -a KEY=VALUE or --toxicity");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("attributes", ToxicCommand.attributes(attributes, null));
      if (toxicity != null) {
        body.put("toxicity", toxicity);
      }
      print(spec, output, "updated", proxy, send(daemon, "PATCH", path(proxy, toxic), body));
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      aliases = "rm",
      description = "Remove a toxic; bytes it holds are passed on.",
      footer = {"", "Examples:", "  porthole toxic remove db latency_downstream"})
  static final class Remove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin DaemonClient daemon;

    @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy's name.")
    String proxy;

    @Parameters(index = "1", paramLabel = "TOXIC", description = "The toxic's name.")
    String toxic;

    @Override
    public Integer call() {
      daemon.send("DELETE", path(proxy, toxic), null);
      PrintWriter out = spec.commandLine().getOut();
      out.println(proxy + ": removed " + toxic);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      aliases = "ls",
      description = "List a proxy's toxics, upstream first.",
      footer = {"", "Examples:", "  porthole toxic list db", "  porthole toxic list db --json"})
  static final class ListToxics implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin OutputOptions output;
    @Mixin DaemonClient daemon;

    @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy's name.")
    String proxy;

    @Override
    public Integer call() {
      JsonNode toxics = daemon.get(path(proxy));
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, toxics);
        return ExitCodes.OK;
      }
      if (toxics.isEmpty()) {
        out.println("no toxics on " + proxy);
        out.flush();
        return ExitCodes.OK;
      }
      Table table = new Table("NAME", "TYPE", "STREAM", "TOXICITY", "ATTRIBUTES").alignRight(3);
      for (JsonNode t : toxics) {
        table.row(
            t.get("name").asText(),
            t.get("type").asText(),
            t.get("stream").asText(),
            t.get("toxicity").asText(),
            attributesText(t.get("attributes")).strip());
      }
      table.print(out, output.terminal());
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "types",
      description = "List the toxic types the daemon knows, with defaults.",
      footer = {"", "Examples:", "  porthole toxic types", "  porthole toxic types --json"})
  static final class Types implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin OutputOptions output;
    @Mixin DaemonClient daemon;

    @Override
    public Integer call() {
      JsonNode types = daemon.get("/api/toxic-types");
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, types);
        return ExitCodes.OK;
      }
      Table table = new Table("TYPE", "PROTOCOLS", "ATTRIBUTES (defaults)");
      for (JsonNode t : types) {
        StringBuilder attributes = new StringBuilder();
        for (JsonNode a : t.get("attributes")) {
          attributes.append(attributes.isEmpty() ? "" : " ");
          attributes.append(a.get("name").asText()).append('=').append(a.get("default").asText());
        }
        StringBuilder protocols = new StringBuilder();
        for (JsonNode p : t.get("protocols")) {
          protocols.append(protocols.isEmpty() ? "" : ",").append(p.asText());
        }
        table.row(t.get("name").asText(), protocols, attributes.isEmpty() ? "-" : attributes);
      }
      table.print(out, output.terminal());
      return ExitCodes.OK;
    }
  }
}
