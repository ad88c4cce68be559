package dev.porthole.routing.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Returns porthole's local certificate authority: an EC P-256 key and a self-signed CA certificate,
 * created on first use in {@code <data-dir>/ca/} (key file 0600, folder 0700).
 *
 * <p>Name constraints (critical) permit only {@code localhost} and its subdomains, and the loopback
 * addresses, so a stolen key cannot mint a certificate that any client accepts for a real site.
 *
 * <pre>{@code
 * LocalCa ca = LocalCa.loadOrCreate(dataDir.resolve("ca"), Clock.systemUTC());
 * Leaf leaf = ca.issue("api.localhost");
 * }</pre>
 */
public final class LocalCa {
  /** The folder of the data directory that holds the CA. */
  public static final String FOLDER = "ca";

  /** The CA certificate's file name (PEM). */
  public static final String CERT_FILE = "porthole-ca.pem";

  /** The CA key's file name (PKCS#8 PEM, mode 0600). */
  public static final String KEY_FILE = "porthole-ca-key.pem";

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;

  private LocalCa(Path dir, X509Certificate certificate, PrivateKey key, Clock clock) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** Returns the CA in {@code dir}, creating the key and certificate when they are missing. */
  public static synchronized LocalCa loadOrCreate(Path dir, Clock clock) {
    Path cert = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    try {
      if (Files.exists(cert) && Files.exists(keyFile)) {
        return new LocalCa(dir, readCertificate(cert), readKey(keyFile), clock);
      }
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      KeyPair pair = newKeyPair();
      X509Certificate ca = selfSign(pair, clock.instant());
      writePrivate(keyFile, pem(pair.getPrivate()));
      Files.writeString(cert, pem(ca), StandardCharsets.US_ASCII);
      return new LocalCa(dir, ca, pair.getPrivate(), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("local CA in " + dir + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("local CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Returns the CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Returns the CA certificate's file (for {@code curl --cacert}). */
  public Path certificateFile() {
    return dir.resolve(CERT_FILE);
  }

  /** Returns the CA certificate as PEM text. */
  public String certificatePem() {
    return pem(certificate);
  }

  /** Returns a new leaf certificate for exactly {@code name} (no wildcard), valid 30 days. */
  public Leaf issue(String name) {
    try {
      return Leaf.issue(name, certificate, key, clock.instant());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + name + ": " + e, e);
    }
  }

  static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate selfSign(KeyPair pair, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject =
        new X500Name("CN=porthole local CA (" + System.getProperty("user.name") + "),O=porthole");
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(CA_LIFETIME)),
            subject,
            pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    b.addExtension(Extension.nameConstraints, true, localOnly());
    return sign(b, pair.getPrivate());
  }

  /** Returns the constraints: DNS {@code localhost} (and subdomains), 127.0.0.0/8, ::1. */
  private static NameConstraints localOnly() {
    GeneralSubtree dns = new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost"));
    GeneralSubtree v4 =
        new GeneralSubtree(
            new GeneralName(
                GeneralName.iPAddress,
                new org.bouncycastle.asn1.DEROctetString(new byte[] {127, 0, 0, 0, -1, 0, 0, 0})));
    byte[] v6 = new byte[32];
    v6[15] = 1;
    java.util.Arrays.fill(v6, 16, 32, (byte) -1);
    GeneralSubtree loop6 =
        new GeneralSubtree(
            new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(v6)));
    return new NameConstraints(new GeneralSubtree[] {dns, v4, loop6}, null);
  }

  static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  static String pem(Object value) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (value instanceof PrivateKey k) {
        w.writeObject(new PemObject("PRIVATE KEY", k.getEncoded())); // PKCS#8, any algorithm
      } else {
        w.writeObject(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static X509Certificate readCertificate(Path file)
      throws IOException, GeneralSecurityException {
    try (Reader r = Files.newBufferedReader(file);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) {
        throw new IOException(file + ": not a PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(h);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (!(o instanceof PrivateKeyInfo info)) {
        throw new IOException(file + ": not a PKCS#8 PEM key");
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
  }
}
