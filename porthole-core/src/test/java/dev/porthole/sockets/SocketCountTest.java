package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket count from {@code sockstat}, on files in the kernel's format, and the one-shot choice
 * it makes: the text below {@link SocketTables.OneQuestion#MANY} sockets ({@link
 * SocketTables.OneQuestion#MANY_FOR_LISTENERS} for a question about listeners), netlink from there.
 */
class SocketCountTest {
  private static final String SOCKSTAT =
      """
      sockets: used 176
      TCP: inuse %d orphan 0 tw %d alloc 153 mem 72
      UDP: inuse 1 mem 0
      UDPLITE: inuse 0
      RAW: inuse 0
      FRAG: inuse 0 memory 0
      """;
  private static final String SOCKSTAT6 =
      """
      TCP6: inuse 37
      UDP6: inuse 2
      UDPLITE6: inuse 0
      RAW6: inuse 0
      FRAG6: inuse 0 memory 0
      """;

  @TempDir Path root;

  @Test
  void countsSocketsInUseAndTimeWaitOfBothFamilies() throws IOException {
    write(116, 1241, true);
    assertThat(SocketCount.of(root)).isEqualTo(116 + 1241 + 1 + 37 + 2);
  }

  @Test
  void withoutIpv6ItCountsIpv4Alone() throws IOException {
    write(10, 5, false);
    assertThat(SocketCount.of(root)).isEqualTo(10 + 5 + 1);
  }

  @Test
  void noSockstatGivesNoHint() {
    assertThat(SocketCount.of(root)).isEqualTo(-1);
  }

  @Test
  void theSystemCountIsAtLeastThisTestsOwnListener() throws IOException {
    try (var held = new java.net.ServerSocket(0)) {
      assertThat(SocketCount.of(Path.of("/proc"))).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aOneShotQuestionReadsTheTextUntilTheTablesHoldMany() throws IOException {
    LineFilter who = LineFilter.port(5432);
    write(100, 0, true);
    assertThat(SocketTables.OneQuestion.source(null, root, who)).isEqualTo("proc");
    write(100, SocketTables.OneQuestion.MANY - 140 - 1, true); // 140: the other counts
    assertThat(SocketTables.OneQuestion.source(null, root, who)).isEqualTo("proc");
    write(100, SocketTables.OneQuestion.MANY - 140, true);
    assertThat(SocketTables.OneQuestion.source(null, root, who)).isEqualTo("ffm");
    assertThat(SocketTables.OneQuestion.source("proc", root, who)).isEqualTo("proc");
    assertThat(SocketTables.OneQuestion.source("netlink", root, who)).isEqualTo("netlink");
    write(100, 0, true);
    assertThat(SocketTables.OneQuestion.source("ffm", root, who)).isEqualTo("ffm");
    assertThat(SocketTables.OneQuestion.source("FFM", root, who)).isEqualTo("ffm");
  }

  @Test
  void aQuestionAboutListenersOnlyTurnsToNetlinkSooner() throws IOException {
    LineFilter info = LineFilter.port(5432).and(LineFilter.LISTENERS);
    long many = SocketTables.OneQuestion.MANY_FOR_LISTENERS;
    assertThat(many).isLessThan(SocketTables.OneQuestion.MANY);
    write(100, many - 140 - 1, true);
    assertThat(SocketTables.OneQuestion.source(null, root, info)).isEqualTo("proc");
    write(100, many - 140, true);
    assertThat(SocketTables.OneQuestion.source(null, root, info)).isEqualTo("ffm");
    assertThat(SocketTables.OneQuestion.source(null, root, LineFilter.LISTENERS)).isEqualTo("ffm");
    assertThat(SocketTables.OneQuestion.source(null, root, LineFilter.port(5432)))
        .isEqualTo("proc"); // who: connections too
  }

  @Test
  void withoutSockstatAOneShotQuestionReadsTheText() {
    assertThat(SocketTables.OneQuestion.source(null, root, LineFilter.ALL)).isEqualTo("proc");
  }

  private void write(long tcp, long timeWait, boolean ipv6) throws IOException {
    Files.createDirectories(root.resolve("net"));
    Files.writeString(root.resolve("net/sockstat"), SOCKSTAT.formatted(tcp, timeWait));
    if (ipv6) {
      Files.writeString(root.resolve("net/sockstat6"), SOCKSTAT6);
    }
  }
}
