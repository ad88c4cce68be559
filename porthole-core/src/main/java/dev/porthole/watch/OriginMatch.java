package dev.porthole.watch;

import dev.porthole.attribution.Origin;
import dev.porthole.attribution.OriginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Returns whether a listener's origin fits a policy rule's origin fields: {@code origin} (a kind
 * such as {@code container} or {@code vm}, or an engine or hypervisor: {@code docker}, {@code
 * podman}, {@code qemu}, {@code virtualbox}), {@code container} and {@code image} (a container's
 * name and image), {@code vm} (a VM's name) and {@code project} (a dev server's project directory
 * or a compose project). Every field but {@code origin} takes {@code *} as in {@code process}.
 */
final class OriginMatch {
  /** Engines and hypervisors {@code origin:} may name besides the kinds, with their detail key. */
  private static final List<String> ENGINES = List.of("docker", "podman");

  private static final List<String> HYPERVISORS = List.of("qemu", "virtualbox");

  private OriginMatch() {}

  /** Returns {@code value} lower-cased, or throws naming what {@code origin:} accepts. */
  static String checkOrigin(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (ENGINES.contains(v) || HYPERVISORS.contains(v) || kindLabels().contains(v)) {
      return v;
    }
    throw new IllegalArgumentException(
        "origin: '" + value + "' (expected one of: " + String.join(", ", accepted()) + ")");
  }

  private static List<String> kindLabels() {
    List<String> out = new ArrayList<>();
    for (OriginKind k : OriginKind.values()) {
      out.add(k.label());
    }
    return out;
  }

  private static List<String> accepted() {
    List<String> out = kindLabels();
    out.addAll(ENGINES);
    out.addAll(HYPERVISORS);
    return out;
  }

  /** Returns null when {@code o} fits every stated field of {@code rule}, else what does not. */
  static String mismatch(PolicyRule rule, Origin o, int port) {
    String gives = "policy gives port " + port + " to ";
    if (rule.origin() != null && !kindFits(rule.origin(), o)) {
      return gives + rule.origin() + (o == null ? " (no origin known)" : ", not " + o.summary());
    }
    if (rule.container() != null
        && !(is(o, OriginKind.CONTAINER) && glob(rule.container(), o.name()))) {
      return gives + "container " + rule.container() + now(o);
    }
    if (rule.image() != null
        && !(is(o, OriginKind.CONTAINER) && glob(rule.image(), o.detail("image")))) {
      return gives + "image " + rule.image() + now(o);
    }
    if (rule.vm() != null
        && !(is(o, OriginKind.VM)
            && (glob(rule.vm(), o.detail("vm")) || glob(rule.vm(), o.name())))) {
      return gives + "VM " + rule.vm() + now(o);
    }
    if (rule.project() != null
        && !(o != null
            && (glob(rule.project(), o.detail("project"))
                || glob(rule.project(), o.detail("composeProject"))))) {
      return gives + "project " + rule.project() + now(o);
    }
    return null;
  }

  private static boolean kindFits(String wanted, Origin o) {
    if (o == null) {
      return false;
    }
    if (ENGINES.contains(wanted)) {
      return is(o, OriginKind.CONTAINER) && wanted.equals(o.detail("engine"));
    }
    if (HYPERVISORS.contains(wanted)) {
      return is(o, OriginKind.VM) && wanted.equals(o.detail("hypervisor"));
    }
    return wanted.equals(o.kind());
  }

  private static boolean is(Origin o, OriginKind kind) {
    return o != null && o.kind().equals(kind.label());
  }

  private static boolean glob(String pattern, String text) {
    return Glob.matches(pattern, text);
  }

  private static String now(Origin o) {
    return o == null ? " (no origin known)" : ", not " + o.summary();
  }
}
