package dev.porthole.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void readsTheVersionAndCommitMavenWroteAtBuildTime() {
    BuildInfo info = BuildInfo.current();

    assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    // The tests run in a git checkout (CI clones one), so the commit is known.
    assertThat(info.commit()).matches("[0-9a-f]{7,40}");
  }

  @Test
  void aBuildWithoutGitReportsTheCommitAsUnknown() {
    Properties props = new Properties();
    props.setProperty("version", "1.2.3");
    props.setProperty("commit", "${git.commit.id.abbrev}");
    props.setProperty("dirty", "${git.dirty}");

    BuildInfo info = BuildInfo.parse(props);

    assertThat(info).isEqualTo(new BuildInfo("1.2.3", "unknown", false));
    assertThat(info.describeCommit()).isEqualTo("unknown");
  }

  @Test
  void marksADirtyTree() {
    assertThat(new BuildInfo("1.0.0", "abc1234567", true).describeCommit())
        .isEqualTo("abc1234567-dirty");
  }

  @Test
  void namesTheRuntimesVendorAndVersion() {
    assertThat(BuildInfo.runtime())
        .startsWith(System.getProperty("java.vendor"))
        .contains(Runtime.version().toString().substring(0, 2));
  }
}
