package dev.porthole.testing;

/** Returns, in a second JVM, whether it can lock the port given as argument: prints a word. */
final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) {
    PortLocks.Lock lock = PortLocks.tryLock(Integer.parseInt(args[0]));
    System.out.println(lock == null ? "busy" : "locked");
    if (lock != null) {
      lock.close();
    }
  }
}
