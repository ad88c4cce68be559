package dev.porthole.cli.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.Porthole;
import dev.porthole.routing.tls.LocalCa;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole trust} against real stores in temporary folders: update-ca-certificates under
 * {@code --sysroot}, certutil on an NSS database in a temporary HOME, a copy of the JDK's cacerts.
 */
@Timeout(120)
class TrustCommandTest {
  @TempDir Path tmp;
  Path root;
  Path home;
  Path cacerts;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void sysroot() throws Exception {
    root = tmp.resolve("root");
    home = tmp.resolve("home");
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.createDirectories(root.resolve("etc/ca-certificates/update.d"));
    Files.createDirectories(home);
    // One other CA, so that update-ca-certificates rebuilds the bundle even when ours is gone.
    LocalCa other = LocalCa.loadOrCreate(tmp.resolve("other"), Clock.systemUTC());
    Path share = root.resolve("usr/share/ca-certificates/other");
    Files.createDirectories(share);
    Files.writeString(share.resolve("other.crt"), other.certificatePem());
    Files.writeString(root.resolve("etc/ca-certificates.conf"), "other/other.crt\n");
    cacerts = tmp.resolve("cacerts");
    Files.copy(Path.of(System.getProperty("java.home"), "lib/security/cacerts"), cacerts);
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all =
        Stream.concat(
                Stream.of("trust"),
                Stream.concat(
                    Stream.of(args),
                    Stream.of(
                        "--data-dir", tmp.resolve("data").toString(),
                        "--home", home.toString(),
                        "--sysroot", root.toString(),
                        "--cacerts", cacerts.toString())))
            .toArray(String[]::new);
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void installsInEveryStoreAndUninstallLeavesNothingBehind() throws Exception {
    Run install = run("--yes");
    assertThat(install.exit()).as(install.out() + install.err()).isZero();
    assertThat(install.out())
        .contains("porthole will install its local CA")
        .contains(
            "ok      system: wrote", "ok      nss: certutil -A", "ok      jdk: keystore alias");
    String pem = run("--print").out();
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
    Path bundle = root.resolve("etc/ssl/certs/ca-certificates.crt");
    assertThat(Files.readString(bundle)).contains(pem.strip());
    assertThat(nicknames()).contains("porthole-local-ca");
    assertThat(aliases()).contains("porthole-local-ca");

    Run uninstall = run("--uninstall", "--json", "--yes");
    assertThat(uninstall.exit()).as(uninstall.out()).isZero();
    assertThat(uninstall.out()).contains("\"ok\" : true").doesNotContain("\"ok\" : false");
    assertThat(Files.readString(bundle)).doesNotContain(pem.strip());
    assertThat(root.resolve("usr/local/share/ca-certificates/porthole-local-ca.crt"))
        .doesNotExist();
    try (Stream<Path> links = Files.list(root.resolve("etc/ssl/certs"))) {
      assertThat(links.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("porthole"));
    }
    assertThat(nicknames()).doesNotContain("porthole-local-ca");
    assertThat(aliases()).doesNotContain("porthole-local-ca");
    assertThat(cacerts.resolveSibling("cacerts.porthole-tmp")).doesNotExist();
  }

  @Test
  void withoutATerminalItAsksForYes() {
    Run r = run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("porthole trust: not a terminal: add --yes to install without asking\n");
    assertThat(root.resolve("usr/local/share/ca-certificates/porthole-local-ca.crt"))
        .doesNotExist();
  }

  private String nicknames() throws Exception {
    Process p =
        new ProcessBuilder("certutil", "-L", "-d", "sql:" + home.resolve(".pki/nssdb"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private List<String> aliases() throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(cacerts)) {
      ks.load(in, "changeit".toCharArray());
    }
    return java.util.Collections.list(ks.aliases());
  }
}
