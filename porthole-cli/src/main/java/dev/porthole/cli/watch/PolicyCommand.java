package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.store.DataDir;
import dev.porthole.watch.EventDetector;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.Policy;
import dev.porthole.watch.PolicyBaseline;
import dev.porthole.watch.PolicyException;
import dev.porthole.watch.PolicyFile;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a baseline policy from the current listeners, or checks the machine against one. */
@Command(
    mixinStandardHelpOptions = true,
    name = "policy",
    description = "Write a baseline policy (init) or check this machine against one (check).",
    subcommands = {PolicyCommand.Init.class, PolicyCommand.Check.class},
    footer = {
      "",
      "Examples:",
      "  porthole policy init                    # policy.yaml in the data directory",
      "  porthole policy init -o - > policy.yaml",
      "  porthole policy check --policy policy.yaml && echo clean"
    })
public final class PolicyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw CliException.usage("missing subcommand: init or check");
  }

  static Path defaultFile(Path dataDir) {
    return DataDir.resolve(dataDir).resolve(WatchSettings.POLICY_FILE);
  }

  /** Writes a policy that expects exactly what listens now. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "init",
      description = "Write a policy expecting what listens now (a baseline).",
      footer = {
        "",
        "Examples:",
        "  porthole policy init",
        "  porthole policy init -o ./policy.yaml --force"
      })
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description =
            "Where to write it ('-' for standard output; default: policy.yaml in the data"
                + " directory).")
    String output;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory.")
    Path dataDir;

    @Override
    public Integer call() throws IOException {
      List<Listener> now = ListenerReader.system().read();
      String yaml =
          PolicyBaseline.yaml(
              now,
              InetAddress.getLocalHost().getHostName(),
              Instant.now().truncatedTo(ChronoUnit.SECONDS));
      PrintWriter out = spec.commandLine().getOut();
      if ("-".equals(output)) {
        out.print(yaml);
        out.flush();
        return ExitCodes.OK;
      }
      Path file = output == null ? defaultFile(dataDir) : Path.of(output);
      if (Files.exists(file) && !force) {
        throw CliException.usage(file + " exists (add --force to overwrite it)");
      }
      try {
        if (file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliException.failure("cannot write " + file + ": " + e.getMessage());
      }
      out.println("wrote " + file + ": " + now.size() + " listener(s) expected");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** Evaluates what listens now against the policy, once. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "check",
      description = "Check what listens now against the policy; exit 1 on violations.",
      footer = {
        "",
        "Examples:",
        "  porthole policy check",
        "  porthole policy check --policy ci-policy.yaml --json"
      })
  static final class Check implements Callable<Integer> {
    private static final Set<String> FINDINGS = Set.of("violation", "exposed", "down");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin OutputOptions output;

    @Option(
        names = "--policy",
        paramLabel = "FILE",
        description = "Policy file (default: policy.yaml in the data directory).")
    Path policyFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory.")
    Path dataDir;

    @Override
    public Integer call() {
      Path file = policyFile != null ? policyFile : defaultFile(dataDir);
      Policy policy;
      try {
        policy = PolicyFile.load(file);
      } catch (PolicyException e) {
        throw CliException.usage(
            e.getMessage()
                + (policyFile == null && !Files.exists(file)
                    ? " (run 'porthole policy init')"
                    : ""));
      }
      List<Listener> now = ListenerReader.system().read();
      List<WatchEvent> findings =
          new EventDetector()
              .step(now, policy, Instant.now()).events().stream()
                  .filter(e -> FINDINGS.contains(e.type()))
                  .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("policy", file.toString());
        body.put("listeners", now.size());
        body.put("ok", findings.isEmpty());
        body.put("findings", findings);
        output.printJson(out, body);
      } else if (findings.isEmpty()) {
        out.println("ok: " + now.size() + " listener(s) match " + file);
      } else {
        Table table = new Table("TYPE", "PORT", "PROCESS", "MESSAGE").alignRight(1);
        for (WatchEvent e : findings) {
          table.row(
              e.type(), e.port(), e.process() == null ? null : e.process().label(), e.message());
        }
        table.print(out, output.terminal());
        out.println(findings.size() + " finding(s) against " + file);
      }
      out.flush();
      return findings.isEmpty() ? ExitCodes.OK : ExitCodes.NO;
    }
  }
}
