package dev.porthole.cli;

/** Returns what every porthole command exits with; the README documents the same table. */
public final class ExitCodes {
  /** The command did what was asked, or the answer is "yes". */
  public static final int OK = 0;

  /** The answer is "no" or "not found": a port is free, a target is down, a policy is violated. */
  public static final int NO = 1;

  /** The command line was malformed: unknown option, bad port, bad range. */
  public static final int USAGE = 2;

  /** Something failed while running: I/O, permissions, a daemon that does not answer. */
  public static final int FAILURE = 3;

  private ExitCodes() {}
}
