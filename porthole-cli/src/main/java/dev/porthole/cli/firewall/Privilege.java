package dev.porthole.cli.firewall;

import dev.porthole.cli.CliException;
import dev.porthole.firewall.NetAdmin;
import java.util.List;
import picocli.CommandLine;

/** Ends a command that changes packet filter rules without the right to, saying what to run. */
public final class Privilege {
  private Privilege() {}

  /** Throws exit 3 with the exact sudo command unless this process has CAP_NET_ADMIN. */
  public static void require(CommandLine.Model.CommandSpec spec) {
    if (NetAdmin.permitted()) {
      return;
    }
    throw CliException.failure(
        "changing packet filter rules needs root or CAP_NET_ADMIN; run: " + sudoCommand(spec));
  }

  /** Returns "sudo porthole firewall allow 62893 --for 10m": this command line again. */
  public static String sudoCommand(CommandLine.Model.CommandSpec spec) {
    CommandLine root = spec.commandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    List<String> args = root.getParseResult().originalArgs();
    StringBuilder sb = new StringBuilder("sudo porthole");
    for (String a : args) {
      sb.append(' ')
          .append(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
