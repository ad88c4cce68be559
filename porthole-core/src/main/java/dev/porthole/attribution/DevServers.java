package dev.porthole.attribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Names a language's development server from its command line (vite, next, webpack-dev-server,
 * Angular, rails, flask, django, uvicorn, gunicorn, {@code python -m http.server}, Spring Boot,
 * {@code java -jar}, {@code node server.js}) and adds the project its working directory is in.
 */
final class DevServers {
  private static final int PROGRAM_WORDS = 4;

  private DevServers() {}

  /**
   * Returns the dev-server origin of {@code argv}, or null when it is none of the known ones.
   *
   * @param cwd the process's working directory, or null when it cannot be read
   */
  static Origin match(List<String> argv, Path cwd) {
    if (argv.isEmpty()) {
      return null;
    }
    List<String> words = programWords(argv);
    Origin o = python(argv, words, cwd);
    if (o == null) {
      o = javascript(argv, words);
    }
    if (o == null) {
      o = other(argv, words, cwd);
    }
    if (o == null) {
      return null;
    }
    ProjectDirs.Project project = ProjectDirs.find(cwd);
    return project == null
        ? o
        : o.with("project", project.dir().toString()).with("projectFile", project.marker());
  }

  private static Origin python(List<String> argv, List<String> words, Path cwd) {
    String module = Argv.option(argv, "-m", null);
    if ("http.server".equals(module)) {
      String dir = Argv.option(argv, "--directory", "-d");
      Path served = dir == null ? cwd : cwd == null ? Path.of(dir) : cwd.resolve(dir).normalize();
      return server("python http.server", "directory", served == null ? null : served.toString());
    }
    if (words.contains("flask") && argv.contains("run")) {
      return server("flask", "app", Argv.option(argv, "--app", "-A"));
    }
    if (words.contains("manage.py") && argv.contains("runserver")) {
      return server("django", "script", "manage.py");
    }
    for (String program : List.of("uvicorn", "gunicorn")) {
      if (words.contains(program) || program.equals(module)) {
        return server(program, "app", firstAppSpec(argv));
      }
    }
    return null;
  }

  private static Origin javascript(List<String> argv, List<String> words) {
    if (words.contains("vite")) {
      return server("vite");
    }
    if (Argv.base(argv.getFirst()).startsWith("next-server")
        || (words.contains("next") && (argv.contains("dev") || argv.contains("start")))) {
      return server("next");
    }
    if (words.contains("webpack-dev-server")
        || (words.contains("webpack") || words.contains("webpack-cli")) && argv.contains("serve")) {
      return server("webpack-dev-server");
    }
    if (words.contains("ng") && argv.contains("serve")) {
      return server("angular");
    }
    if (words.getFirst().equals("node") && words.size() > 1) {
      String script = argv.stream().skip(1).filter(a -> !a.startsWith("-")).findFirst().orElse("");
      return script.isEmpty() ? null : named("node " + Argv.base(script), "node", "script", script);
    }
    return null;
  }

  private static Origin other(List<String> argv, List<String> words, Path cwd) {
    if (words.contains("rails") && (argv.contains("server") || argv.contains("s"))) {
      return server("rails");
    }
    if (words.contains("puma")) {
      return server("puma");
    }
    if (!words.getFirst().equals("java")) {
      return null;
    }
    if (argv.contains("spring-boot:run")
        || argv.stream().anyMatch(a -> a.startsWith("org.springframework.boot"))) {
      return server("spring-boot");
    }
    String jar = Argv.option(argv, "-jar", null);
    if (jar == null) {
      return null;
    }
    Path path = cwd == null ? Path.of(jar) : cwd.resolve(jar);
    return springBootJar(path)
        ? server("spring-boot", "jar", jar)
        : named("java -jar " + Argv.base(jar), "java -jar", "jar", jar);
  }

  private static Origin server(String framework, String... keysAndValues) {
    return named(framework, framework, keysAndValues);
  }

  private static Origin named(String name, String framework, String... keysAndValues) {
    String[] all = new String[keysAndValues.length + 2];
    all[0] = "framework";
    all[1] = framework;
    System.arraycopy(keysAndValues, 0, all, 2, keysAndValues.length);
    return Origin.of(OriginKind.DEV_SERVER, name, all);
  }

  /** Returns the base names, without .js/.py, of the first words that are not options. */
  private static List<String> programWords(List<String> argv) {
    List<String> words = new ArrayList<>();
    for (String a : argv) {
      if (words.size() == PROGRAM_WORDS) {
        break;
      }
      if (a.startsWith("-")) {
        continue;
      }
      String base = Argv.base(a);
      base = base.replaceFirst("\\.(js|cjs|mjs)$", "");
      words.add(base.startsWith("python") ? "python" : base.startsWith("node") ? "node" : base);
    }
    if (words.isEmpty()) {
      words.add("");
    }
    return words;
  }

  private static String firstAppSpec(List<String> argv) {
    return argv.stream().filter(a -> a.matches("[\\w.]+:[\\w.()]+")).findFirst().orElse(null);
  }

  /** Returns true when the jar is a Spring Boot fat jar (it nests its libraries in BOOT-INF/). */
  private static boolean springBootJar(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.getEntry("BOOT-INF/") != null || zip.getEntry("BOOT-INF/classes/") != null;
    } catch (IOException | RuntimeException e) {
      return false; // unreadable or not a jar: call it a plain java -jar
    }
  }
}
