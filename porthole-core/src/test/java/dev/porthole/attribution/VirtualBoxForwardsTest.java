package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * VirtualBox cannot run here (no kernel module, no binary), so a real listener runs under the name
 * {@code VBoxHeadless} with its command line ({@code exec -a}) and a VirtualBox.xml and .vbox file
 * as VirtualBox writes them, in the HOME of its environment.
 */
@Timeout(30)
class VirtualBoxForwardsTest {
  private static final String UUID = "6b1d6e1e-58c2-4b35-9d0c-3f6f2f7c0a11";

  @TempDir Path home;

  @Test
  void aNatForwardIsNamedWithItsVmAndGuestPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = Files.createDirectories(home.resolve(".config/VirtualBox"));
    Path vmDir = Files.createDirectories(home.resolve("VirtualBox VMs/devvm"));
    Files.writeString(
        config.resolve("VirtualBox.xml"),
        "<?xml version=\"1.0\"?>\n"
            + "<VirtualBox xmlns=\"http://www.virtualbox.org/\""
            + " version=\"1.19\"><Global><MachineRegistry><MachineEntry uuid=\"{"
            + UUID
            + "}\" src=\""
            + vmDir.resolve("devvm.vbox")
            + "\"/></MachineRegistry></Global></VirtualBox>\n");
    Files.writeString(
        vmDir.resolve("devvm.vbox"),
        "<?xml version=\"1.0\"?>\n"
            + "<VirtualBox xmlns=\"http://www.virtualbox.org/\" version=\"1.19\"><Machine uuid=\"{"
            + UUID
            + "}\" name=\"devvm\"><Hardware><Network><Adapter slot=\"0\" enabled=\"true\"><NAT>"
            + "<Forwarding name=\"web\" proto=\"1\" hostip=\"127.0.0.1\" hostport=\""
            + port
            + "\" guestport=\"8080\"/>"
            + "<Forwarding name=\"ssh\" proto=\"1\" hostport=\"2222\" guestport=\"22\"/>"
            + "</NAT></Adapter></Network></Hardware></Machine></VirtualBox>\n");
    String listen =
        "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', "
            + port
            + ")); s.listen(); time.sleep(30)";
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            "exec -a VBoxHeadless /usr/bin/python3 -c \"$0\" --comment devvm --startvm " + UUID,
            listen);
    pb.environment().put("HOME", home.toString());
    Process vbox = pb.start();
    try {
      awaitListening(port);
      Origin o = Attributor.system().origin((int) vbox.pid(), port);
      assertThat(o.kind()).isEqualTo("vm");
      assertThat(o.name()).isEqualTo("VirtualBox VM devvm");
      assertThat(o.details())
          .containsEntry("hypervisor", "virtualbox")
          .containsEntry("vm", "devvm")
          .containsEntry("rule", "web")
          .containsEntry("guestPort", "8080")
          .containsEntry("protocol", "tcp");
      assertThat(o.summary()).isEqualTo("VirtualBox VM devvm guest port 8080");

      Origin unknown = Attributor.system().origin((int) vbox.pid(), 2223);
      assertThat(unknown.detail("configProblem"))
          .isEqualTo("no NAT forward of port 2223 in " + vmDir.resolve("devvm.vbox"));
    } finally {
      vbox.destroy();
      vbox.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) { // 10 s
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nothing listens on " + port + " within 10 s");
  }
}
