package dev.porthole.cli;

import dev.porthole.cli.inventory.SocketRow;
import dev.porthole.quarantine.Refusals;
import dev.porthole.text.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Returns how {@code kill} decides, signals and waits: refusals, signals, escalation. */
public final class Signals {
  private Signals() {}

  /** Returns a signal porthole can send, with its number. */
  public enum Signal {
    HUP(1),
    INT(2),
    QUIT(3),
    KILL(9),
    USR1(10),
    USR2(12),
    TERM(15);

    final int number;

    Signal(int number) {
      this.number = number;
    }

    /** Returns the signal named by {@code text}: "TERM", "sigterm", "15". */
    public static Signal parse(String text) {
      String s = text.strip().toUpperCase(Locale.ROOT);
      s = s.startsWith("SIG") ? s.substring(3) : s;
      for (Signal signal : values()) {
        if (signal.name().equals(s) || Integer.toString(signal.number).equals(s)) {
          return signal;
        }
      }
      throw CliException.usage(
          "--signal: '" + text + "' (expected: TERM, INT, HUP, QUIT, KILL, USR1, USR2)");
    }

    /** Returns true when the signal asks a process to end, so SIGKILL may follow it. */
    boolean ends() {
      return this == TERM || this == INT || this == QUIT;
    }
  }

  /**
   * Returns what happened to one process.
   *
   * @param outcome "exited", "killed" (needed SIGKILL), "running" (survived), "signalled" (a signal
   *     that does not end it was delivered), "refused" or "failed"
   * @param signals the signals sent, in order
   */
  public record Outcome(
      int pid,
      String name,
      String user,
      String commandLine,
      String outcome,
      String detail,
      List<String> signals,
      double seconds) {}

  /** Returns why {@code pid} must not be signalled, or null: see {@link Refusals}. */
  public static String refusal(long pid, int uid, long self, int myUid) {
    return Refusals.refusal(pid, uid, self, myUid);
  }

  /** Returns this process's uid. */
  public static int myUid() {
    return Refusals.myUid();
  }

  /** The longest --grace: a process that needs more than an hour to stop is not stopping. */
  static final Duration MAX_GRACE = Duration.ofHours(1);

  /** Returns {@code --grace} ("5s", "500ms", "1m"); a bare number is seconds, as documented. */
  public static Duration grace(String text) {
    try {
      return Durations.parse(text, "--grace", "s", MAX_GRACE);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Sends {@code signal} to every target, waits up to {@code grace}, then SIGKILLs survivors. */
  public static List<Outcome> end(List<SocketRow.Owner> targets, Signal signal, Duration grace) {
    long start = System.nanoTime();
    List<Outcome> outcomes = new ArrayList<>();
    List<SocketRow.Owner> sent = new ArrayList<>();
    for (SocketRow.Owner t : targets) {
      String error = send(t.pid(), signal);
      if (error != null) {
        outcomes.add(
            outcome(t, "failed", "could not send SIG" + signal + ": " + error, List.of(), start));
      } else {
        sent.add(t);
      }
    }
    if (!signal.ends()) {
      sent.forEach(
          t ->
              outcomes.add(
                  outcome(t, "signalled", "sent SIG" + signal, List.of(signal.name()), start)));
      return outcomes;
    }
    waitForExit(sent, grace);
    for (SocketRow.Owner t : sent) {
      if (!alive(t.pid())) {
        outcomes.add(
            outcome(
                t,
                "exited",
                "exited after SIG" + signal + seconds(start),
                List.of(signal.name()),
                start));
      } else if (grace.isZero()) {
        outcomes.add(
            outcome(
                t,
                "running",
                "still running after SIG" + signal + " (--grace 0: no SIGKILL)",
                List.of(signal.name()),
                start));
      } else {
        outcomes.add(escalate(t, signal, grace, start));
      }
    }
    return outcomes;
  }

  private static Outcome escalate(SocketRow.Owner t, Signal signal, Duration grace, long start) {
    List<String> signals = List.of(signal.name(), "KILL");
    String error = send(t.pid(), Signal.KILL);
    if (error != null) {
      return outcome(
          t,
          "running",
          "still running after SIG" + signal + "; SIGKILL failed: " + error,
          List.of(signal.name()),
          start);
    }
    waitForExit(List.of(t), Duration.ofSeconds(2));
    String after =
        "still running after SIG"
            + signal
            + " for "
            + grace.toMillis() / 1000.0
            + " s; sent SIGKILL";
    return alive(t.pid())
        ? outcome(t, "running", after + ", still running" + seconds(start), signals, start)
        : outcome(t, "killed", after + ", exited" + seconds(start), signals, start);
  }

  private static Outcome outcome(
      SocketRow.Owner t, String what, String detail, List<String> signals, long start) {
    double secs = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    return new Outcome(t.pid(), t.name(), t.user(), t.commandLine(), what, detail, signals, secs);
  }

  private static String seconds(long start) {
    return String.format(Locale.ROOT, " (%.2f s)", (System.nanoTime() - start) / 1e9);
  }

  /** Returns null when sent, else why not. SIGTERM and SIGKILL need no helper process. */
  private static String send(int pid, Signal signal) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return "it has already exited";
    }
    if (signal == Signal.TERM || signal == Signal.KILL) {
      boolean ok = signal == Signal.TERM ? handle.get().destroy() : handle.get().destroyForcibly();
      return ok ? null : "not permitted";
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal.name(), Integer.toString(pid))
              .redirectErrorStream(true)
              .start();
      String said = new String(kill.getInputStream().readAllBytes()).strip();
      return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0
          ? null
          : "kill said: " + said;
    } catch (IOException e) {
      return "cannot run kill: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static void waitForExit(List<SocketRow.Owner> targets, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline && targets.stream().anyMatch(t -> alive(t.pid()))) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Returns true while {@code pid} runs; a zombie (exited, not yet reaped) counts as gone. */
  static boolean alive(int pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return !Files.isDirectory(Path.of("/proc")); // no /proc: trust ProcessHandle
    }
  }
}
