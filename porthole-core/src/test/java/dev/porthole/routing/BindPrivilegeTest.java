package dev.porthole.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindPrivilegeTest {
  @TempDir Path root;

  private BindPrivilege with(String uid, String capEff, String start) throws Exception {
    Files.createDirectories(root.resolve("proc/self"));
    Files.createDirectories(root.resolve("proc/sys/net/ipv4"));
    Files.writeString(
        root.resolve("proc/self/status"),
        "Name:\tjava\nUid:\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\t"
            + uid
            + "\nCapEff:\t"
            + capEff
            + "\n");
    if (start != null) {
      Files.writeString(root.resolve("proc/sys/net/ipv4/ip_unprivileged_port_start"), start + "\n");
    }
    return BindPrivilege.read(root);
  }

  @Test
  void aPlainUserMayNotBind80() throws Exception {
    BindPrivilege p = with("1000", "0000000000000000", "1024");
    assertThat(p.allows(80)).isFalse();
    assertThat(p.allows(443)).isFalse();
    assertThat(p.allows(62880)).isTrue();
    assertThat(p.allows(0)).isTrue();
  }

  @Test
  void rootTheCapabilityOrTheSysctlAllowIt() throws Exception {
    assertThat(with("0", "000001ffffffffff", "1024").allows(80)).isTrue();
    assertThat(with("1000", "0000000000000400", "1024").allows(443)).isTrue(); // bit 10
    assertThat(with("1000", "0000000000000000", "80").allows(80)).isTrue();
    assertThat(with("1000", "0000000000000000", "80").allows(79)).isFalse();
  }

  @Test
  void theHintNamesTheJavaBinaryAndTheSysctl() {
    assertThat(BindPrivilege.howToAllow(Path.of("/usr/lib/jvm/x/bin/java")))
        .isEqualTo(
            "sudo setcap cap_net_bind_service=+ep /usr/lib/jvm/x/bin/java   (or for every"
                + " program: sudo sysctl net.ipv4.ip_unprivileged_port_start=80)");
  }
}
