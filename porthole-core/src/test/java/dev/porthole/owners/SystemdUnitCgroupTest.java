package dev.porthole.owners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.ProcFiles;
import org.junit.jupiter.api.Test;

/** The unit and its manager named from cgroup paths as real machines write them. */
class SystemdUnitCgroupTest {
  @Test
  void aUnitUnderUserAtServiceIsTheUserManagers() {
    assertThat(
            SystemdUnit.Unit.fromCgroup(
                "/user.slice/user-1000.slice/user@1000.service/app.slice/vite.service"))
        .isEqualTo(new SystemdUnit.Unit("vite.service", true));
  }

  @Test
  void aSystemUnitAndTheUserManagerItselfAreTheSystemManagers() {
    assertThat(SystemdUnit.Unit.fromCgroup("/system.slice/nginx.service"))
        .isEqualTo(new SystemdUnit.Unit("nginx.service", false));
    assertThat(
            SystemdUnit.Unit.fromCgroup("/user.slice/user-1000.slice/user@1000.service/init.scope"))
        .isEqualTo(new SystemdUnit.Unit("user@1000.service", false));
  }

  @Test
  void aUserManagerOutsideUserAtServicePutsItsSlicesAtItsRoot() {
    assertThat(SystemdUnit.Unit.fromCgroup("/app.slice/web.service"))
        .isEqualTo(new SystemdUnit.Unit("web.service", true));
  }

  @Test
  void noServiceNoUnit() {
    assertThat(SystemdUnit.Unit.fromCgroup("/init.scope")).isNull();
    assertThat(SystemdUnit.Unit.fromCgroup("/user.slice/user-1000.slice/session-2.scope")).isNull();
  }

  @Test
  void theUnifiedLineWinsUnlessItIsTheRootOfAHybridMachine() {
    assertThat(ProcFiles.cgroupPath("0::/system.slice/ssh.service\n"))
        .isEqualTo("/system.slice/ssh.service");
    assertThat(
            ProcFiles.cgroupPath("9:name=systemd:/app.slice/web.service\n1:cpu:/app.slice\n0::/\n"))
        .isEqualTo("/app.slice/web.service");
    assertThat(ProcFiles.cgroupPath("4:memory:/x\n")).isNull();
  }
}
