package dev.porthole.cli;

import dev.porthole.attribution.Attributor;
import dev.porthole.cli.inventory.Inventory;
import dev.porthole.cli.inventory.SocketRow;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.SocketSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a cold {@code porthole who PORT} spends its main thread's CPU, phase by phase (picocli's
 * model, the snapshot, the attributor, the rows), read from {@code /proc/thread-self/schedstat}
 * so that a loaded machine inflates it less than wall time. In porthole's package, on the jar's
 * class path, with the launcher's options and AOT cache (a cache refuses other options):
 *
 * <pre>
 *   javac -d /tmp/phases -cp porthole-cli/target/porthole.jar bench/inventory/WhoPhases.java
 *   java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
 *     -XX:CICompilerCount=1 -XX:AOTCache=porthole-cli/target/porthole-jdk25.aot \
 *     -cp porthole-cli/target/porthole.jar:/tmp/phases dev.porthole.cli.WhoPhases 62893
 * </pre>
 */
public final class WhoPhases {
  private static long last = cpu();

  private WhoPhases() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    PrintWriter out = new PrintWriter(new StringWriter());
    Class.forName("picocli.CommandLine");
    mark("picocli's classes");
    Porthole.commandLineFor(new String[] {"who", args[0]}, out, out).parseArgs("who", args[0]);
    mark("model and parse");
    SocketSnapshot snapshot = Inventory.snapshot(LineFilter.ports(p -> p == port), s -> true);
    mark("snapshot (sockets and owners)");
    Attributor attributor = Attributor.system();
    List<SocketRow> rows = Inventory.rows(snapshot, false, attributor);
    mark("attributor and rows");
    System.err.println(rows.size() + " row(s)");
  }

  private static void mark(String what) {
    long now = cpu();
    System.err.printf("%-32s %6.1f ms CPU%n", what, (now - last) / 1e6);
    last = now;
  }

  private static long cpu() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/schedstat"));
      return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
