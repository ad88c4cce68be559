package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@code kill} only against child processes this test starts (and itself, to be refused). */
@Timeout(60)
class KillCommandTest {
  private static final int ME = Signals.myUid();

  /**
   * Returns true when only {@code pid} listens on {@code port}: kill ends every listener on the
   * number, and on this shared machine another process may listen on it at another address.
   */
  private static boolean onlyHolder(long pid, int port) {
    return dev.porthole.sockets.SocketInventory.system()
        .snapshot(s -> s.localPort() == port && s.listening())
        .sockets()
        .stream()
        .allMatch(s -> s.owner() != null && s.owner().pid() == pid);
  }

  /** Starts a listener child whose port nobody else listens on (a few attempts at most). */
  private static Child exclusiveChild(String... specs) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      Child child = Child.start(specs);
      String spec = specs[specs.length - 1];
      if (onlyHolder(child.pid(), child.port(spec))) {
        return child;
      }
      child.close();
    }
    throw new IllegalStateException("no exclusive port in 5 attempts");
  }

  @Test
  void endsTheHolderWithSigtermAndReportsIt() throws Exception {
    try (Child child = exclusiveChild("tcp:127.0.0.1")) {
      int port = child.port("tcp:127.0.0.1");

      Cli run = Cli.run("kill", Integer.toString(port), "--yes", "--pid", "" + child.pid());

      assertThat(run.exit()).isZero();
      assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(run.out()).startsWith(port + ": java (PID " + child.pid() + ", user ");
      assertThat(run.out())
          .containsPattern(
              "PID " + child.pid() + " java: exited after SIGTERM \\(\\d+\\.\\d\\d s\\)");
    }
  }

  @Test
  void escalatesToSigkillAfterTheGrace() throws Exception {
    try (Child child = exclusiveChild("ignore-term", "tcp:::1")) {
      int port = child.port("tcp:::1");

      Cli run =
          Cli.run(
              "kill", "" + port, "--yes", "--grace", "300ms", "--json", "--pid", "" + child.pid());

      assertThat(run.exit()).isZero();
      assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(run.out())
          .contains("\"outcome\" : \"killed\"")
          .contains("\"signals\" : [ \"TERM\", \"KILL\" ]");
    }
  }

  @Test
  void refusesToKillItself() throws Exception {
    ServerSocket mine = null;
    for (int attempt = 0; attempt < 5 && mine == null; attempt++) {
      ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
      if (onlyHolder(ProcessHandle.current().pid(), s.getLocalPort())) {
        mine = s;
      } else {
        s.close();
      }
    }
    try (ServerSocket held = mine) {
      String self = Long.toString(ProcessHandle.current().pid());
      Cli run = Cli.run("kill", Integer.toString(held.getLocalPort()), "--yes", "--pid", self);

      assertThat(run.exit()).isEqualTo(3);
      assertThat(run.out()).contains(": refused: that is porthole itself");
      assertThat(held.isClosed()).isFalse();
    }
  }

  @Test
  void refusesPidOneAndOtherUsersUnlessRoot() {
    assertThat(Signals.refusal(1, ME, 999_999, ME))
        .startsWith("refused: PID 1 is the init process");
    assertThat(Signals.refusal(4242, 1234, 999_999, 1000))
        .isEqualTo("refused: it belongs to uid 1234, not you (run as root to end it)");
    assertThat(Signals.refusal(4242, 1234, 999_999, 0)).isNull();
    assertThat(Signals.refusal(4242, 1000, 999_999, 1000)).isNull();
  }

  @Test
  void asksForYesWhenNotOnATerminalAndSendsNothing() throws Exception {
    try (Child child = Child.start("tcp:127.0.0.1")) {
      Cli run = Cli.run("kill", Integer.toString(child.port("tcp:127.0.0.1")));

      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo(
              "porthole kill: not on a terminal: pass --yes to send SIGTERM without asking\n");
      Cli otherPid =
          Cli.run("kill", "" + child.port("tcp:127.0.0.1"), "--yes", "--pid", "999999999");
      assertThat(otherPid.exit()).isEqualTo(1);
      assertThat(otherPid.err())
          .isEqualTo(
              "porthole kill: PID 999999999 does not listen on "
                  + child.port("tcp:127.0.0.1")
                  + "\n");
      assertThat(child.process.isAlive()).isTrue();
    }
  }

  @Test
  void rejectsBadInputAndSaysWhenNothingListens() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    String self = Long.toString(ProcessHandle.current().pid());
    // --pid: should a foreign process take the port meanwhile, nothing is sent to it.
    Cli nothing = Cli.run("kill", Integer.toString(free), "--yes", "--pid", self);
    Cli signal = Cli.run("kill", "8080", "--signal", "BOGUS");
    Cli grace = Cli.run("kill", "8080", "--grace", "soon");

    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).isEqualTo("porthole kill: nothing listens on " + free + "\n");
    assertThat(signal.exit()).isEqualTo(2);
    assertThat(signal.err())
        .isEqualTo(
            "porthole kill: --signal: 'BOGUS' (expected: TERM, INT, HUP, QUIT, KILL, USR1,"
                + " USR2)\n");
    assertThat(grace.err())
        .isEqualTo(
            "porthole kill: --grace: 'soon' (expected: a duration like 250ms, 30s, 2m, 1h30m,"
                + " 1d)\n");
  }
}
