package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {
  @TempDir Path pid;

  @Test
  void cutsTheNameAtTheLastParenthesisSoNamesMayHoldSpacesAndParentheses() throws Exception {
    Files.writeString(
        pid.resolve("stat"),
        "4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 98765 0 0\n");

    ProcFiles.Stat stat = ProcFiles.stat(pid);

    assertThat(stat).isEqualTo(new ProcFiles.Stat("my (odd) name", 17, 98765));
  }

  @Test
  void answersNullForATruncatedStatInsteadOfThrowing() throws Exception {
    Files.writeString(pid.resolve("stat"), "4242 (name");

    assertThat(ProcFiles.stat(pid)).isNull();
    assertThat(ProcFiles.stat(pid.resolve("gone"))).isNull();
  }

  @Test
  void joinsArgumentsWithSpacesAndNamesKernelThreadsInBrackets() throws Exception {
    Files.write(pid.resolve("cmdline"), "python3\0-m\0http.server\0".getBytes());
    assertThat(ProcFiles.commandLine(pid, "python3")).isEqualTo("python3 -m http.server");

    Files.write(pid.resolve("cmdline"), new byte[0]);
    assertThat(ProcFiles.commandLine(pid, "kworker/0:1")).isEqualTo("[kworker/0:1]");
  }
}
