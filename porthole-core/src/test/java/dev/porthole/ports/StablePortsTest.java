package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.store.Store;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StablePortsTest {
  @TempDir Path dir;

  private static FreePorts loopbackNoEphemeral() {
    // An ephemeral range that cannot overlap the test's ranges, so the real sysctl does not matter.
    return new FreePorts(
        FreePorts.loopback().addresses(), new EphemeralRange(60000, 60999, true), false);
  }

  /** Returns a range of {@code size} ports that are free now, found by binding. */
  private static PortRange freeRange(int size) {
    FreePorts free = loopbackNoEphemeral();
    for (int first = 41000; first < 48000; first += size) {
      boolean all = true;
      for (int p = first; p < first + size && all; p++) {
        all = free.isFree(p);
      }
      if (all) {
        return new PortRange(first, first + size - 1);
      }
    }
    throw new IllegalStateException("no " + size + " free ports in a row");
  }

  @Test
  void aNameKeepsItsPortAcrossReopeningTheStore() {
    PortRange range = freeRange(8);
    int first;
    try (Store store = Store.open(dir.resolve("p.db"))) {
      StablePorts ports = new StablePorts(store, loopbackNoEphemeral(), range);
      StablePorts.Assignment a = ports.assign("myapp");
      assertThat(a.assignedNow()).isTrue();
      assertThat(range.contains(a.port())).isTrue();
      first = a.port();
      assertThat(ports.assign("myapp").assignedNow()).isFalse();
    }
    try (Store store = Store.open(dir.resolve("p.db"))) {
      StablePorts ports = new StablePorts(store, loopbackNoEphemeral(), range);
      assertThat(ports.assign("myapp").port()).isEqualTo(first);
      assertThat(ports.find("myapp")).map(StablePorts.Assignment::port).contains(first);
    }
  }

  @Test
  void namesNeverShareAPortAndABusyPortIsSkippedWhenChoosing() throws Exception {
    PortRange range = freeRange(3);
    try (Store store = Store.open(dir.resolve("p.db"));
        ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getByName("::1"), range.first() + 1));
      StablePorts ports = new StablePorts(store, loopbackNoEphemeral(), range);
      int a = ports.assign("a").port();
      int b = ports.assign("b").port();
      assertThat(List.of(a, b))
          .doesNotHaveDuplicates()
          .doesNotContain(range.first() + 1)
          .containsExactlyInAnyOrder(range.first(), range.last());
      assertThatThrownBy(() -> ports.assign("c"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("no free port left in " + range + " (2 assigned;");
      assertThat(ports.release("a")).isTrue();
      assertThat(ports.release("a")).isFalse();
      assertThat(ports.assign("c").port()).isEqualTo(a);
      assertThat(ports.list()).extracting(StablePorts.Assignment::name).contains("b", "c");
    }
  }

  @Test
  void theStoreRefusesTwoNamesOnOnePort() {
    try (Store store = Store.open(dir.resolve("p.db"))) {
      store.execute("INSERT INTO port_names VALUES ('a', 41000, 0)");
      assertThatThrownBy(() -> store.execute("INSERT INTO port_names VALUES ('b', 41000, 0)"))
          .hasMessageContaining("UNIQUE");
    }
  }

  @Test
  void badNamesAreRefusedWithTheRule() {
    assertThat(StablePorts.checkName("my-app_2.web")).isEqualTo("my-app_2.web");
    for (String bad : new String[] {"", "-x", "a b", "x".repeat(65), "ä"}) {
      assertThatThrownBy(() -> StablePorts.checkName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("NAME: '")
          .hasMessageEndingWith(
              "(expected: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    }
  }
}
