package dev.porthole.routing.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * The TLS implementation of the router's certificates: BoringSSL through Netty's {@code
 * netty-tcnative} when its native library loads here (Linux x86-64; it spends a fraction of the
 * JDK's time per record), else the JDK's own. The system property {@value #PROPERTY} set to {@code
 * jdk} forces the JDK's, for a machine where the native library misbehaves.
 *
 * @param provider the provider handed to Netty's {@code SslContextBuilder}
 * @param description what {@code porthole up} logs: "OpenSSL (BoringSSL)" or "JDK (why)"
 */
public record TlsEngine(SslProvider provider, String description) {
  /** The system property that forces the JDK's TLS when it is {@code jdk}. */
  public static final String PROPERTY = "porthole.tls";

  /** Returns the best engine of this machine, as the property allows. */
  public static TlsEngine best() {
    if ("jdk".equals(System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT))) {
      return jdk("-D" + PROPERTY + "=jdk");
    }
    if (OpenSsl.isAvailable() && OpenSsl.supportsKeyManagerFactory()) {
      return new TlsEngine(SslProvider.OPENSSL, "OpenSSL (" + OpenSsl.versionString() + ")");
    }
    Throwable why = OpenSsl.unavailabilityCause();
    return jdk(why == null ? "no OpenSSL key managers" : "netty-tcnative: " + why.getMessage());
  }

  /** Returns the JDK's engine, chosen for {@code reason}. */
  public static TlsEngine jdk(String reason) {
    return new TlsEngine(SslProvider.JDK, "JDK (" + reason + ")");
  }
}
