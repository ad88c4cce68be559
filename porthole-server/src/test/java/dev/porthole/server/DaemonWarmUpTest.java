package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyWarmUp;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A starting daemon warms its proxy path where no user can see it: no proxy, no record. */
@Timeout(60)
class DaemonWarmUpTest {
  @TempDir Path data;

  @Test
  void warmsUpOffTheStartPathAndLeavesNoTrace() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.local(0, data))) {
      ProxyWarmUp.Result r = daemon.warmUp().get(30, TimeUnit.SECONDS);

      assertThat(r.connections()).isPositive();
      assertThat(daemon.services().proxies().list()).isEmpty();
      assertThat(daemon.services().capture().writer().written()).isZero();
      assertThat(new Http(daemon.url()).get("/api/proxies").body()).isEqualTo("[]");
    }
  }
}
