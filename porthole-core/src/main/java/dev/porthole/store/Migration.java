package dev.porthole.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns one schema step: a version number, a name and the SQL that takes the schema there.
 *
 * <p>Loaded from a classpath resource {@code db/migration/V<n>__<name>.sql}. Statements end with
 * {@code ;} at the end of a line, so a {@code ;} inside a string literal is safe.
 *
 * @param version the schema version this step produces (1, 2, …)
 * @param name the part of the file name after {@code __}
 * @param sql the statements
 */
public record Migration(int version, String name, String sql) {
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_\\-]+)\\.sql");

  public Migration {
    if (version < 1) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: empty");
    }
    if (sql == null) {
      throw new IllegalArgumentException("sql: null");
    }
  }

  /** Returns the migration a file name describes, or {@code null} if it is not one. */
  static Migration fromFile(String fileName, String sql) {
    Matcher m = FILE.matcher(fileName);
    if (!m.matches()) {
      return null;
    }
    return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql);
  }

  /** Returns the statements, split at {@code ;} line ends, without comments or blank ones. */
  List<String> statements() {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
