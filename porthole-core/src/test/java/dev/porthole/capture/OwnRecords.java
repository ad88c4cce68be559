package dev.porthole.capture;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Returns the connection records of the test's own clients only: any process on the machine may
 * connect to a proxy's listener (a port scan of 127.0.0.1 reaches every one), and its connection
 * is recorded too. A record is the test's when its client address is a socket the test opened.
 */
public final class OwnRecords {
  private OwnRecords() {}

  /** Returns {@code client}'s address as records give it; read it while the socket is open. */
  public static String key(Socket client) {
    return StreamDecoder.address((InetSocketAddress) client.getLocalSocketAddress());
  }

  /** Returns the records of {@code records} whose client is {@code key}. */
  public static List<ConnectionRecord> of(Collection<ConnectionRecord> records, String key) {
    return records.stream().filter(r -> r.client().equals(key)).toList();
  }

  /**
   * Returns the next record from {@code key}'s connection, waiting up to {@code seconds} and
   * skipping records of other clients; fails when none comes.
   */
  public static ConnectionRecord next(
      BlockingQueue<ConnectionRecord> records, String key, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      ConnectionRecord r = records.poll(left, TimeUnit.NANOSECONDS);
      if (r != null && r.client().equals(key)) {
        return r;
      }
    }
    throw new AssertionError("no connection record from " + key + " within " + seconds + " s");
  }
}
