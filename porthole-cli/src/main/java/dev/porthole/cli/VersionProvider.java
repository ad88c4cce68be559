package dev.porthole.cli;

import dev.porthole.build.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** Returns what {@code porthole --version} prints: version, commit, and the Java runtime. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    BuildInfo build = BuildInfo.current();
    return new String[] {
      "porthole " + build.version() + " (commit " + build.describeCommit() + ")",
      "runtime: " + BuildInfo.runtime() + " (" + System.getProperty("java.vm.name") + ")",
    };
  }
}
