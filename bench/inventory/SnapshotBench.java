import dev.porthole.sockets.SocketInventory;
import dev.porthole.sockets.SocketSnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-process snapshot time with N open loopback sockets held by this JVM (N/2 connections, both
 * ends). Usage (from the repo root, after a build):
 *
 * <pre>
 *   ulimit -n 65536
 *   java -cp porthole-core/target/classes bench/inventory/SnapshotBench.java 10000
 * </pre>
 *
 * Prints the median and p90 of 60 snapshots (after 30 warm-up ones) for includeConnections true
 * (every socket joined to its owner) and false (listeners only).
 */
public class SnapshotBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"))) {
      for (int i = 0; i < n / 2; i++) {
        held.add(new Socket("127.0.0.1", server.getLocalPort()));
        held.add(server.accept());
      }
      SocketInventory inventory = SocketInventory.system();
      for (boolean all : new boolean[] {true, false}) {
        SocketSnapshot last = null;
        for (int i = 0; i < 30; i++) {
          last = inventory.snapshot(all);
        }
        long[] times = new long[60];
        for (int i = 0; i < times.length; i++) {
          long t0 = System.nanoTime();
          last = inventory.snapshot(all);
          times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        long owned = last.sockets().stream().filter(s -> !s.owners().isEmpty()).count();
        System.out.printf(
            "sockets held=%d includeConnections=%s: %d sockets (%d with owner), median %.1f ms, p90"
                + " %.1f ms%n",
            held.size(), all, last.sockets().size(), owned, times[30] / 1e6, times[54] / 1e6);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
