package dev.porthole.checks;

import dev.porthole.attribution.NamespaceListener;
import dev.porthole.attribution.OriginKind;
import dev.porthole.sockets.IpLiteral;
import dev.porthole.sockets.Protocol;
import java.util.List;

/**
 * The diagnosis of a refused port that nothing here listens on, while a process listens on it
 * inside another network namespace (a container's own, or an {@code unshare --net} one): its
 * 127.0.0.1 is not ours, so only publishing the port makes it reachable.
 */
final class NamespaceDiagnosis {
  private NamespaceDiagnosis() {}

  /** Returns the diagnosis, or null when no other namespace has a TCP listener on {@code port}. */
  static Diagnosis of(int port, List<NamespaceListener> elsewhere) {
    NamespaceListener l =
        elsewhere.stream()
            .filter(n -> n.socket().localPort() == port && n.socket().protocol() == Protocol.TCP)
            // A container the engine knows explains more than a bare namespace with the same port.
            .min(
                java.util.Comparator.comparing(
                    n -> !n.origin().kind().equals(OriginKind.CONTAINER.label())))
            .orElse(null);
    if (l == null) {
      return null;
    }
    boolean container = l.origin().kind().equals(OriginKind.CONTAINER.label());
    String where =
        container
            ? "container " + l.origin().name() + "'s network namespace"
            : "the network namespace of PID " + l.pid() + " (" + l.process() + ")";
    String address = IpLiteral.format(l.socket().localAddress());
    String own = l.socket().localAddress().isLoopbackAddress() ? "its own " + address : address;
    String fix;
    fix =
        container
            ? "publish it: `docker run -p 127.0.0.1:"
                + port
                + ":"
                + port
                + " ...` (and bind"
                + " 0.0.0.0 inside the container: docker-proxy connects to its bridge address)"
            : "run the service in this namespace, or forward into that one (nsenter -t "
                + l.pid()
                + " -n socat ...)";
    String published = publishedAs(l.origin().detail("published"), port);
    if (published != null) {
      fix = "connect to " + published + ", where the engine publishes it";
    }
    return new Diagnosis(
        DiagnosisCode.LISTENS_IN_OTHER_NAMESPACE,
        port
            + " listens inside "
            + where
            + " on "
            + own
            + (published == null
                ? "; it is not published."
                : "; it is published on " + published + ", not on " + port + "."),
        List.of(
            l.process()
                + " (PID "
                + l.pid()
                + ") listens on "
                + (address.indexOf(':') >= 0 ? "[" + address + "]" : address)
                + ":"
                + port
                + " in "
                + l.namespace()
                + ", which is not this network namespace",
            "every network namespace has its own loopback: 127.0.0.1 there is not 127.0.0.1 here"),
        fix);
  }

  /** Returns "127.0.0.1:8080" when {@code published} ("127.0.0.1:8080->80/tcp ...") maps port. */
  private static String publishedAs(String published, int port) {
    if (published == null) {
      return null;
    }
    for (String mapping : published.split(" ")) {
      if (mapping.endsWith("->" + port + "/tcp")) {
        String host = mapping.substring(0, mapping.indexOf("->"));
        return host.startsWith("0.0.0.0:") || host.startsWith(":")
            ? "127.0.0.1" + host.substring(host.lastIndexOf(':'))
            : host;
      }
    }
    return null;
  }
}
