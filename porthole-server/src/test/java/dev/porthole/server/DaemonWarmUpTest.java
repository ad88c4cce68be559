package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A starting daemon warms the paths of a user's first proxy (the API's create, the connections, the
 * recording and its first write) where no user can see it: no proxy, no record, no event.
 */
@Timeout(60)
class DaemonWarmUpTest {
  @TempDir Path data;

  @Test
  void warmsUpOffTheStartPathAndLeavesNoTrace() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.local(0, data))) {
      DaemonWarmUp.Result r = daemon.warmUp().get(30, TimeUnit.SECONDS);

      assertThat(r.proxy().connections()).isPositive();
      assertThat(r.created()).isTrue();
      assertThat(r.apiPairs()).isPositive(); // through a throwaway API server and registry
      // Its connections went through the capture's own kinds of listeners, writer included.
      assertThat(r.proxy().recorded()).isPositive();
      assertThat(r.stored()).isPositive();
      assertThat(daemon.services().proxies().list()).isEmpty();
      assertThat(daemon.services().capture().writer().written()).isZero();
      assertThat(new Http(daemon.url()).get("/api/proxies").body()).isEqualTo("[]");
      assertThat(daemon.services().capture().feed().after(0, 100).events()).isEmpty();
      assertThat(daemon.services().capture().stats().proxies()).isEmpty();
    }
  }
}
