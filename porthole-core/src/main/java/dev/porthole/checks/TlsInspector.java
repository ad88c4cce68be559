package dev.porthole.checks;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Returns a TLS handshake over a connected socket that accepts any certificate but says so.
 *
 * <p>A check inspects: a self-signed development certificate must not stop it from seeing the
 * server. Whether the JDK's trust store would have accepted the chain is reported in {@link
 * TlsInfo#trusted()}.
 */
final class TlsInspector {
  private TlsInspector() {}

  /** Returns the TLS socket after a completed handshake, and what it showed. */
  static Result handshake(Socket plain, String host, int port, int timeoutMillis)
      throws IOException {
    AtomicBoolean trusted = new AtomicBoolean(true);
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recording(trusted)}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS is not available in this JVM: " + e.getMessage(), e);
    }
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    tls.setSoTimeout(timeoutMillis);
    tls.startHandshake();
    X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
    TlsInfo info =
        new TlsInfo(
            tls.getSession().getProtocol(),
            tls.getSession().getCipherSuite(),
            cert.getSubjectX500Principal().getName(),
            cert.getIssuerX500Principal().getName(),
            cert.getNotAfter().toInstant().toString(),
            selfSigned(cert),
            trusted.get());
    return new Result(tls, info);
  }

  record Result(SSLSocket socket, TlsInfo info) {}

  static boolean selfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509TrustManager recording(AtomicBoolean trusted) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    X509TrustManager system = (X509TrustManager) factory.getTrustManagers()[0];
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        try {
          system.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
          trusted.set(false); // inspected anyway; reported as untrusted
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }
}
