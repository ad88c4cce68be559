package dev.porthole.server;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.routing.Routes;
import dev.porthole.routing.http.Router;
import dev.porthole.routing.http.RouterOptions;
import dev.porthole.routing.tls.CertificateMapping;
import dev.porthole.routing.tls.LocalCa;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Returns the daemon's router by name with its local CA: the CA is created in the data directory on
 * first use, leaf certificates are minted on threads of their own.
 */
final class DaemonRouter implements AutoCloseable {
  private final Router router;
  private final LocalCa ca;
  private final ExecutorService minting;
  private final String tls;

  private DaemonRouter(Router router, LocalCa ca, ExecutorService minting, String tls) {
    this.router = router;
    this.ca = ca;
    this.minting = minting;
    this.tls = tls;
  }

  /**
   * Starts the router.
   *
   * @throws IllegalStateException when a port is taken or not allowed (one line)
   */
  static DaemonRouter start(
      RouterOptions options, Path dataDir, Routes routes, ProxyEngine engine) {
    ExecutorService minting = Executors.newVirtualThreadPerTaskExecutor();
    try {
      LocalCa ca = LocalCa.loadOrCreate(dataDir.resolve(LocalCa.FOLDER), Clock.systemUTC());
      CertificateMapping mapping = new CertificateMapping(ca, Clock.systemUTC(), minting);
      Router router = Router.start(options, routes, engine, mapping);
      return new DaemonRouter(router, ca, minting, mapping.engine().description());
    } catch (IOException e) {
      minting.shutdownNow();
      throw new IllegalStateException("router: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      minting.shutdownNow();
      throw e;
    }
  }

  RouterInfo info() {
    return new RouterInfo(
        router.httpPort(), router.httpsPort(), ca.certificateFile().toString(), tls);
  }

  @Override
  public void close() {
    router.close();
    minting.shutdownNow();
  }
}
