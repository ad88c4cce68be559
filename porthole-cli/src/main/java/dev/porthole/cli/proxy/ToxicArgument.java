package dev.porthole.cli.proxy;

import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.proxy.Direction;
import dev.porthole.proxy.ToxicSpec;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.proxy.toxics.ToxicType;
import dev.porthole.text.Numbers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Returns a toxic parsed from the command line: {@code TYPE[:key=value,...]}. Besides the type's
 * attributes, the keys {@code stream} (upstream or downstream, default downstream), {@code
 * toxicity} (0..1, default 1) and {@code name} (default TYPE_STREAM) are accepted.
 */
public final class ToxicArgument {
  private ToxicArgument() {}

  /** Returns the spec for {@code text}, or throws a usage error naming what is wrong. */
  static ToxicSpec parse(String text) {
    int colon = text.indexOf(':');
    String typeName = colon < 0 ? text : text.substring(0, colon);
    ToxicType type =
        ToxicRegistry.standard()
            .type(typeName)
            .orElseThrow(
                () -> CliException.usage("--toxic " + text + ": unknown toxic type '" + typeName
                    + "' (known: " + known() + ")"));
    Map<String, Object> attributes = new LinkedHashMap<>(type.defaults());
    Direction direction = Direction.DOWNSTREAM;
    double toxicity = 1.0;
    String name = null;
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    for (String pair : rest.isEmpty() ? new String[0] : rest.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("--toxic " + text + ": expected key=value (got '" + pair + "')");
      }
      String key = pair.substring(0, eq).strip();
      String value = pair.substring(eq + 1).strip();
      try {
        switch (key) {
          case "stream" -> direction = Direction.parse(value);
          case "toxicity" -> toxicity = Numbers.parseDecimal(value, "toxicity", 0, 1);
          case "name" -> name = value;
          default -> attributes.put(key, value(type, key, value));
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--toxic " + text + ": " + e.getMessage());
      }
    }
    try {
      type.validate(attributes);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--toxic " + text + ": " + e.getMessage());
    }
    String fullName = name != null ? name : typeName + "_" + direction.label();
    return new ToxicSpec(fullName, typeName, direction, toxicity, attributes);
  }

  private static Object value(ToxicType type, String key, String value) {
    Class<?> kind = type.attributeType(key);
    if (kind == null) {
      throw new IllegalArgumentException("unknown attribute '" + Numbers.printable(key) + "' ("
          + type.name() + " has: " + String.join(", ", type.defaults().keySet()) + ")");
    }
    if (kind == String.class) {
      return value;
    }
    try {
      return kind == Long.class
          ? (Object) Numbers.parseLong(value, key, -Converters.LONGEST, Converters.LONGEST)
          : Numbers.parseDecimal(value, key, -Converters.LONGEST, Converters.LONGEST);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + ": '" + Numbers.printable(value) + "' (expected: "
              + (kind == Long.class ? "a whole number)" : "a number)"));
    }
  }

  private static String known() {
    return String.join(
        ", ", ToxicRegistry.standard().types().stream().map(ToxicType::name).toList());
  }
}
