package dev.porthole.cli.routing;

import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.routing.tls.LocalCa;
import dev.porthole.routing.trust.JdkTrustStore;
import dev.porthole.routing.trust.TrustException;
import dev.porthole.routing.trust.TrustLocations;
import dev.porthole.routing.trust.TrustStore;
import dev.porthole.store.DataDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Installs the router's local CA where Linux clients look (system store, NSS databases, the JDK),
 * showing each step and asking first; {@code --uninstall} removes it from every one.
 */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = {
      "Trust the router's local CA where browsers, curl and the JDK look.",
      "Installs it in the system store (update-ca-certificates), the NSS databases of Chromium",
      "(~/.pki/nssdb) and Firefox (certutil), and the JDK's cacerts."
    },
    footer = {
      "",
      "Examples:",
      "  porthole trust                      # shows the steps, asks, installs",
      "  porthole trust --yes                # no question (scripts)",
      "  porthole trust --uninstall --yes    # remove it from every store",
      "  porthole trust --print > ca.pem     # curl --cacert ca.pem, NODE_EXTRA_CA_CERTS=ca.pem",
      "  porthole trust --home /tmp/h --sysroot /tmp/root --cacerts /tmp/cacerts --yes"
    })
public final class TrustCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(names = "--yes", description = "Do not ask before changing the stores.")
  boolean yes;

  @Option(names = "--uninstall", description = "Remove the CA from every store.")
  boolean uninstall;

  @Option(names = "--print", description = "Print the CA certificate (PEM) and change nothing.")
  boolean print;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the CA lives.")
  Path dataDir;

  @Option(names = "--home", paramLabel = "DIR", description = "Home folder (default: $HOME).")
  Path home;

  @Option(
      names = "--sysroot",
      paramLabel = "DIR",
      description = "Root of the system store (default /; for containers and tests).")
  Path sysroot = Path.of("/");

  @Option(
      names = "--cacerts",
      paramLabel = "FILE",
      description = "JDK cacerts to change (default: the running JDK's).")
  Path cacerts;

  @Option(names = "--no-jdk", description = "Leave the JDK's cacerts alone.")
  boolean noJdk;

  @Override
  public Integer call() {
    LocalCa ca = loadCa();
    PrintWriter out = spec.commandLine().getOut();
    if (print) {
      out.print(ca.certificatePem());
      out.flush();
      return ExitCodes.OK;
    }
    Path h = home != null ? home : Path.of(System.getProperty("user.home"));
    Path jdk = noJdk ? null : cacerts != null ? cacerts : JdkTrustStore.runningJdk();
    List<TrustStore> stores =
        new TrustLocations(h, sysroot, jdk).stores(CommandRunner.system(Duration.ofSeconds(60)));
    String verb = uninstall ? "remove" : "install";
    if (!output.json()) {
      out.println(
          "porthole will "
              + verb
              + " its local CA ("
              + ca.certificateFile()
              + ") "
              + (uninstall ? "from:" : "in:"));
      for (TrustStore s : stores) {
        out.println(String.format(Locale.ROOT, "  %-7s %s", s.kind(), s.location()));
      }
      out.flush();
    }
    if (!yes) {
      confirm(out, verb);
    }
    return run(stores, ca, out);
  }

  private int run(List<TrustStore> stores, LocalCa ca, PrintWriter out) {
    List<Map<String, Object>> steps = new ArrayList<>();
    boolean failed = false;
    for (TrustStore s : stores) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("kind", s.kind());
      step.put("location", s.location());
      try {
        String detail =
            uninstall ? s.uninstall() : s.install(ca.certificate(), ca.certificatePem());
        step.put("ok", true);
        step.put("detail", detail);
      } catch (TrustException e) {
        failed = true;
        step.put("ok", false);
        step.put("detail", e.getMessage());
      }
      steps.add(step);
      if (!output.json()) {
        boolean ok = (Boolean) step.get("ok");
        out.println((ok ? "  ok      " : "  FAILED  ") + s.kind() + ": " + step.get("detail"));
        out.flush();
      }
    }
    if (output.json()) {
      output.printJson(out, steps);
    }
    return failed ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private void confirm(PrintWriter out, String verb) {
    if (System.console() == null) {
      throw CliException.usage("not a terminal: add --yes to " + verb + " without asking");
    }
    out.print("Go ahead? [y/N] ");
    out.flush();
    String answer;
    try {
      answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (java.io.IOException e) {
      answer = null;
    }
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
      throw new CliException(ExitCodes.NO, "nothing changed");
    }
  }

  private LocalCa loadCa() {
    try {
      return LocalCa.loadOrCreate(
          DataDir.resolve(dataDir).resolve(LocalCa.FOLDER), Clock.systemUTC());
    } catch (UncheckedIOException | IllegalStateException e) {
      throw CliException.failure(e.getMessage());
    }
  }
}
