package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.build.BuildInfo;
import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void versionPrintsTheVersionTheCommitAndTheRuntime() {
    Cli result = Cli.run("--version");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .startsWith("porthole " + BuildInfo.current().version() + " (commit ")
        .containsPattern("\\(commit [0-9a-f]{7,40}(-dirty)?\\)")
        .contains("runtime: " + System.getProperty("java.vendor") + " " + Runtime.version());
  }

  @Test
  void theFastPathPrintsTheSameVersion() {
    assertThat(FastPathTest.fast("--version")).isEqualTo(Cli.run("--version"));
  }
}
