package dev.porthole.routing.http;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.routing.RoutePersistence;
import dev.porthole.routing.Routes;
import dev.porthole.routing.Upstream;
import dev.porthole.routing.tls.CertificateMapping;
import dev.porthole.routing.tls.LocalCa;
import dev.porthole.routing.tls.TlsEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Returns a running router on free ports with its own CA in a temporary folder, for tests. */
final class RouterFixture implements AutoCloseable {
  final ProxyEngine engine = new ProxyEngine();
  final Routes routes = new Routes(RoutePersistence.NONE, Clock.systemUTC());
  final LocalCa ca;
  final Router router;
  private final ExecutorService minting = Executors.newVirtualThreadPerTaskExecutor();

  RouterFixture(Path dir) throws IOException {
    this(dir, TlsEngine.best());
  }

  /** Returns a router whose HTTPS listener runs on {@code tls}. */
  RouterFixture(Path dir, TlsEngine tls) throws IOException {
    ca = LocalCa.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    CertificateMapping mapping = new CertificateMapping(ca, Clock.systemUTC(), minting, tls);
    router = Router.start(new RouterOptions("127.0.0.1", 0, 0), routes, engine, mapping);
  }

  void route(String name, String... upstreams) {
    routes.add(name, List.of(upstreams).stream().map(Upstream::parse).toList());
  }

  /** Returns an SSL context that trusts only the fixture's CA. */
  SSLContext trustingCa() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("porthole", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** Runs curl with {@code args}; returns its exit code and standard output (headers included). */
  static Result curl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("curl did not finish: " + cmd);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  record Result(int exitCode, String output) {}

  @Override
  public void close() {
    router.close();
    engine.close();
    minting.shutdownNow();
  }
}
