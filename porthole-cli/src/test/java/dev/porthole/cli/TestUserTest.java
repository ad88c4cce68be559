package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tests' shell: its timeout holds even when a child keeps the output open. */
@Timeout(60)
class TestUserTest {
  @TempDir Path dir;

  @Test
  void aChildLeftRunningWithTheOutputOpenDoesNotHoldTheResult() throws Exception {
    Path pid = dir.resolve("pid");
    long start = System.nanoTime();
    TestUser.Result r = TestUser.sh("sleep 300 & echo $! > " + pid + "; echo started");
    try {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(r).isEqualTo(new TestUser.Result(0, "started\n"));
    } finally {
      process(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theTimeoutKillsTheWholeProcessGroup() throws Exception {
    Path pid = dir.resolve("pid");
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> TestUser.sh("sleep 300 & echo $! > " + pid + "; wait", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(": no end within 1 s (its process group killed)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    Optional<ProcessHandle> sleeper = process(pid);
    try {
      // The background sleep was in the group: killed with its shell, not left behind.
      if (sleeper.isPresent()) {
        assertThat(sleeper.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
      }
    } finally {
      sleeper.ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Returns the process whose pid the command wrote to {@code file}, if it still exists. */
  private static Optional<ProcessHandle> process(Path file) throws Exception {
    for (int i = 0; i < 100 && !Files.exists(file); i++) {
      Thread.sleep(20);
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(file).strip()));
  }
}
