package dev.porthole.routing.trust;

import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Returns every store {@code porthole trust} changes on Linux: the system store, Chromium's NSS
 * database in {@code HOME/.pki/nssdb}, each Firefox profile's, and a JDK's cacerts. Every location
 * is given, so tests work in temporary folders and never touch the real ones.
 *
 * @param home the user's home folder
 * @param sysroot where the system store lives ({@code /})
 * @param cacerts the JDK cacerts file, or null to leave Java alone
 */
public record TrustLocations(Path home, Path sysroot, Path cacerts) {
  /** Returns the stores, in the order they are changed. */
  public List<TrustStore> stores(CommandRunner runner) {
    List<TrustStore> out = new ArrayList<>();
    out.add(new SystemTrustStore(sysroot, runner));
    out.add(new NssTrustStore(home.resolve(".pki/nssdb"), true, runner));
    for (Path profile : firefoxProfiles()) {
      out.add(new NssTrustStore(profile, false, runner));
    }
    if (cacerts != null) {
      out.add(new JdkTrustStore(cacerts));
    }
    return out;
  }

  private List<Path> firefoxProfiles() {
    Path root = home.resolve(".mozilla/firefox");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.exists(d.resolve("cert9.db"))).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
