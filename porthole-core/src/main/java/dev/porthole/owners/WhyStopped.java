package dev.porthole.owners;

import dev.porthole.attribution.DockerEngine;
import dev.porthole.checks.CommandRunner;
import dev.porthole.quarantine.Freezer;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.store.Store;
import dev.porthole.text.Durations;
import dev.porthole.watch.ProcessDetails;
import dev.porthole.watch.WatchStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns what porthole can know about who should be on a port that does not answer: the watch's
 * history ("vite, PID 4242, listened here until 3m ago"), whether that process (or the one that
 * listens now) is stopped, a zombie, gone or in porthole's quarantine, and the systemd unit that
 * ran it ({@link SystemdUnit}), and a stopped container that publishes the port, with its exit code
 * and last log lines ({@link ContainerNotes}).
 */
public final class WhyStopped {
  private final Store store;
  private final SystemdUnit systemd;
  private final ContainerNotes containers = new ContainerNotes(DockerEngine.local());

  /**
   * @param store the data directory's store, or null when there is none (no history then)
   */
  public WhyStopped(Store store, CommandRunner runner) {
    this.store = store;
    this.systemd = new SystemdUnit(runner);
  }

  /** Returns one line per thing found about TCP {@code port}; empty when nothing is known. */
  public List<String> explain(int port, Instant now) {
    List<String> lines = new ArrayList<>();
    stoppedListeners(port, lines);
    lines.addAll(containers.explain(port));
    if (store == null) {
      return lines;
    }
    List<WatchStore.HistoryEntry> history =
        new WatchStore(store)
            .history(port).stream().filter(h -> h.protocol().startsWith("tcp")).toList();
    if (history.isEmpty()) {
      lines.add("the watch never saw anything listen on TCP port " + port);
      return lines;
    }
    WatchStore.HistoryEntry last = history.getLast();
    ProcessDetails o = last.owner();
    lines.add(historyLine(last, port, now));
    if (o != null) {
      lines.addAll(processState(o, port));
      lines.addAll(systemd.describe(o, Freezer.startTicks(o.pid()) == o.startTicks()));
    }
    return lines;
  }

  private static String historyLine(WatchStore.HistoryEntry last, int port, Instant now) {
    ProcessDetails o = last.owner();
    String who = o == null ? "an unknown process" : o.name() + ", PID " + o.pid();
    String where = last.address() + ":" + port;
    if (last.closed() == null) {
      return who
          + ", listened on "
          + where
          + " when the watch last looked (since "
          + last.opened()
          + ")";
    }
    Duration ago = Duration.between(Instant.parse(last.closed()), now);
    return who
        + ", listened on "
        + where
        + " until "
        + Durations.format(round(ago))
        + " ago ("
        + last.closed()
        + ")";
  }

  private void stoppedListeners(int port, List<String> lines) {
    for (OwnedSocket s :
        SocketInventory.snapshotAnywhere(LineFilter.port(port).and(LineFilter.LISTENERS), e -> true)
            .sockets()) {
      for (ProcessInfo p : s.owners()) {
        if (Freezer.state(p.pid()) == 'T') {
          String line =
              p.name()
                  + ", PID "
                  + p.pid()
                  + ", listens on port "
                  + port
                  + " but is stopped (state T): the kernel accepts connections, nobody answers";
          if (!lines.contains(line)) {
            lines.add(line);
            lines.add(resumeHint(p.pid()));
          }
        }
      }
    }
  }

  private List<String> processState(ProcessDetails o, int port) {
    if (Freezer.startTicks(o.pid()) != o.startTicks()) {
      return List.of(
          "PID "
              + o.pid()
              + " has exited"
              + (Freezer.state(o.pid()) == '?' ? "" : " (the pid now belongs to another process)"));
    }
    char state = Freezer.state(o.pid());
    return switch (state) {
      case 'T', 't' ->
          List.of(
              "PID " + o.pid() + " (" + o.name() + ") is stopped (state T)", resumeHint(o.pid()));
      case 'Z' ->
          List.of("PID " + o.pid() + " is a zombie: it exited, its parent has not reaped it");
      default ->
          List.of(
              "PID "
                  + o.pid()
                  + " ("
                  + o.name()
                  + ") still runs (state "
                  + state
                  + ") but no longer listens on "
                  + port);
    };
  }

  private String resumeHint(int pid) {
    if (store != null) {
      for (Quarantine q : new QuarantineStore(store).open()) {
        if (q.pid() == pid && Freezer.startTicks(pid) == q.startTicks()) {
          return "it is in porthole's quarantine "
              + q.id()
              + ": porthole quarantine release "
              + q.id();
        }
      }
    }
    return "resume it with: kill -CONT " + pid + " (a debugger or Ctrl-Z may have stopped it)";
  }

  private static Duration round(Duration d) {
    return d.isNegative() ? Duration.ZERO : Duration.ofSeconds(d.toSeconds());
  }
}
