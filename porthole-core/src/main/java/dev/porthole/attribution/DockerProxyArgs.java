package dev.porthole.attribution;

import java.util.List;

/**
 * Returns the arguments Docker gives each {@code docker-proxy}: {@code -proto tcp -host-ip
 * 127.0.0.1 -host-port 8080 -container-ip 172.17.0.2 -container-port 80}.
 */
public record DockerProxyArgs(
    String proto, String hostIp, int hostPort, String containerIp, int containerPort) {

  /** Returns the parsed arguments, or null when {@code argv} is not a complete docker-proxy. */
  public static DockerProxyArgs parse(List<String> argv) {
    if (argv.isEmpty() || !Argv.base(argv.getFirst()).equals("docker-proxy")) {
      return null;
    }
    String proto = value(argv, "-proto");
    int hostPort = Argv.port(value(argv, "-host-port"));
    String containerIp = value(argv, "-container-ip");
    int containerPort = Argv.port(value(argv, "-container-port"));
    if (hostPort < 0 || containerIp == null || containerPort < 0) {
      return null;
    }
    return new DockerProxyArgs(
        proto == null ? "tcp" : proto,
        value(argv, "-host-ip"),
        hostPort,
        containerIp,
        containerPort);
  }

  private static String value(List<String> argv, String flag) {
    int i = argv.indexOf(flag);
    if (i >= 0 && i + 1 < argv.size()) {
      return argv.get(i + 1);
    }
    String prefix = flag + "=";
    return argv.stream()
        .filter(a -> a.startsWith(prefix))
        .map(a -> a.substring(prefix.length()))
        .findFirst()
        .orElse(null);
  }
}
