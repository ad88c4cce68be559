package dev.porthole.attribution;

import java.nio.file.Path;
import java.util.List;

/**
 * Returns the origin a listener's command line alone reveals, without asking any engine: porthole,
 * QEMU, ssh, kubectl, socat, docker-proxy (the container's address only) or a dev server.
 */
public final class CommandLineOrigins {
  private CommandLineOrigins() {}

  /**
   * Returns the origin of the listener on {@code port} held by a process run as {@code argv}, or
   * null when the command line says nothing beyond the process itself.
   *
   * @param cwd the process's working directory (for dev servers' projects), or null
   */
  public static Origin of(List<String> argv, int port, Path cwd) {
    if (argv.isEmpty()) {
      return null;
    }
    Origin o = PortholeProcesses.match(argv);
    if (o == null) {
      o = QemuForwards.match(argv, port);
    }
    if (o == null) {
      o = SshTunnels.match(argv, port);
    }
    if (o == null) {
      o = KubectlForwards.match(argv, port);
    }
    if (o == null) {
      o = SocatForwards.match(argv, port);
    }
    if (o == null) {
      o = dockerProxy(argv);
    }
    return o != null ? o : DevServers.match(argv, cwd);
  }

  /** Returns a container origin named by its address, until the engine names it. */
  private static Origin dockerProxy(List<String> argv) {
    DockerProxyArgs args = DockerProxyArgs.parse(argv);
    if (args == null) {
      return null;
    }
    return Origin.of(
        OriginKind.CONTAINER,
        "at " + args.containerIp(),
        "engine",
        "docker",
        "containerIp",
        args.containerIp(),
        "containerPort",
        args.containerPort() + "/" + args.proto());
  }
}
