package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalhostNamesTest {
  private static CommandRunner says(int exit, String stdout) {
    return command -> {
      assertThat(command).isEqualTo(List.of("getent", "ahosts", LocalhostNames.PROBE));
      return new CommandRunner.Output(exit, stdout, "");
    };
  }

  @Test
  void loopbackAnswersAreOk() {
    DoctorItem item =
        LocalhostNames.check(says(0, "::1 STREAM porthole-doctor.localhost\n127.0.0.1 STREAM\n"));
    assertThat(item.status()).isEqualTo(DoctorItem.Status.OK);
    assertThat(item.summary()).isEqualTo("*.localhost resolves to ::1, 127.0.0.1");
  }

  @Test
  void noAnswerIsAWarningWithTheFix() {
    DoctorItem item = LocalhostNames.check(says(2, ""));
    assertThat(item.status()).isEqualTo(DoctorItem.Status.WARN);
    assertThat(item.fix()).startsWith("add 'myhostname' to the hosts line of /etc/nsswitch.conf");
  }

  @Test
  void anAnswerOffLoopbackFails() {
    DoctorItem item = LocalhostNames.check(says(0, "203.0.113.7 STREAM x\n"));
    assertThat(item.status()).isEqualTo(DoctorItem.Status.FAIL);
    assertThat(item.summary())
        .isEqualTo("porthole-doctor.localhost resolves to 203.0.113.7, off loopback");
  }

  @Test
  void thisMachinesResolverGivesAnAnswerOfSomeKind() {
    DoctorItem item = LocalhostNames.check(CommandRunner.system(Duration.ofSeconds(10)));
    assertThat(item.id()).isEqualTo("localhost-names");
    assertThat(item.status()).isNotEqualTo(DoctorItem.Status.FAIL);
  }
}
