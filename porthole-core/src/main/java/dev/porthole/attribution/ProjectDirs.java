package dev.porthole.attribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the project a process works in: the nearest directory, from its working directory upwards,
 * that holds a {@code package.json}, {@code pom.xml}, {@code pyproject.toml}, {@code go.mod} or
 * {@code .git}. The file system root is never a project.
 */
public final class ProjectDirs {
  private static final List<String> MARKERS =
      List.of("package.json", "pom.xml", "pyproject.toml", "go.mod", ".git");
  private static final int MAX_DEPTH = 64;

  private ProjectDirs() {}

  /**
   * Returns a project directory and the file that marks it.
   *
   * @param marker the first of package.json, pom.xml, pyproject.toml, go.mod, .git found there
   */
  public record Project(Path dir, String marker) {}

  /** Returns the project around {@code start}, or null when none is found or start is null. */
  public static Project find(Path start) {
    Path dir = start;
    for (int depth = 0; dir != null && dir.getParent() != null && depth < MAX_DEPTH; depth++) {
      for (String marker : MARKERS) {
        if (Files.exists(dir.resolve(marker))) {
          return new Project(dir, marker);
        }
      }
      dir = dir.getParent();
    }
    return null;
  }
}
