package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner cache against real processes: a listener handed on by fork, its first holder exiting,
 * without a full fd scan when no socket is new.
 */
@Timeout(60)
class OwnerCacheTest {
  // Listens, prints "PORT PID"; on each line read: "fork" forks a child that keeps the listener
  // and prints its pid, "exit" ends the parent (the child stays until its stdin closes).
  private static final String PYTHON =
      """
      import os, socket, sys
      s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
      print(s.getsockname()[1], os.getpid(), flush=True)
      for line in sys.stdin:
          if line.strip() == "fork":
              r, w = os.pipe()
              pid = os.fork()
              if pid == 0:
                  os.close(w); os.read(r, 1); os._exit(0)
              print(pid, flush=True)
          else:
              sys.exit(0)
      """;

  @Test
  void followsAListenerFromParentToForkedChildWithoutRescanningEveryCall() throws Exception {
    Process python = new ProcessBuilder("python3", "-c", PYTHON).start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
      OutputStream in = python.getOutputStream();
      String[] first = out.readLine().split(" ");
      int port = Integer.parseInt(first[0]);
      int parent = Integer.parseInt(first[1]);
      SockDiag diag = SockDiag.open();
      long inode =
          diag.read(Protocol.TCP, false, LineFilter.ports(p -> p == port)).entries().stream()
              .filter(SocketEntry::listening)
              .findFirst()
              .orElseThrow()
              .inode();
      diag.close();
      OwnerCache cache = new OwnerCache(new ProcessScanner(Path.of("/proc"), UserNames.system()));

      assertThat(cache.owners(java.util.Set.of(inode)).get(inode)).containsExactly(parent);
      assertThat(cache.scans()).isEqualTo(1);
      assertThat(cache.owners(java.util.Set.of(inode)).get(inode)).containsExactly(parent);
      assertThat(cache.scans()).isEqualTo(1); // known inode, same holder: no full scan

      in.write("fork\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      int child = Integer.parseInt(out.readLine().trim());
      // The child is a new process: its fds are read, not every process's.
      assertThat(cache.owners(java.util.Set.of(inode)).get(inode))
          .containsExactlyInAnyOrder(parent, child);
      assertThat(cache.scans()).isEqualTo(1);

      in.write("exit\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
      // The parent's start time no longer matches (it is gone): only the child is left.
      List<Integer> after = cache.owners(java.util.Set.of(inode)).get(inode);
      assertThat(after).containsExactly(child);
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroy);
    } finally {
      python.descendants().forEach(ProcessHandle::destroyForcibly);
      python.destroyForcibly();
    }
  }
}
