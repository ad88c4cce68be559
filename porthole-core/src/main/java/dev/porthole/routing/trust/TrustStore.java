package dev.porthole.routing.trust;

import java.security.cert.X509Certificate;

/**
 * Returns one place where clients look for trusted CAs: the system store, an NSS database, a JDK
 * {@code cacerts}. Each says what it would do before doing it, so {@code porthole trust} can show
 * the steps and ask first.
 */
public interface TrustStore {
  /** The name every store gives porthole's CA (NSS nickname, keystore alias, file stem). */
  String NAME = "porthole-local-ca";

  /** Returns what kind of store this is ("system", "nss", "jdk"). */
  String kind();

  /** Returns where it is (a folder or a file). */
  String location();

  /** Returns whether porthole's CA is in it now. */
  boolean contains(X509Certificate ca);

  /** Adds porthole's CA; returns what was done, or throws the one-line reason it failed. */
  String install(X509Certificate ca, String pem) throws TrustException;

  /** Removes porthole's CA; returns what was done, or throws the reason it failed. */
  String uninstall() throws TrustException;
}
