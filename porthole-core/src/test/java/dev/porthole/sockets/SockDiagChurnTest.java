package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many listeners make the sock_diag dump span many datagrams, and others opening and closing
 * listeners meanwhile shift the kernel's tables between them: a listener that stays open must be in
 * every reading all the same, from one shared socket read by two threads at once.
 */
@Timeout(120)
class SockDiagChurnTest {
  private static final int IDLE = 3000;
  private static final int READINGS = 40;

  @Test
  void aListenerThatStaysOpenIsInEveryReadingWhileOthersComeAndGo() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    List<ServerSocket> idle = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (SockDiag diag = SockDiag.open();
        ServerSocket kept = new ServerSocket(0, 5, loopback)) {
      for (int i = 0; i < IDLE; i++) {
        idle.add(new ServerSocket(0, 1, loopback));
      }
      Thread churn = Thread.ofPlatform().start(() -> churn(loopback, stop));
      List<String> misses = new ArrayList<>();
      Thread other = Thread.ofPlatform().start(() -> readMany(diag, kept.getLocalPort(), misses));
      readMany(diag, kept.getLocalPort(), misses);
      other.join(60_000);
      stop.set(true);
      churn.join(10_000);
      assertThat(misses).isEmpty();
    } finally {
      stop.set(true);
      for (ServerSocket s : idle) {
        s.close();
      }
    }
  }

  private static void readMany(SockDiag diag, int port, List<String> misses) {
    for (int i = 0; i < READINGS; i++) {
      try {
        // The JDK's sockets are IPv6 ones, bound to ::ffff:127.0.0.1: the tcp6 table.
        ProcNetParser.Result r = diag.read(Protocol.TCP, true, LineFilter.LISTENERS);
        // Over IDLE listeners: a dump of many datagrams, each of which must be read.
        boolean found = r.entries().stream().anyMatch(e -> e.localPort() == port);
        if (r.entries().size() <= IDLE || !found) {
          synchronized (misses) {
            misses.add("reading " + i + ": " + r.entries().size() + " listeners, not " + port);
          }
        }
      } catch (Exception e) {
        synchronized (misses) {
          misses.add("reading " + i + ": " + e);
        }
      }
    }
  }

  private static void churn(InetAddress loopback, AtomicBoolean stop) {
    for (int round = 0; round < 10_000 && !stop.get(); round++) {
      List<ServerSocket> batch = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          batch.add(new ServerSocket(0, 1, loopback));
        }
      } catch (Exception e) {
        return;
      } finally {
        for (ServerSocket s : batch) {
          try {
            s.close();
          } catch (Exception ignored) {
            // closing a listener we opened: nothing to do
          }
        }
      }
    }
  }
}
