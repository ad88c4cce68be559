package dev.porthole.routing.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(60)
class LocalCaTest {
  @TempDir Path dir;

  @Test
  void theCaIsCreatedOnceWithAKeyOnlyItsOwnerCanRead() throws Exception {
    LocalCa first = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    LocalCa again = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    assertThat(again.certificate()).isEqualTo(first.certificate());
    Path key = dir.resolve("ca").resolve(LocalCa.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(first.certificate().getBasicConstraints()).isZero();
    assertThat(first.certificate().getCriticalExtensionOIDs()).contains("2.5.29.30");
  }

  @Test
  void leavesVerifyForLocalhostNamesOnlyBecauseOfTheNameConstraints() throws Exception {
    LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    Leaf leaf = ca.issue("api.localhost");
    assertThat(leaf.chain()[0].getSubjectAlternativeNames())
        .containsExactly(List.of(2, "api.localhost"));
    validate(ca.certificate(), leaf.chain()[0]); // does not throw
    assertThat(openssl(ca, leaf)).contains(": OK");
    // A stolen key could sign this; the CA's own name constraints make clients refuse it.
    Leaf evil = ca.issue("bank.example.com");
    assertThat(openssl(ca, evil)).contains("permitted subtree violation");
  }

  @Test
  void cachedLeavesAreRenewedBeforeTheyExpire() throws Exception {
    Instant[] now = {Instant.now()};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"), clock);
    CertificateMapping mapping = new CertificateMapping(ca, clock, Runnable::run);
    mapping.context("web.localhost");
    Leaf first = mapping.cached("web.localhost");
    mapping.context("web.localhost");
    assertThat(mapping.cached("web.localhost")).isSameAs(first);
    now[0] = now[0].plus(Leaf.LIFETIME).minus(Leaf.RENEW_BEFORE).plus(Duration.ofMinutes(1));
    mapping.context("web.localhost");
    Leaf renewed = mapping.cached("web.localhost");
    assertThat(renewed).isNotSameAs(first);
    assertThat(renewed.notAfter()).isAfter(first.notAfter());
    assertThat(CertificateMapping.name("Web.Localhost.")).isEqualTo("web.localhost");
    assertThat(CertificateMapping.name("bank.example.com")).isEqualTo("localhost");
    assertThat(CertificateMapping.name(null)).isEqualTo("localhost");
  }

  private String openssl(LocalCa ca, Leaf leaf) throws Exception {
    Path leafFile = dir.resolve(leaf.name() + ".pem");
    Files.writeString(leafFile, LocalCa.pem(leaf.chain()[0]));
    Process p =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-CAfile",
                ca.certificateFile().toString(),
                leafFile.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** Validates with Java's PKIX (which ignores a trust anchor's name constraints). */
  private static void validate(X509Certificate ca, X509Certificate leaf) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }
}
