package dev.porthole.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: porthole's version and the git commit it was built from, as the build wrote them
 * into {@code build.properties} and {@code commit.properties}. A build outside a git checkout has no
 * commit; it reads "unknown".
 *
 * @param version the root POM's version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated commit id, {@code "unknown"} when the build saw no git
 * @param dirty whether the working tree had uncommitted changes at build time
 */
public record BuildInfo(String version, String commit, boolean dirty) {
  /** Returned for fields the build did not fill in. */
  public static final String UNKNOWN = "unknown";

  private static final BuildInfo CURRENT = load();

  /** Returns the build information of the running porthole. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** Returns the commit with a {@code -dirty} suffix when the tree had changes. */
  public String describeCommit() {
    return dirty && !commit.equals(UNKNOWN) ? commit + "-dirty" : commit;
  }

  /** Returns the runtime porthole runs on, e.g. {@code Eclipse Adoptium 25.0.3+9-LTS}. */
  public static String runtime() {
    return System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version");
  }

  static BuildInfo parse(Properties props) {
    return new BuildInfo(
        field(props, "version"), field(props, "commit"), "true".equals(props.getProperty("dirty")));
  }

  private static String field(Properties props, String key) {
    String value = props.getProperty(key, "").strip();
    // An unfilled placeholder (no git at build time) reads as unknown, never as "${...}".
    return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
  }

  private static BuildInfo load() {
    Properties props = new Properties();
    read(props, "build.properties");
    read(props, "commit.properties");
    return parse(props);
  }

  private static void read(Properties props, String resource) {
    try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
