import dev.porthole.watch.EventDetector;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.Policy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Times one watch cycle (read /proc/net, owners from the cache, details, diff) as the daemon runs
 * it: the first (cold: full fd scan, executables hashed) and then CYCLES warm ones.
 *
 * <p>Usage: java -cp porthole.jar CycleBench.java [CYCLES]
 */
public class CycleBench {
  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long sockets = 0;
    for (String f : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
      Path p = Path.of("/proc/net", f);
      if (Files.exists(p)) {
        sockets += Files.readAllLines(p).size() - 1;
      }
    }
    ListenerReader reader = ListenerReader.system();
    EventDetector detector = new EventDetector();
    long t0 = System.nanoTime();
    List<Listener> first = reader.read();
    detector.step(first, Policy.NONE, Instant.now());
    long cold = System.nanoTime() - t0;
    long[] warm = new long[cycles];
    long[] cpu = new long[cycles];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < cycles; i++) {
      long t = System.nanoTime();
      long c = threads.getCurrentThreadCpuTime();
      detector.step(reader.read(), Policy.NONE, Instant.now());
      cpu[i] = threads.getCurrentThreadCpuTime() - c;
      warm[i] = System.nanoTime() - t;
    }
    Arrays.sort(warm);
    Arrays.sort(cpu);
    System.out.printf("sockets in /proc/net: %d, listeners: %d%n", sockets, first.size());
    System.out.printf("first cycle (cold, full fd scan): %.1f ms%n", cold / 1e6);
    System.out.printf("warm cycle over %d: median %.2f ms, p90 %.2f ms, max %.2f ms%n", cycles,
        warm[cycles / 2] / 1e6, warm[cycles * 9 / 10] / 1e6, warm[cycles - 1] / 1e6);
    // CPU time (user + kernel) of the cycle's thread: what a busy machine does not inflate.
    System.out.printf("warm cycle CPU time: median %.2f ms, p90 %.2f ms%n",
        cpu[cycles / 2] / 1e6, cpu[cycles * 9 / 10] / 1e6);
  }
}
