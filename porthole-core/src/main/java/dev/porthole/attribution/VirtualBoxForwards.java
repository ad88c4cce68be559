package dev.porthole.attribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Names the VirtualBox VM behind a NAT port forward that {@code VBoxHeadless} (or the GUI's {@code
 * VirtualBoxVM}) holds. Its command line names the VM ({@code --startvm UUID|NAME}, {@code
 * --comment NAME}); the forwards are in the VM's settings file, found through the user's {@code
 * VirtualBox.xml} ({@code $VBOX_USER_HOME}, else {@code ~/.config/VirtualBox}, from the process's
 * environment): {@code <Forwarding name=".." proto="1" hostport=".." guestport=".."/>}.
 */
final class VirtualBoxForwards {
  private final ProcessArgs args;

  VirtualBoxForwards(ProcessArgs args) {
    this.args = args;
  }

  /** Returns true when {@code argv} is a VirtualBox VM process's. */
  static boolean isVirtualBox(List<String> argv) {
    if (argv.isEmpty()) {
      return false;
    }
    String base = Argv.base(argv.getFirst());
    return base.equals("VBoxHeadless") || base.equals("VirtualBoxVM");
  }

  /** Returns the VM and forward behind {@code port}, or a VM origin without the forward. */
  Origin origin(int pid, List<String> argv, int port) {
    String vm = flag(argv, "--startvm", "-startvm", "-s");
    String comment = flag(argv, "--comment", "-comment");
    String name = comment != null ? comment : vm;
    Origin base =
        Origin.of(
            OriginKind.VM,
            "VirtualBox VM" + (name == null ? "" : " " + name),
            "hypervisor",
            "virtualbox",
            "vm",
            name,
            "hostPort",
            Integer.toString(port));
    Path settings = settings(pid, vm, comment);
    if (settings == null) {
      return base.with("configProblem", "its settings file was not found");
    }
    try {
      NodeList forwards = parse(settings).getElementsByTagName("Forwarding");
      for (int i = 0; i < forwards.getLength(); i++) {
        Element f = (Element) forwards.item(i);
        if (Argv.port(f.getAttribute("hostport")) == port) {
          return base.with("protocol", f.getAttribute("proto").equals("0") ? "udp" : "tcp")
              .with("rule", f.getAttribute("name"))
              .with("guestAddress", f.getAttribute("guestip"))
              .with("guestPort", f.getAttribute("guestport"));
        }
      }
      return base.with("configProblem", "no NAT forward of port " + port + " in " + settings);
    } catch (IOException | RuntimeException e) {
      return base.with("configProblem", settings + " unreadable: " + e.getMessage());
    }
  }

  /** Returns the VM's .vbox file listed in VirtualBox.xml by uuid or name, or null. */
  private Path settings(int pid, String vm, String comment) {
    Path home = env(pid, "VBOX_USER_HOME");
    if (home == null) {
      Path user = env(pid, "HOME");
      home = user == null ? null : user.resolve(".config/VirtualBox");
    }
    Path registry = home == null ? null : home.resolve("VirtualBox.xml");
    if (registry == null || !Files.isRegularFile(registry)) {
      return null;
    }
    try {
      NodeList machines = parse(registry).getElementsByTagName("MachineEntry");
      for (int i = 0; i < machines.getLength(); i++) {
        Element m = (Element) machines.item(i);
        String uuid = m.getAttribute("uuid").replace("{", "").replace("}", "");
        Path src = home.resolve(m.getAttribute("src"));
        String file = src.getFileName().toString().replaceFirst("\\.vbox$", "");
        if (matches(vm, uuid, file) || matches(comment, uuid, file)) {
          return src;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static boolean matches(String wanted, String uuid, String file) {
    return wanted != null
        && (wanted.replace("{", "").replace("}", "").equalsIgnoreCase(uuid) || wanted.equals(file));
  }

  private static Document parse(Path file) throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      // Settings files are the user's own, but an entity in one must not read other files.
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(file.toFile());
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private Path env(int pid, String name) {
    String value = args.env(pid, name);
    return value == null ? null : Path.of(value);
  }

  private static String flag(List<String> argv, String... names) {
    for (int i = 1; i + 1 < argv.size(); i++) {
      for (String n : names) {
        if (argv.get(i).equals(n)) {
          return argv.get(i + 1);
        }
        if (argv.get(i).startsWith(n + "=")) {
          return argv.get(i).substring(n.length() + 1);
        }
      }
    }
    return null;
  }
}
