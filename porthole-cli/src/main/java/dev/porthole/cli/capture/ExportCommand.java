package dev.porthole.cli.capture;

import dev.porthole.cli.CliException;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a proxy's recorded traffic as a HAR or a pcap file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a proxy's recorded traffic as HAR 1.2 (HTTP) or pcap (every TCP byte).",
    footer = {
      "",
      "The file is written next to its destination and renamed into place: it is whole or",
      "absent, never half-written. '-' writes to stdout.",
      "",
      "Examples:",
      "  porthole export web --har web.har",
      "  porthole export web --pcap web.pcap --since 10m",
      "  porthole export db --pcap - --connection 42 | tshark -r - -q -z follow,tcp,ascii,0"
    })
public final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy whose traffic to write.")
  String proxy;

  @ArgGroup(multiplicity = "1")
  Format format;

  /** Returns exactly one of the two formats. */
  static final class Format {
    @Option(names = "--har", paramLabel = "FILE", description = "Write HAR 1.2 to FILE.")
    String har;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write pcap to FILE.")
    String pcap;
  }

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only connections that ended this recently (e.g. 10m, 1h).")
  String since;

  @Option(names = "--connection", paramLabel = "ID", description = "Only this connection.")
  String connection;

  @Override
  public Integer call() {
    StringBuilder query = new StringBuilder();
    if (since != null) {
      query.append("&since=").append(Durations.format(Durations.parse(since, "--since")));
    }
    if (connection != null) {
      query
          .append("&connection=")
          .append(Numbers.parseLong(connection, "--connection", 1, Long.MAX_VALUE));
    }
    String file = format.har != null ? format.har : format.pcap;
    String kind = format.har != null ? "har" : "pcap";
    String path =
        "/api/proxies/"
            + URLEncoder.encode(proxy, StandardCharsets.UTF_8)
            + "/capture."
            + kind
            + (query.isEmpty() ? "" : "?" + query.substring(1));
    if (file.equals("-")) {
      daemon.download(path, System.out);
      System.out.flush();
      return ExitCodes.OK;
    }
    Path target = Path.of(file).toAbsolutePath();
    long bytes = write(target, out -> daemon.download(path, out));
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", target.toString());
      m.put("format", kind);
      m.put("bytes", bytes);
      output.printJson(out, m);
    } else {
      out.println("wrote " + file + " (" + kind + ", " + TrafficLine.size(bytes) + ")");
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Writes a body to a stream; returns its length. */
  @FunctionalInterface
  interface Body {
    long writeTo(OutputStream out);
  }

  /**
   * Streams {@code body} to a temporary file beside {@code target}, then renames it into place; on
   * any failure the temporary file is deleted and {@code target} is left as it was. Returns the
   * bytes written.
   */
  static long write(Path target, Body body) {
    Path dir = target.getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
      long bytes;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
        bytes = body.writeTo(out);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return bytes;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw CliException.failure("cannot write " + target + ": " + reason(e));
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return e instanceof java.nio.file.AccessDeniedException
        ? "permission denied"
        : e instanceof java.nio.file.NoSuchFileException
            ? "no such directory"
            : m == null ? e.getClass().getSimpleName() : m;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Best effort: the temporary file is hidden and named .part.
      }
    }
  }
}
