package dev.porthole.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Returns the schema migrations found on the classpath under {@code db/migration/}.
 *
 * <p>Every module may contribute files (core has V1 and V2, the watch adds V3): all folders of that
 * name are read, from directories (tests, IDE) and from jars (the shaded CLI jar).
 */
public final class Migrations {
  static final String FOLDER = "db/migration";

  private Migrations() {}

  /**
   * Returns every migration on the classpath, ordered by version; two files of one version fail.
   */
  public static List<Migration> fromClasspath() {
    ClassLoader loader = Migrations.class.getClassLoader();
    Map<Integer, Migration> found = new HashMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(FOLDER);
      while (roots.hasMoreElements()) {
        for (Migration m : read(roots.nextElement())) {
          Migration other = found.putIfAbsent(m.version(), m);
          if (other != null && !other.name().equals(m.name())) {
            throw new IllegalStateException(
                "two migrations for version "
                    + m.version()
                    + ": "
                    + other.name()
                    + ", "
                    + m.name());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + FOLDER + ": " + e.getMessage(), e);
    }
    List<Migration> all = new ArrayList<>(found.values());
    all.sort(Comparator.comparingInt(Migration::version));
    return all;
  }

  private static List<Migration> read(URL root) throws IOException {
    List<Migration> out = new ArrayList<>();
    if ("file".equals(root.getProtocol())) {
      Path dir;
      try {
        dir = Path.of(root.toURI());
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          add(out, p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    } else if ("jar".equals(root.getProtocol())) {
      JarURLConnection conn = (JarURLConnection) root.openConnection();
      conn.setUseCaches(false);
      try (JarFile jar = conn.getJarFile()) {
        for (JarEntry e : jar.stream().toList()) {
          String name = e.getName();
          if (name.startsWith(FOLDER + "/") && name.indexOf('/', FOLDER.length() + 1) < 0) {
            try (InputStream in = jar.getInputStream(e)) {
              String file = name.substring(FOLDER.length() + 1);
              add(out, file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return out;
  }

  private static void add(List<Migration> out, String file, String sql) {
    Migration m = Migration.fromFile(file, sql);
    if (m != null) {
      out.add(m);
    }
  }
}
