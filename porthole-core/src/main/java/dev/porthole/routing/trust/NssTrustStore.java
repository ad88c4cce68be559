package dev.porthole.routing.trust;

import dev.porthole.checks.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Returns one NSS database (Chromium's {@code ~/.pki/nssdb}, a Firefox profile), changed through
 * {@code certutil} from libnss3-tools. A missing Chromium database is created, empty-passworded, as
 * Chromium itself would.
 */
public final class NssTrustStore implements TrustStore {
  private final Path dir;
  private final boolean create;
  private final CommandRunner runner;

  /** Returns the database in {@code dir}; {@code create} makes it when missing. */
  public NssTrustStore(Path dir, boolean create, CommandRunner runner) {
    this.dir = dir;
    this.create = create;
    this.runner = runner;
  }

  private String db() {
    return "sql:" + dir;
  }

  @Override
  public String kind() {
    return "nss";
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public boolean contains(X509Certificate ca) {
    return Files.exists(dir.resolve("cert9.db"))
        && runner.run(List.of("certutil", "-L", "-d", db(), "-n", NAME)).ok();
  }

  @Override
  public String install(X509Certificate ca, String pem) throws TrustException {
    if (!Files.exists(dir.resolve("cert9.db"))) {
      if (!create) {
        throw new TrustException("no NSS database in " + dir);
      }
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new TrustException("cannot create " + dir + ": " + e.getMessage());
      }
      run(List.of("certutil", "-N", "-d", db(), "--empty-password"));
    }
    Path pemFile;
    try {
      pemFile = Files.createTempFile("porthole-ca", ".pem");
      Files.writeString(pemFile, pem);
    } catch (java.io.IOException e) {
      throw new TrustException("cannot write a temporary file: " + e.getMessage());
    }
    try {
      run(List.of("certutil", "-A", "-d", db(), "-n", NAME, "-t", "C,,", "-i", pemFile.toString()));
    } finally {
      pemFile.toFile().delete();
    }
    return "certutil -A -d " + db() + " -n " + NAME + " -t C,,";
  }

  @Override
  public String uninstall() throws TrustException {
    if (!Files.exists(dir.resolve("cert9.db"))) {
      return "not there";
    }
    String done = "not there";
    // certutil -D removes one entry per call; an older install may have left two.
    for (int i = 0;
        i < 5 && runner.run(List.of("certutil", "-L", "-d", db(), "-n", NAME)).ok();
        i++) {
      run(List.of("certutil", "-D", "-d", db(), "-n", NAME));
      done = "certutil -D -d " + db() + " -n " + NAME;
    }
    return done;
  }

  private void run(List<String> cmd) throws TrustException {
    CommandRunner.Output out = runner.run(cmd);
    if (!out.ok()) {
      throw new TrustException(
          String.join(" ", cmd.subList(0, 2))
              + " failed: "
              + SystemTrustStore.firstLine(out.stderr() + " " + out.stdout()));
    }
  }
}
