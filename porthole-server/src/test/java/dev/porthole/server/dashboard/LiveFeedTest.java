package dev.porthole.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyPersistence;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.store.Store;
import dev.porthole.watch.Listener;
import dev.porthole.watch.WatchStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The feed reads the listeners only while a page looks, or when asked for them. */
@Timeout(30)
class LiveFeedTest {
  @Test
  void withNoPageOpenTheListenersAreReadOnlyWhenAskedFor() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    try (Store store = Store.inMemory();
        ProxyRegistry proxies =
            new ProxyRegistry(
                ProxyEngine.daemon(1, "feed-test"),
                ToxicRegistry.standard(),
                ProxyPersistence.NONE,
                false,
                ProxyOptions.DEFAULT_CONNECT_TIMEOUT);
        LiveFeed feed =
            new LiveFeed(
                proxies,
                new WatchStore(store),
                () -> {
                  reads.incrementAndGet();
                  return List.<Listener>of();
                },
                Duration.ofMillis(20))) {
      feed.start();
      Thread.sleep(300); // some fifteen ticks
      assertThat(reads).as("reads while nobody looks").hasValue(0);
      assertThat(feed.listeners()).isEmpty();
      assertThat(reads).as("a request for the listeners reads them").hasValue(1);
    }
  }
}
