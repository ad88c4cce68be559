package dev.porthole.cli.inventory;

import dev.porthole.cli.inventory.ScanCommand.OpenPort;
import dev.porthole.cli.inventory.ScanCommand.Report;
import java.util.List;

/**
 * The JSON text of a scan report, written by hand in exactly the form {@code Json.write} gives it
 * (Jackson's default pretty printer: two-space indentation, {@code " : "}, {@code [ ]}, records by
 * their component names in order).
 *
 * <p>Why: Jackson's first use costs a cold JVM about 70 ms of CPU (an annotation proxy, reflection
 * over the records, its serializers), a tenth of a whole {@code scan --json} (issue #16). {@code
 * ScanReportJsonTest} holds this to Jackson's output, so the documented shape cannot drift.
 */
public final class ScanReportJson {
  private static final String NL = System.lineSeparator();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ScanReportJson() {}

  /** Returns {@code r} as indented JSON, byte for byte what Jackson writes. */
  static String write(Report r) {
    StringBuilder b = new StringBuilder(256 + 128 * r.open().size());
    b.append('{');
    field(b, "host", 1).append(string(r.host()));
    b.append(',');
    field(b, "scanned", 1).append(r.scanned());
    b.append(',');
    field(b, "millis", 1).append(Double.toString(r.millis()));
    b.append(',');
    field(b, "filtered", 1).append(r.filtered());
    b.append(',');
    field(b, "open", 1).append('[');
    List<OpenPort> open = r.open();
    for (int i = 0; i < open.size(); i++) {
      b.append(i > 0 ? ", " : " ");
      port(b, open.get(i));
    }
    b.append(" ],");
    field(b, "notes", 1).append('[');
    List<String> notes = r.notes();
    for (int i = 0; i < notes.size(); i++) {
      b.append(i > 0 ? ", " : " ").append(string(notes.get(i)));
    }
    b.append(" ]"); // an empty list is "[ ]"
    return b.append(NL).append('}').toString();
  }

  private static void port(StringBuilder b, OpenPort p) {
    b.append('{');
    field(b, "port", 2).append(p.port());
    b.append(',');
    field(b, "bind", 2).append(string(p.bind()));
    b.append(',');
    field(b, "pid", 2).append(p.pid());
    b.append(',');
    field(b, "process", 2).append(string(p.process()));
    b.append(',');
    field(b, "user", 2).append(string(p.user()));
    b.append(NL).append("  }");
  }

  /** Appends a new line, the indentation of {@code depth} and {@code "name" : }. */
  private static StringBuilder field(StringBuilder b, String name, int depth) {
    b.append(NL);
    for (int i = 0; i < depth; i++) {
      b.append("  ");
    }
    return b.append('"').append(name).append("\" : ");
  }

  /** Returns {@code s} quoted and escaped as Jackson escapes it, or {@code null}. */
  static String string(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
