package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each thread reads the errno of its own failed system call, however many threads call {@code
 * Syscall} (and the netlink socket on it, {@code FfmNetlink}) at once. {@code Syscall} is compiled
 * for Java 22 (src/main/java22) and the tests for 21, so it is called by name.
 */
@Timeout(60)
class SyscallErrnoTest {
  private static final int EBADF = 9;
  private static final int EAFNOSUPPORT = 97;

  private static final Method CALL;
  private static final Method ERRNO;
  private static final long CLOSE;
  private static final long SOCKET;

  static {
    try {
      Class<?> syscall = Class.forName("dev.porthole.sockets.Syscall");
      Method number = syscall.getMethod("number", long.class, long.class);
      CALL = syscall.getMethod("call", long.class, long.class, long.class, long.class, long.class,
          long.class, long.class);
      ERRNO = syscall.getMethod("errno");
      CLOSE = (long) number.invoke(null, 3L, 57L);
      SOCKET = (long) number.invoke(null, 41L, 198L);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Fails with EBADF: close(-1). */
  private static long badClose() throws ReflectiveOperationException {
    return (long) CALL.invoke(null, CLOSE, -1L, 0L, 0L, 0L, 0L, 0L);
  }

  /** Fails with EAFNOSUPPORT: a socket of an address family that does not exist. */
  private static long badSocket() throws ReflectiveOperationException {
    return (long) CALL.invoke(null, SOCKET, 9999L, 1L, 0L, 0L, 0L, 0L);
  }

  private static int errno() throws ReflectiveOperationException {
    return (int) ERRNO.invoke(null);
  }

  @Test
  void anotherThreadsFailureBetweenACallAndItsErrnoDoesNotChangeIt() throws Exception {
    CountDownLatch firstFailed = new CountDownLatch(1);
    CountDownLatch secondFailed = new CountDownLatch(1);
    int[] seen = new int[2];
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread first =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    assertThat(badClose()).isEqualTo(-1);
                    firstFailed.countDown();
                    // The second thread fails with another errno before this one reads its own.
                    assertThat(secondFailed.await(10, TimeUnit.SECONDS)).isTrue();
                    seen[0] = errno();
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                });
    Thread second =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    assertThat(firstFailed.await(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(badSocket()).isEqualTo(-1);
                    seen[1] = errno();
                    secondFailed.countDown();
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                });
    first.join(20_000);
    second.join(20_000);
    assertThat(failures).isEmpty();
    assertThat(seen).containsExactly(EBADF, EAFNOSUPPORT);
  }

  @Test
  void manyThreadsFailingAtOnceEachReadTheirOwnErrno() throws Exception {
    int threads = 8;
    int calls = 20_000;
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean close = t % 2 == 0;
      all.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                      for (int i = 0; i < calls; i++) {
                        long r = close ? badClose() : badSocket();
                        if (r != -1 || errno() != (close ? EBADF : EAFNOSUPPORT)) {
                          wrong.incrementAndGet();
                        }
                        done.incrementAndGet();
                      }
                    } catch (InterruptedException | ReflectiveOperationException e) {
                      wrong.incrementAndGet();
                    }
                  }));
    }
    start.countDown();
    for (Thread t : all) {
      t.join(30_000);
    }
    assertThat(done).hasValue(threads * calls);
    assertThat(wrong).hasValue(0);
  }
}
