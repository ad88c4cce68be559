import dev.porthole.proxy.*;
import java.io.*;
import java.lang.management.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

/**
 * Measures what the library's warm-up costs: runs {@link ProxyWarmUp} on an engine like LocalProxy's,
 * prints its result, its wall time and the CPU per thread group, then 300 short connections through
 * a new proxy and what they still compiled (compile ms left after the warm-up).
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp porthole-cli/target/porthole.jar
 * bench/proxy/WarmUpCostBench.java} (ephemeral loopback ports only).
 */
public class WarmUpCostBench {
  static double cpu(String path) throws IOException {
    String[] f = Files.readString(Path.of(path)).substring(Files.readString(Path.of(path)).lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
  public static void main(String[] a) throws Exception {
    ProxyEngine engine = ProxyEngine.daemon(2, "porthole-proxy");
    double c0 = cpu("/proc/self/stat");
    long t0 = System.nanoTime();
    var r = ProxyWarmUp.run(engine);
    System.out.printf("warm-up %s wall %d ms, process CPU %.2f s%n", r, (System.nanoTime() - t0) / 1000000, cpu("/proc/self/stat") - c0);
    Thread.sleep(1500);
    Map<String, Double> by = new TreeMap<>();
    for (File t : new File("/proc/self/task").listFiles()) {
      String comm = Files.readString(Path.of(t + "/comm")).trim().replaceAll("(?<=[a-z#-])[0-9]+", "#");
      by.merge(comm, cpu(t + "/stat"), Double::sum);
    }
    by.entrySet().stream().filter(e -> e.getValue() > 0.05).forEach(e -> System.out.printf("  %-18s %.2f%n", e.getKey(), e.getValue()));
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    try (ServerSocket echo = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> { while (true) { try { Socket s = echo.accept(); Thread.ofVirtual().start(() -> { try (s) { s.getInputStream().transferTo(s.getOutputStream()); } catch (IOException e) {} }); } catch (IOException e) { return; } } });
      var opt = ProxyOptions.tcp("probe", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "127.0.0.1:" + echo.getLocalPort());
      try (RunningProxy p = engine.start(opt)) {
        long j0 = jit.getTotalCompilationTime(); double e0 = cpu("/proc/self/stat");
        long[] ns = new long[300];
        byte[] b = new byte[64];
        for (int i = 0; i < 300; i++) {
          long s0 = System.nanoTime();
          try (Socket s = new Socket(p.localAddress().getAddress(), p.localAddress().getPort())) {
            s.setTcpNoDelay(true); s.getOutputStream().write(b); s.getInputStream().readNBytes(64);
          }
          ns[i] = System.nanoTime() - s0;
        }
        Arrays.sort(ns);
        System.out.printf("after: 300 conns compiled %d ms, CPU %.2f s, p50 %.3f ms%n", jit.getTotalCompilationTime() - j0, cpu("/proc/self/stat") - e0, ns[150] / 1e6);
      }
    }
    System.exit(0);
  }
}
