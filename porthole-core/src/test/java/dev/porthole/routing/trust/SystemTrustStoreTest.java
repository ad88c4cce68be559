package dev.porthole.routing.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.checks.CommandRunner;
import dev.porthole.routing.tls.LocalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemTrustStoreTest {
  @TempDir Path root;

  private final CommandRunner system = CommandRunner.system(Duration.ofSeconds(30));

  /** A sysroot with one other CA, so that the bundle is rebuilt with or without ours. */
  private LocalCa stage() throws Exception {
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.createDirectories(root.resolve("etc/ca-certificates/update.d"));
    LocalCa other = LocalCa.loadOrCreate(root.resolve("other-ca"), Clock.systemUTC());
    Path share = Files.createDirectories(root.resolve("usr/share/ca-certificates/other"));
    Files.writeString(share.resolve("other.crt"), other.certificatePem());
    Files.writeString(root.resolve("etc/ca-certificates.conf"), "other/other.crt\n");
    return LocalCa.loadOrCreate(root.resolve("ours"), Clock.systemUTC());
  }

  @Test
  void everyDirectoryOfTheCommandIsUnderTheSysrootSoAnyVersionRebuildsThatBundle()
      throws Exception {
    LocalCa ca = stage();
    List<List<String>> ran = new ArrayList<>();
    SystemTrustStore store =
        new SystemTrustStore(
            root,
            cmd -> {
              ran.add(cmd);
              return system.run(cmd);
            });
    assertThat(store.install(ca.certificate(), ca.certificatePem()))
        .endsWith("ran update-ca-certificates --fresh in " + root);
    // no --sysroot: Debian 12's update-ca-certificates prints its usage for it and exits 0
    assertThat(ran.getFirst()).doesNotContain("--sysroot").contains("--etccertsdir");
    Path bundle = root.resolve("etc/ssl/certs/ca-certificates.crt");
    assertThat(Files.readString(bundle)).contains(ca.certificatePem().strip());
    store.uninstall();
    assertThat(Files.readString(bundle)).doesNotContain(ca.certificatePem().strip());
  }

  @Test
  void aCommandThatSucceedsWithoutRebuildingTheBundleIsAFailureNotAnOk() throws Exception {
    LocalCa ca = stage();
    SystemTrustStore store = new SystemTrustStore(root, cmd -> system.run(List.of("true")));
    assertThatThrownBy(() -> store.install(ca.certificate(), ca.certificatePem()))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "ran update-ca-certificates --fresh in "
                + root
                + " left "
                + root.resolve("etc/ssl/certs/ca-certificates.crt")
                + " without the CA");
  }

  @Test
  void anUninstallWhoseBundleStillCarriesTheCaIsAFailureNotAnOk() throws Exception {
    LocalCa ca = stage();
    new SystemTrustStore(root, system::run).install(ca.certificate(), ca.certificatePem());
    SystemTrustStore idle = new SystemTrustStore(root, cmd -> system.run(List.of("true")));
    assertThatThrownBy(idle::uninstall)
        .isInstanceOf(TrustException.class)
        .hasMessageEndingWith(
            " left the CA in " + root.resolve("etc/ssl/certs/ca-certificates.crt"));
    assertThat(idle.uninstall()).isEqualTo("not there"); // the file itself did go
  }
}
