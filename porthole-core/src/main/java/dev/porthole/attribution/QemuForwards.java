package dev.porthole.attribution;

import java.util.List;

/**
 * Reads a QEMU VM's host port forwards from its command line: {@code -nic
 * user,hostfwd=tcp:127.0.0.1:2222-:22} (also in {@code -netdev}); one VM may forward many ports.
 */
final class QemuForwards {
  private QemuForwards() {}

  /**
   * Returns the VM origin of host {@code port}, or null when {@code argv} forwards no such port.
   */
  static Origin match(List<String> argv, int port) {
    if (argv.isEmpty() || !Argv.base(argv.getFirst()).startsWith("qemu-system")) {
      return null;
    }
    String vmName = Argv.option(argv, "-name", null);
    if (vmName != null) {
      vmName = vmName.split(",")[0].replaceFirst("^guest=", "");
    }
    for (String arg : argv) {
      for (String part : arg.split(",")) {
        if (!part.startsWith("hostfwd=")) {
          continue;
        }
        Origin o = forward(part.substring("hostfwd=".length()), port, vmName, argv.getFirst());
        if (o != null) {
          return o;
        }
      }
    }
    return null;
  }

  // [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport
  private static Origin forward(String spec, int port, String vmName, String emulator) {
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    List<String> host = Argv.colonFields(spec.substring(0, dash));
    List<String> guest = Argv.colonFields(spec.substring(dash + 1));
    if (host.size() == 2) {
      host.addFirst("tcp");
    }
    if (host.size() != 3 || guest.size() != 2 || Argv.port(host.get(2)) != port) {
      return null;
    }
    String name = vmName == null ? "QEMU VM" : "QEMU VM " + vmName;
    return Origin.of(
        OriginKind.VM,
        name,
        "hypervisor",
        "qemu",
        "emulator",
        Argv.base(emulator),
        "vm",
        vmName,
        "protocol",
        host.get(0).isEmpty() ? "tcp" : host.get(0),
        "hostPort",
        host.get(2),
        "guestAddress",
        guest.get(0).isEmpty() ? "(the guest's first address)" : guest.get(0),
        "guestPort",
        guest.get(1));
  }
}
