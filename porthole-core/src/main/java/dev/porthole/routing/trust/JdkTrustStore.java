package dev.porthole.routing.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Returns a JDK's {@code lib/security/cacerts} (what Java clients trust), changed through the
 * KeyStore API with the JDK's well-known password and written back atomically.
 */
public final class JdkTrustStore implements TrustStore {
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final Path file;

  /** Returns the store in {@code file}. */
  public JdkTrustStore(Path file) {
    this.file = file;
  }

  /** Returns the running JDK's cacerts. */
  public static Path runningJdk() {
    return Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
  }

  @Override
  public String kind() {
    return "jdk";
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public boolean contains(X509Certificate ca) {
    try {
      return load().containsAlias(NAME);
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String install(X509Certificate ca, String pem) throws TrustException {
    try {
      KeyStore ks = load();
      ks.setCertificateEntry(NAME, ca);
      save(ks);
      return "keystore alias " + NAME + " added";
    } catch (IOException | GeneralSecurityException e) {
      throw new TrustException("cannot change " + file + ": " + e.getMessage());
    }
  }

  @Override
  public String uninstall() throws TrustException {
    try {
      KeyStore ks = load();
      if (!ks.containsAlias(NAME)) {
        return "not there";
      }
      ks.deleteEntry(NAME);
      save(ks);
      return "keystore alias " + NAME + " removed";
    } catch (IOException | GeneralSecurityException e) {
      throw new TrustException("cannot change " + file + ": " + e.getMessage());
    }
  }

  private KeyStore load() throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  private void save(KeyStore ks) throws IOException, GeneralSecurityException {
    Path tmp = file.resolveSibling(file.getFileName() + ".porthole-tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ks.store(out, PASSWORD);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
