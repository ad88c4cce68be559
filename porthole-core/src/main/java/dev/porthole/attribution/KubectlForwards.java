package dev.porthole.attribution;

import java.util.List;

/** Reads {@code kubectl port-forward [-n NS] TYPE/NAME [LOCAL:]REMOTE ...} from a command line. */
final class KubectlForwards {
  private static final List<String> WITH_ARGUMENT =
      List.of(
          "-n", "--namespace", "--address", "--context", "--kubeconfig", "--pod-running-timeout");

  private KubectlForwards() {}

  /** Returns the forward origin of local {@code port}, or null when {@code argv} is no such one. */
  static Origin match(List<String> argv, int port) {
    if (!Argv.runs(argv, "kubectl")) {
      return null;
    }
    int verb = Argv.indexOf(argv, "port-forward");
    if (verb < 0) {
      return null;
    }
    String resource = null;
    String remote = null;
    for (int i = verb + 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (WITH_ARGUMENT.contains(a)) {
        i++;
        continue;
      }
      if (a.startsWith("-")) {
        continue;
      }
      if (resource == null) {
        resource = a.contains("/") ? a : "pod/" + a;
        continue;
      }
      List<String> ports = Argv.colonFields(a);
      String local = ports.getFirst();
      String theirs = ports.getLast();
      if (Argv.port(local) == port || (local.isEmpty() && remote == null)) {
        remote = theirs;
        if (Argv.port(local) == port) {
          break;
        }
      }
    }
    if (resource == null || remote == null) {
      return null;
    }
    String namespace = Argv.option(argv, "--namespace", "-n");
    return Origin.of(
        OriginKind.KUBERNETES,
        "kubectl port-forward " + resource + " port " + remote,
        "resource",
        resource,
        "namespace",
        namespace,
        "remotePort",
        remote,
        "context",
        Argv.option(argv, "--context", null));
  }
}
