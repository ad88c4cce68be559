package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineOriginsTest {
  @TempDir Path temp;

  private static Origin of(int port, String... argv) {
    return CommandLineOrigins.of(List.of(argv), port, null);
  }

  @Test
  void qemuHostForwardGivesTheGuestPort() {
    Origin o =
        of(
            2222,
            "qemu-system-x86_64",
            "-name",
            "guest=build-vm,debug-threads=on",
            "-S",
            "-nic",
            "user,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp::2222-10.0.2.15:22");
    assertThat(o.kind()).isEqualTo("vm");
    assertThat(o.name()).isEqualTo("QEMU VM build-vm");
    assertThat(o.details())
        .containsEntry("guestPort", "22")
        .containsEntry("guestAddress", "10.0.2.15")
        .containsEntry("hostPort", "2222")
        .containsEntry("protocol", "tcp");
    assertThat(
            of(
                    8080,
                    "/usr/bin/qemu-system-x86_64",
                    "-netdev",
                    "user,id=n0,hostfwd=udp:127.0.0.1:8080-:53")
                .detail("protocol"))
        .isEqualTo("udp");
    assertThat(of(9999, "qemu-system-x86_64", "-nic", "user,hostfwd=tcp::2222-:22")).isNull();
  }

  @Test
  void sshLocalAndDynamicForwardsNameTargetAndServer() {
    Origin local = of(15432, "ssh", "-fN", "-L", "127.0.0.1:15432:db.internal:5432", "bastion");
    assertThat(local.kind()).isEqualTo("ssh-tunnel");
    assertThat(local.name()).isEqualTo("ssh -L to db.internal:5432 via bastion");
    assertThat(local.details())
        .containsEntry("forward", "local")
        .containsEntry("bindAddress", "127.0.0.1")
        .containsEntry("via", "bastion");
    Origin clustered = of(8080, "/usr/bin/ssh", "-NL8080:localhost:80", "-p", "2200", "me@box");
    assertThat(clustered.detail("target")).isEqualTo("localhost:80");
    assertThat(clustered.detail("via")).isEqualTo("me@box port 2200");
    Origin v6 = of(8081, "ssh", "-L", "[::1]:8081:web:80", "-l", "ops", "gw");
    assertThat(v6.detail("bindAddress")).isEqualTo("::1");
    assertThat(v6.detail("via")).isEqualTo("ops@gw");
    Origin socks = of(1080, "ssh", "-D", "1080", "-N", "gw");
    assertThat(socks.detail("forward")).isEqualTo("dynamic");
    assertThat(socks.name()).isEqualTo("ssh -D SOCKS proxy via gw");
    assertThat(of(9000, "ssh", "-R", "9000:localhost:22", "gw")).isNull();
    assertThat(of(22, "ssh", "gw", "-L", "22:x:22")).isNull(); // after the host: remote command
  }

  @Test
  void kubectlPortForwardNamesResourceNamespaceAndRemotePort() {
    Origin o = of(8080, "kubectl", "port-forward", "-n", "shop", "svc/api", "9090:9000", "8080:80");
    assertThat(o.kind()).isEqualTo("kubectl-port-forward");
    assertThat(o.name()).isEqualTo("kubectl port-forward svc/api port 80");
    assertThat(o.details()).containsEntry("namespace", "shop").containsEntry("remotePort", "80");
    assertThat(of(5000, "kubectl", "port-forward", "mypod", "5000").detail("resource"))
        .isEqualTo("pod/mypod");
    assertThat(of(5000, "kubectl", "get", "pods")).isNull();
  }

  @Test
  void socatForwardNamesItsTarget() {
    Origin o = of(8080, "socat", "-d", "-d", "TCP-LISTEN:8080,fork,reuseaddr", "TCP:10.0.0.5:80");
    assertThat(o.kind()).isEqualTo("forward");
    assertThat(o.name()).isEqualTo("socat forward to TCP:10.0.0.5:80");
    assertThat(of(53, "socat", "UDP4-RECVFROM:53,fork", "UDP4:1.1.1.1:53").detail("target"))
        .isEqualTo("UDP4:1.1.1.1:53");
    assertThat(of(81, "socat", "TCP-LISTEN:8080", "TCP:x:80")).isNull();
  }

  @Test
  void portholeProxyNamesUpstreamAndToxics() {
    Origin o =
        of(
            62900,
            "/opt/jdk/bin/java",
            "-Xshare:auto",
            "-jar",
            "/x/porthole.jar",
            "proxy",
            "--listen",
            "62900",
            "--upstream",
            "localhost:5432",
            "--toxic",
            "latency:latency=200");
    assertThat(o.kind()).isEqualTo("porthole");
    assertThat(o.name()).isEqualTo("porthole proxy to localhost:5432");
    assertThat(o.details())
        .containsEntry("role", "proxy")
        .containsEntry("toxics", "latency:latency=200");
    assertThat(of(62893, "java", "-jar", "porthole.jar", "up").name()).isEqualTo("porthole daemon");
  }

  @Test
  void dockerProxyGivesTheContainerAddressUntilTheEngineNamesIt() {
    List<String> argv =
        List.of(
            "/usr/sbin/docker-proxy",
            "-proto",
            "tcp",
            "-host-ip",
            "127.0.0.1",
            "-host-port",
            "8080",
            "-container-ip",
            "172.17.0.2",
            "-container-port",
            "80");
    assertThat(DockerProxyArgs.parse(argv))
        .isEqualTo(new DockerProxyArgs("tcp", "127.0.0.1", 8080, "172.17.0.2", 80));
    Origin o = CommandLineOrigins.of(argv, 8080, null);
    assertThat(o.kind()).isEqualTo("container");
    assertThat(o.details()).containsEntry("containerPort", "80/tcp");
    assertThat(DockerProxyArgs.parse(List.of("docker-proxy", "-proto", "tcp"))).isNull();
  }

  @Test
  void javascriptDevServersByFramework() {
    assertThat(of(5173, "node", "/p/node_modules/.bin/vite", "--port", "5173").name())
        .isEqualTo("vite");
    assertThat(of(3000, "node", "/p/node_modules/.bin/next", "dev").name()).isEqualTo("next");
    assertThat(of(3000, "next-server (v14.2.3)").name()).isEqualTo("next");
    assertThat(of(8080, "node", "/p/node_modules/.bin/webpack", "serve").name())
        .isEqualTo("webpack-dev-server");
    assertThat(
            of(8080, "node", "/p/node_modules/webpack-dev-server/bin/webpack-dev-server.js").name())
        .isEqualTo("webpack-dev-server");
    assertThat(of(4200, "ng", "serve").name()).isEqualTo("angular");
    Origin node = of(3000, "/usr/bin/node", "--inspect", "server.js");
    assertThat(node.name()).isEqualTo("node server.js");
    assertThat(node.detail("framework")).isEqualTo("node");
    assertThat(node.summary()).isEqualTo("node server.js");
    assertThat(node.detail("script")).isEqualTo("server.js");
  }

  @Test
  void pythonAndRubyDevServersByFramework() {
    assertThat(of(8000, "python3", "manage.py", "runserver").name()).isEqualTo("django");
    assertThat(of(5000, "/usr/bin/python3", "/usr/bin/flask", "run", "--port", "5000").name())
        .isEqualTo("flask");
    assertThat(of(5000, "python3", "-m", "flask", "--app", "hello", "run").detail("app"))
        .isEqualTo("hello");
    Origin uv = of(8000, "/venv/bin/python", "/venv/bin/uvicorn", "main:app", "--reload");
    assertThat(uv.name()).isEqualTo("uvicorn");
    assertThat(uv.detail("app")).isEqualTo("main:app");
    assertThat(of(8000, "gunicorn", "-w", "4", "shop.wsgi:application").name())
        .isEqualTo("gunicorn");
    assertThat(of(3000, "ruby", "bin/rails", "server").name()).isEqualTo("rails");
    assertThat(
            of(8000, "python3", "-m", "http.server", "8000", "--directory", "/srv/www")
                .detail("directory"))
        .isEqualTo("/srv/www");
    assertThat(of(8000, "python3", "script.py")).isNull();
  }

  @Test
  void javaJarIsSpringBootWhenItNestsBootInf() throws Exception {
    Path boot = temp.resolve("shop.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(boot))) {
      zip.putNextEntry(new ZipEntry("BOOT-INF/"));
      zip.closeEntry();
    }
    Path plain = temp.resolve("plain.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plain))) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.closeEntry();
    }
    assertThat(CommandLineOrigins.of(List.of("java", "-jar", "shop.jar"), 8080, temp).name())
        .isEqualTo("spring-boot");
    assertThat(CommandLineOrigins.of(List.of("java", "-jar", "plain.jar"), 8080, temp).name())
        .isEqualTo("java -jar plain.jar");
    assertThat(of(8080, "mvn", "spring-boot:run")).isNull(); // mvn forks the java that listens
  }

  @Test
  void devServerProjectIsTheNearestMarkedDirectory() throws Exception {
    Path project = temp.resolve("shop");
    Path src = Files.createDirectories(project.resolve("web/src"));
    Files.writeString(project.resolve("web/package.json"), "{}");
    Files.createDirectories(project.resolve(".git"));
    Origin o = CommandLineOrigins.of(List.of("node", "node_modules/.bin/vite"), 5173, src);
    assertThat(o.details())
        .containsEntry("project", project.resolve("web").toString())
        .containsEntry("projectFile", "package.json");
    assertThat(ProjectDirs.find(project).marker()).isEqualTo(".git");
    assertThat(ProjectDirs.find(Path.of("/"))).isNull();
  }

  @Test
  void plainProcessesHaveNoOrigin() {
    assertThat(of(5432, "postgres", "-D", "/var/lib/postgresql")).isNull();
    assertThat(of(22, "sshd: /usr/sbin/sshd -D")).isNull();
    assertThat(CommandLineOrigins.of(List.of(), 1, null)).isNull();
  }
}
