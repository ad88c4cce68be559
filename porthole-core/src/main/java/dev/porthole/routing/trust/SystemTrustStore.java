package dev.porthole.routing.trust;

import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns Debian's system store: a PEM file in {@code /usr/local/share/ca-certificates}, then
 * {@code update-ca-certificates} rebuilds {@code /etc/ssl/certs} (what curl, OpenSSL, Node read).
 * Under another {@code sysroot} (tests), the command is told each of its directories there:
 * {@code --sysroot} exists only from ca-certificates 20240203 on, and older versions (Debian 12's
 * 20230311) answer it with their usage and exit 0, having done nothing.
 */
public final class SystemTrustStore implements TrustStore {
  private final Path sysroot;
  private final CommandRunner runner;

  /** Returns the store under {@code sysroot} ({@code /} for the real one). */
  public SystemTrustStore(Path sysroot, CommandRunner runner) {
    this.sysroot = sysroot;
    this.runner = runner;
  }

  private Path file() {
    return sysroot.resolve("usr/local/share/ca-certificates").resolve(NAME + ".crt");
  }

  @Override
  public String kind() {
    return "system";
  }

  @Override
  public String location() {
    return file().toString();
  }

  @Override
  public boolean contains(X509Certificate ca) {
    return Files.exists(file());
  }

  @Override
  public String install(X509Certificate ca, String pem) throws TrustException {
    try {
      Files.createDirectories(file().getParent());
      Files.writeString(file(), pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TrustException("cannot write " + file() + ": " + reason(e) + " (run as root)");
    }
    String ran = update();
    if (!bundleHolds(pem)) {
      throw new TrustException(ran + " left " + bundle() + " without the CA");
    }
    return "wrote " + file() + "; " + ran;
  }

  @Override
  public String uninstall() throws TrustException {
    String pem;
    try {
      if (!Files.exists(file())) {
        return "not there";
      }
      pem = Files.readString(file(), StandardCharsets.US_ASCII);
      Files.delete(file());
    } catch (IOException e) {
      throw new TrustException("cannot remove " + file() + ": " + reason(e) + " (run as root)");
    }
    String ran = update();
    if (!pem.isBlank() && bundleHolds(pem)) {
      throw new TrustException(ran + " left the CA in " + bundle());
    }
    return "removed " + file() + "; " + ran;
  }

  /** Returns the bundle the command rebuilds, which curl and OpenSSL read. */
  private Path bundle() {
    return sysroot.resolve("etc/ssl/certs/ca-certificates.crt");
  }

  /** Returns true when the rebuilt bundle carries {@code pem}: the command did its work. */
  private boolean bundleHolds(String pem) {
    try {
      return Files.readString(bundle(), StandardCharsets.US_ASCII).contains(pem.strip());
    } catch (IOException e) {
      return false;
    }
  }

  private String update() throws TrustException {
    List<String> cmd = new ArrayList<>(List.of("update-ca-certificates", "--fresh"));
    if (!sysroot.toString().equals("/")) {
      cmd.addAll(
          List.of(
              "--certsconf", sysroot.resolve("etc/ca-certificates.conf").toString(),
              "--certsdir", sysroot.resolve("usr/share/ca-certificates").toString(),
              "--localcertsdir", file().getParent().toString(),
              "--etccertsdir", bundle().getParent().toString(),
              "--hooksdir", sysroot.resolve("etc/ca-certificates/update.d").toString()));
    }
    CommandRunner.Output out = runner.run(cmd);
    if (!out.ok()) {
      throw new TrustException(
          String.join(" ", cmd) + " failed: " + firstLine(out.stderr() + " " + out.stdout()));
    }
    return "ran update-ca-certificates --fresh" + (cmd.size() > 2 ? " in " + sysroot : "");
  }

  static String reason(IOException e) {
    return e.getClass()
        .getSimpleName()
        .replace("Exception", "")
        .replace("AccessDenied", "permission denied");
  }

  static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
