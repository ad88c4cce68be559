package dev.porthole.attribution;

import dev.porthole.sockets.ProcFiles;
import dev.porthole.sockets.ProcNetParser;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds listeners inside other network namespaces: every distinct {@code /proc/PID/ns/net} other
 * than porthole's own, read through {@code /proc/PID/net/{tcp,tcp6,udp,udp6}} of its lowest PID. A
 * namespace whose process sits in a container's cgroup is named after that container.
 */
public final class NamespaceListeners {
  private static final String[][] FILES = {
    {"net/tcp", "TCP", "4"},
    {"net/tcp6", "TCP", "6"},
    {"net/udp", "UDP", "4"},
    {"net/udp6", "UDP", "6"}
  };
  private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");

  private final Path procRoot;
  private final ContainerLookup containers;

  public NamespaceListeners(Path procRoot, ContainerLookup containers) {
    this.procRoot = procRoot;
    this.containers = containers;
  }

  /** Returns the listeners of every other namespace, namespaces in order of their first PID. */
  public List<NamespaceListener> read() {
    String own = namespace("self");
    Map<String, Integer> firstPid = new LinkedHashMap<>();
    String[] names = procRoot.toFile().list();
    int[] pids =
        names == null
            ? new int[0]
            : Arrays.stream(names)
                .filter(n -> n.matches("\\d{1,9}"))
                .mapToInt(Integer::parseInt)
                .sorted()
                .toArray();
    for (int pid : pids) {
      String ns = namespace(Integer.toString(pid));
      if (ns != null && !ns.equals(own)) {
        firstPid.putIfAbsent(ns, pid);
      }
    }
    List<NamespaceListener> out = new ArrayList<>();
    firstPid.forEach((ns, pid) -> out.addAll(listeners(ns, pid)));
    return out;
  }

  private List<NamespaceListener> listeners(String ns, int pid) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    List<SocketEntry> found = new ArrayList<>();
    for (String[] file : FILES) {
      String text;
      try {
        text = Files.readString(dir.resolve(file[0]), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        continue; // exited, or IPv6 off in that namespace
      }
      Protocol protocol = Protocol.valueOf(file[1]);
      for (SocketEntry e : ProcNetParser.parse(text, protocol, file[2].equals("6")).entries()) {
        if (e.listening()) {
          found.add(e);
        }
      }
    }
    if (found.isEmpty()) {
      return List.of();
    }
    ProcFiles.Stat stat = ProcFiles.stat(dir);
    String process = stat == null ? "?" : stat.name();
    Origin origin = origin(ns, pid, process);
    return found.stream().map(e -> new NamespaceListener(ns, pid, process, e, origin)).toList();
  }

  private Origin origin(String ns, int pid, String process) {
    String id = containerId(pid);
    ContainerInfo c = id == null ? null : containers.byId(id);
    if (c != null) {
      return ContainerLookup.of(c, null).with("namespace", ns).with("pid", Integer.toString(pid));
    }
    return Origin.of(
        OriginKind.NAMESPACE,
        "network namespace of PID " + pid + " (" + process + ")",
        "namespace",
        ns,
        "pid",
        Integer.toString(pid),
        "containerId",
        id == null ? null : id.substring(0, 12));
  }

  /** Returns the 64-hex container id in the process's cgroup path, or null. */
  private String containerId(int pid) {
    try {
      Matcher m = CONTAINER_ID.matcher(Files.readString(procRoot.resolve(pid + "/cgroup")));
      return m.find() ? m.group() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private String namespace(String pid) {
    try {
      return Files.readSymbolicLink(procRoot.resolve(pid + "/ns/net")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null; // exited, or another user's process while not root
    }
  }
}
