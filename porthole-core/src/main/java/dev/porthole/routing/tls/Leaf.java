package dev.porthole.routing.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Returns one server certificate minted by the {@link LocalCa} for exactly one name, with its key.
 *
 * @param name the DNS name in the certificate's subjectAltName
 * @param key the leaf's private key (kept in memory only)
 * @param chain the leaf then the CA certificate
 */
public record Leaf(String name, PrivateKey key, X509Certificate[] chain) {
  /** How long a leaf is valid; it is renewed when less than {@link #RENEW_BEFORE} is left. */
  public static final Duration LIFETIME = Duration.ofDays(30);

  /** When a cached leaf is replaced by a new one. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(7);

  /** Returns when the leaf stops being valid. */
  public Instant notAfter() {
    return chain[0].getNotAfter().toInstant();
  }

  /** Returns whether the leaf should be replaced at {@code now}. */
  public boolean dueForRenewal(Instant now) {
    return now.plus(RENEW_BEFORE).isAfter(notAfter());
  }

  static Leaf issue(String name, X509Certificate ca, PrivateKey caKey, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair pair = LocalCa.newKeyPair();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca,
            LocalCa.serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(LIFETIME)),
            new X500Name("CN=" + name),
            pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    return new Leaf(name, pair.getPrivate(), new X509Certificate[] {LocalCa.sign(b, caKey), ca});
  }
}
