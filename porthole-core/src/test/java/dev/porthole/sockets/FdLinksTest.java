package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FdLinksTest {
  private static final String SELF = Long.toString(ProcessHandle.current().pid());

  @Test
  void readsEverySocketOfAProcessWithMoreFdsThanOneThreadTakes() throws IOException {
    // More than two split sizes of fds, so the links are read by several threads.
    List<DatagramChannel> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4500; i++) {
        open.add(
            DatagramChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
      }
      FdLinks links = FdLinks.read(new File("/proc"), new String[] {SELF, "self", "net"});

      assertThat(links.processes()).isEqualTo(1);
      assertThat(links.pid(0)).isEqualTo(Integer.parseInt(SELF));
      Set<Long> read = new HashSet<>();
      for (int k = links.firstFd(0); k < links.firstFd(1); k++) {
        read.add(links.inode(k));
      }
      assertThat(read).containsAll(socketInodesOfThisProcess());
      assertThat(read).contains(FdLinks.NOT_A_SOCKET); // the jar files, at least
    } finally {
      for (DatagramChannel c : open) {
        c.close();
      }
    }
  }

  @Test
  void countsAProcessWhoseFdsCannotBeListedAndSkipsWhatIsNotAPid(@TempDir Path root)
      throws IOException {
    Files.createDirectories(root.resolve("4242")); // a process without a readable fd directory
    Files.createDirectories(root.resolve("77/fd"));
    Files.createFile(root.resolve("77/fd/0")); // not a link: not a socket
    Files.createSymbolicLink(root.resolve("77/fd/3"), Path.of("socket:[12345]"));
    Files.createSymbolicLink(root.resolve("77/fd/4"), Path.of("pipe:[999]"));
    Files.createDirectories(root.resolve("net"));

    FdLinks links = FdLinks.read(root.toFile(), new String[] {"4242", "77", "net", "gone"});

    assertThat(links.unlistable()).isEqualTo(1);
    assertThat(links.processes()).isEqualTo(1);
    Set<Long> read = new HashSet<>();
    for (int k = links.firstFd(0); k < links.firstFd(1); k++) {
      read.add(links.inode(k));
    }
    assertThat(read).containsExactlyInAnyOrder(FdLinks.NOT_A_SOCKET, 12345L);
  }

  private static Set<Long> socketInodesOfThisProcess() throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException e) {
          // the directory stream's own fd, closed by now
        }
      }
    }
    assertThat(inodes).hasSizeGreaterThan(4500);
    return inodes;
  }
}
