package dev.porthole.cli;

import picocli.CommandLine.IVersionProvider;

/** Returns the version from the jar's manifest ("dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Porthole.class.getPackage().getImplementationVersion();
    return new String[] {
      "porthole " + (version == null ? "dev" : version),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
    };
  }
}
