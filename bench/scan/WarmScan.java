import dev.porthole.ports.PortScanner;
import dev.porthole.ports.PortSpec;
import dev.porthole.ports.ScanResult;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Scans 1-65535 on 127.0.0.1 several times in one JVM and prints each scan's own time: the cost
 * of the scan once the JVM is warm, without start-up. Run by bench/scan/run.sh as
 * {@code java -cp porthole-cli/target/porthole.jar bench/scan/WarmScan.java 5}.
 */
public class WarmScan {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    for (int i = 1; i <= runs; i++) {
      ScanResult r =
          new PortScanner(lo, 4096, Duration.ofSeconds(1)).scan(PortSpec.ALL, (done, total) -> {});
      System.out.printf("run %d: %.0f ms, %d open%n", i, r.millis(), r.open().size());
    }
  }
}
