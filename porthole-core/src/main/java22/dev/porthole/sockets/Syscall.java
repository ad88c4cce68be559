package dev.porthole.sockets;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * System calls through libc's {@code syscall(2)}, the one downcall handle every FFM caller here
 * shares (the netlink socket, the scanner), with errno captured in the calling thread's own memory:
 * a call and the {@link #errno} read after it run on one thread, so threads that share a socket
 * (the netlink one: the watch, the API and the dashboard feed) never read each other's errno.
 *
 * <p>Why one handle: the JVM makes a stub for each distinct downcall shape, which costs a cold JVM
 * ~5 ms of CPU apiece (and C1 time compiling the class-file code that spins it); a one-shot command
 * pays that in full. Numbers are Linux's, x86-64 or arm64 ({@link #number}).
 */
public final class Syscall {
  private static final boolean AMD64 = System.getProperty("os.arch").equals("amd64");
  private static final Linker LINKER = Linker.nativeLinker();
  private static final VarHandle ERRNO_VALUE =
      Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle SYSCALL = handle();
  // Each thread's captured errno; freed with the thread (an automatic arena).
  private static final ThreadLocal<MemorySegment> STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

  private Syscall() {}

  /** Returns the system call number of this architecture: {@code amd64}'s or {@code arm64}'s. */
  public static long number(long amd64, long arm64) {
    return AMD64 ? amd64 : arm64;
  }

  /** Returns what the system call {@code number} returned: -1 with {@link #errno} on failure. */
  public static long call(long number, long a, long b, long c, long d, long e, long f) {
    try {
      return (long) SYSCALL.invokeExact(STATE.get(), number, a, b, c, d, e, f);
    } catch (Throwable t) {
      // invokeExact declares Throwable; a downcall throws only on a wrong signature (a bug here).
      throw new IllegalStateException("syscall failed: " + t, t);
    }
  }

  /** Returns errno as the calling thread's last failed call left it. */
  public static int errno() {
    return (int) ERRNO_VALUE.get(STATE.get(), 0L);
  }

  private static MethodHandle handle() {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find("syscall")
            .orElseThrow(() -> new UnsatisfiedLinkError("syscall"));
    // long syscall(long number, ...): the arguments after the number are variadic.
    FunctionDescriptor longs =
        FunctionDescriptor.of(
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    return LINKER.downcallHandle(
        symbol, longs, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
  }
}
