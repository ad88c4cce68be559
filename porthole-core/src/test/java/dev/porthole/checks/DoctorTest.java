package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketEntry;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.SocketState;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the doctor's items over a staged hosts file, /proc, firewall output and inventory. */
class DoctorTest {
  @TempDir Path dir;

  private static final CommandRunner NO_TOOLS =
      command -> new CommandRunner.Output(127, "", command.get(0) + " is not installed");

  private Doctor doctor(
      String hosts, CommandRunner runner, SocketSnapshot snapshot, EphemeralRange range)
      throws Exception {
    Path hostsFile = dir.resolve("hosts");
    Files.writeString(hostsFile, hosts);
    Path flag = dir.resolve("proc/sys/net/ipv6/conf/all/disable_ipv6");
    Files.createDirectories(flag.getParent());
    Files.writeString(flag, "1\n");
    return new Doctor(
        new Doctor.Environment(hostsFile, dir.resolve("proc"), runner, () -> snapshot, range));
  }

  private Doctor doctor(String hosts) throws Exception {
    return doctor(hosts, NO_TOOLS, null, new EphemeralRange(32768, 60999, true));
  }

  @Test
  void hostsFileWithoutLocalhostFails() throws Exception {
    DoctorItem item = doctor("127.0.0.1 other # localhost\n").hosts();
    assertThat(item.status()).isEqualTo(DoctorItem.Status.FAIL);
    assertThat(item.summary()).isEqualTo(dir.resolve("hosts") + " has no entry for localhost");
  }

  @Test
  void hostsFileMappingLocalhostOffLoopbackNamesTheLine() throws Exception {
    DoctorItem item =
        doctor("127.0.0.1 localhost\n# a comment\n192.168.1.5  myhost localhost\n").hosts();
    assertThat(item.status()).isEqualTo(DoctorItem.Status.FAIL);
    assertThat(item.summary())
        .endsWith(" line 3 maps localhost to 192.168.1.5, which is not loopback");
  }

  @Test
  void duplicatedLocalhostIsAWarning() throws Exception {
    DoctorItem item =
        doctor("127.0.0.1 localhost\n::1 localhost\n127.0.0.1 localhost.localdomain localhost\n")
            .hosts();
    assertThat(item.status()).isEqualTo(DoctorItem.Status.WARN);
    assertThat(item.summary()).endsWith(" lists localhost → 127.0.0.1 more than once");
  }

  @Test
  void healthyHostsFile() throws Exception {
    DoctorItem item = doctor("127.0.0.1 localhost\n::1 localhost ip6-localhost\n").hosts();
    assertThat(item.status()).isEqualTo(DoctorItem.Status.OK);
    assertThat(item.summary()).endsWith(": localhost → 127.0.0.1, ::1");
  }

  @Test
  void ipv6DisabledIsAWarning() throws Exception {
    DoctorItem item = doctor("127.0.0.1 localhost\n").ipv6();
    assertThat(item.status()).isEqualTo(DoctorItem.Status.WARN);
    assertThat(item.summary()).startsWith("IPv6 is disabled");
  }

  @Test
  void firewallNotReadableSaysWhy() throws Exception {
    List<DoctorItem> items = doctor("127.0.0.1 localhost\n").firewall(0);
    assertThat(items)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.status()).isEqualTo(DoctorItem.Status.SKIPPED);
              assertThat(i.summary())
                  .isEqualTo(
                      "not checked, because iptables-save is not installed; "
                          + "ip6tables-save is not installed; nft is not installed");
            });
  }

  @Test
  void firewallRuleGetsTheCommandThatDeletesIt() throws Exception {
    CommandRunner runner =
        command ->
            command.get(0).equals("iptables-save")
                ? new CommandRunner.Output(0, "*filter\n-A INPUT -i lo -j DROP\nCOMMIT\n", "")
                : new CommandRunner.Output(1, "", "Permission denied");
    List<DoctorItem> items =
        doctor("127.0.0.1 localhost\n", runner, null, new EphemeralRange(32768, 60999, true))
            .firewall(8080);
    assertThat(items)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.status()).isEqualTo(DoctorItem.Status.FAIL);
              assertThat(i.summary())
                  .isEqualTo(
                      "rule drops or rejects loopback port 8080: iptables-save: -A INPUT -i lo -j"
                          + " DROP");
              assertThat(i.fix()).isEqualTo("iptables -D INPUT -i lo -j DROP");
            });
  }

  @Test
  void ephemeralRangeOverDevPortsIsAWarning() throws Exception {
    Doctor d =
        doctor("127.0.0.1 localhost\n", NO_TOOLS, null, new EphemeralRange(1024, 65535, true));
    DoctorItem all = d.ephemeral(0);
    assertThat(all.status()).isEqualTo(DoctorItem.Status.WARN);
    assertThat(all.summary())
        .startsWith("ephemeral port range 1024-65535 cover dev ports [3000, 3001, 4200");
    assertThat(d.ephemeral(8080).fix())
        .startsWith("sysctl -w net.ipv4.ip_local_reserved_ports=8080");
    assertThat(doctor("").ephemeral(8080).status()).isEqualTo(DoctorItem.Status.OK);
  }

  @Test
  void servicesOnAllInterfacesAreNamed() throws Exception {
    SocketEntry wide =
        new SocketEntry(
            Protocol.TCP,
            false,
            InetAddress.getByName("0.0.0.0"),
            5432,
            InetAddress.getByName("0.0.0.0"),
            0,
            SocketState.LISTEN,
            999,
            1234);
    SocketEntry local =
        new SocketEntry(
            Protocol.TCP,
            false,
            InetAddress.getByName("127.0.0.1"),
            6379,
            InetAddress.getByName("0.0.0.0"),
            0,
            SocketState.LISTEN,
            999,
            1235);
    ProcessInfo postgres =
        new ProcessInfo(4242, 1, "postgres", "postgres -D data", 999, "postgres");
    SocketSnapshot snapshot =
        new SocketSnapshot(
            List.of(new OwnedSocket(wide, List.of(postgres)), new OwnedSocket(local, List.of())),
            List.of(),
            0);
    Doctor d =
        doctor("127.0.0.1 localhost\n", NO_TOOLS, snapshot, new EphemeralRange(32768, 60999, true));
    assertThat(d.exposed(0))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.status()).isEqualTo(DoctorItem.Status.WARN);
              assertThat(i.summary())
                  .isEqualTo(
                      "PID 4242 (postgres, user postgres) listens on 0.0.0.0:5432 (tcp): reachable"
                          + " from the network");
            });
    assertThat(d.exposed(6379))
        .singleElement()
        .extracting(DoctorItem::status)
        .isEqualTo(DoctorItem.Status.OK);
    assertThat(d.listener(6379).summary()).startsWith("a process (owner not visible");
  }

  @Test
  void saysTheSocketsComeFromNetlinkWhereItWorks() {
    DoctorItem item = Doctor.sockets();
    assertThat(item.id()).isEqualTo("sockets");
    assertThat(item.status()).isEqualTo(DoctorItem.Status.OK);
    assertThat(item.summary())
        .isEqualTo("the watch reads sockets over netlink sock_diag (as ss does)");
  }
}
