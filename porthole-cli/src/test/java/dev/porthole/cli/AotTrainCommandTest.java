package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks what {@code aot-train} runs for the shared cache and for a command's own. */
class AotTrainCommandTest {
  @Test
  void whosOwnCacheIsTrainedOnTheShapeAnsweredWithoutPicocliOnly() {
    List<String[]> who = AotTrainCommand.runs("who");

    assertThat(who).isNotEmpty();
    for (String[] run : who) {
      assertThat(run).hasSize(2);
      assertThat(run[0]).isEqualTo("who");
      assertThat(run[1]).doesNotStartWith("-");
    }
    assertThat(AotTrainCommand.runs("ports"))
        .allSatisfy(run -> assertThat(run[0]).isEqualTo("ports"));
    // scan's own cache: only shapes Shortcuts answers (no --timeout, no --concurrency).
    assertThat(AotTrainCommand.runs("scan"))
        .isNotEmpty()
        .allSatisfy(run -> assertThat(run[0]).isEqualTo("scan"))
        .allSatisfy(run -> assertThat(run).allMatch(a -> !a.startsWith("-") || a.equals("--json")));
    assertThat(AotTrainCommand.runs(null).size()).isGreaterThan(who.size());
  }

  @Test
  void trainsBeforePicocliOnlyForItsOwnShapes() {
    assertThat(AotTrainCommand.shortcut(new String[] {"aot-train", "who"})).isZero();
    assertThat(AotTrainCommand.shortcut(new String[] {"aot-train", "--help"})).isNull();
    assertThat(AotTrainCommand.shortcut(new String[] {"aot-train", "nosuch"})).isNull();
    assertThat(AotTrainCommand.shortcut(new String[] {"who", "22"})).isNull();
  }

  @Test
  void aCommandWithoutRunsIsAUsageError() {
    Cli run = Cli.run("aot-train", "nosuch");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("porthole aot-train: 'nosuch' has no training runs (expected: ports, scan, who)\n");
  }
}
