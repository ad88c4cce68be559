package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.attribution.Origin;
import dev.porthole.attribution.OriginKind;
import org.junit.jupiter.api.Test;

/** Policy rules that name what really owns a port: a container, an image, a VM, a project. */
class PolicyOriginTest {
  private static final String POLICY =
      """
      unexpected: alert
      mismatch: alert
      expected:
        - port: 15432
          origin: docker
          container: shop-db*
          image: postgres:*
          project: shop
        - port: 2222
          origin: qemu
          vm: build*
        - port: 5173
          origin: dev-server
          project: /home/*/shop
      """;

  private static final Policy P = PolicyFile.parse(POLICY, "policy.yaml");

  private static Listener at(int port, String process, Origin origin) {
    Listener l = EventDetectorTest.tcp("127.0.0.1", port, EventDetectorTest.proc(9, process, "/x"));
    return new Listener(
        l.protocol(), l.address(), l.port(), l.scope(), l.inode(), l.owner(), origin);
  }

  private static Origin container(String name, String image, String compose) {
    return Origin.of(
        OriginKind.CONTAINER, name, "engine", "docker", "image", image, "composeProject", compose);
  }

  @Test
  void aContainerFitsByEngineNameImageAndComposeProject() {
    assertThat(P.check(at(15432, "docker-proxy", container("shop-db-1", "postgres:16", "shop"))))
        .isNull();
  }

  @Test
  void anotherContainerOnTheSamePortIsAMismatchNamingBoth() {
    Policy.Violation v = P.check(at(15432, "docker-proxy", container("redis", "redis:7", "shop")));
    assertThat(v.action()).isEqualTo(PolicyAction.ALERT);
    assertThat(v.message())
        .endsWith(
            "policy gives port 15432 to container shop-db*, not container redis (redis:7,"
                + " compose shop)");
    assertThat(
            P.check(at(15432, "docker-proxy", container("shop-db-1", "mysql:8", "shop"))).message())
        .contains("policy gives port 15432 to image postgres:*");
    assertThat(
            P.check(at(15432, "docker-proxy", container("shop-db-1", "postgres:16", "blog")))
                .message())
        .contains("policy gives port 15432 to project shop");
  }

  @Test
  void aPlainProcessOnAContainersPortSaysNoOriginIsKnown() {
    assertThat(P.check(at(15432, "postgres", null)).message())
        .endsWith("policy gives port 15432 to docker (no origin known)");
  }

  @Test
  void aVmFitsByHypervisorAndNameAndADevServerByProjectDirectory() {
    Origin vm =
        Origin.of(
            OriginKind.VM,
            "QEMU VM build1",
            "hypervisor",
            "qemu",
            "vm",
            "build1",
            "guestPort",
            "22");
    assertThat(P.check(at(2222, "qemu-system-x86", vm))).isNull();
    Origin other =
        Origin.of(
            OriginKind.VM, "QEMU VM web", "hypervisor", "qemu", "vm", "web", "guestPort", "22");
    assertThat(P.check(at(2222, "qemu-system-x86", other)).message())
        .endsWith("policy gives port 2222 to VM build*, not QEMU VM web guest port 22");
    Origin vite =
        Origin.of(OriginKind.DEV_SERVER, "vite", "framework", "vite", "project", "/home/ann/shop");
    assertThat(P.check(at(5173, "node", vite))).isNull();
    Origin elsewhere = vite.with("project", "/srv/blog");
    assertThat(P.check(at(5173, "node", elsewhere)).message())
        .endsWith(
            "policy gives port 5173 to project /home/*/shop, not vite dev server in /srv/blog");
  }

  @Test
  void anUnknownOriginIsRejectedWithItsLineAndTheAcceptedValues() {
    assertThatThrownBy(
            () -> PolicyFile.parse("expected:\n  - port: 80\n    origin: lxc\n", "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessage(
            "p.yaml: line 2: origin: 'lxc' (expected one of: container, namespace, vm, ssh-tunnel,"
                + " kubectl-port-forward, forward, porthole, dev-server, docker, podman, qemu,"
                + " virtualbox)");
  }
}
