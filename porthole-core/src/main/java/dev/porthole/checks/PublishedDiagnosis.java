package dev.porthole.checks;

import dev.porthole.attribution.PublishedPort;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagnosis of a port that a container engine publishes by a DNAT rule ({@code
 * userland-proxy=false}) and that does not answer: no socket here takes the connection (or only
 * dockerd's, which reserves the port and never accepts), so the fault is in the container the rule
 * leads to, not on this host.
 */
final class PublishedDiagnosis {
  private PublishedDiagnosis() {}

  /** Returns the diagnosis for a refused, dropped or unreachable connection to {@code p}. */
  static Diagnosis of(int port, PublishedPort p, Failure failure) {
    Publication pub = Publication.of(p);
    boolean known = pub.container() != null;
    String who = known ? "container " + pub.container() : p.target();
    String inner = known && pub.containerPort() != null ? " on " + pub.containerPort() : "";
    String what =
        failure == Failure.REFUSED
            ? (known ? "nothing in " + who + " accepts" + inner : "nothing at " + who + " accepts")
            : p.target() + " does not answer";
    List<String> details = new ArrayList<>();
    details.add(
        "no socket on this host takes the connection: the nat table sends it on to " + p.target());
    if (p.rule() != null) {
      details.add("rule: " + p.rule());
    }
    if (p.pid() != null) {
      details.add(p.process() + " (PID " + p.pid() + ") only reserves port " + port);
    }
    String fix;
    if (!known) {
      fix =
          "start the service at " + p.target() + ", or delete the rule if nothing should be there";
    } else if (failure == Failure.REFUSED) {
      fix =
          "start the service in "
              + who
              + inner
              + ", bound to 0.0.0.0 (127.0.0.1 inside the container is not reached by DNAT)";
    } else {
      fix = "see whether " + who + " still runs (docker ps) and its network still exists";
    }
    return new Diagnosis(
        DiagnosisCode.PUBLISHED_VIA_DNAT,
        port + " is " + pub.summary() + "; " + what + ".",
        details,
        fix);
  }
}
