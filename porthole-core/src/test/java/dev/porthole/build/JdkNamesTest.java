package dev.porthole.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No type of ours takes the name of a JDK type every file uses: a nested {@code Stream} made {@code
 * java.util.stream.Stream} need its full name in every implementor that also streams.
 */
class JdkNamesTest {
  private static final List<String> PACKAGES =
      List.of(
          "java.lang.",
          "java.util.",
          "java.util.stream.",
          "java.util.function.",
          "java.util.concurrent.",
          "java.time.");

  private static final Pattern TYPE =
      Pattern.compile(
          "^\\s*(?:[a-z]+\\s+)*(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);

  @Test
  void noMainTypeShadowsACommonJdkType() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> clashes = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(f -> clashes.addAll(clashes(f)));
        }
      }
    }
    assertThat(clashes).isEmpty();
  }

  @Test
  void theCheckSeesANestedStream() {
    assertThat(jdkType("Stream")).isEqualTo("java.util.stream.Stream");
    assertThat(jdkType("Conversation")).isNull();
  }

  private static List<String> clashes(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> found = new ArrayList<>();
    Matcher m = TYPE.matcher(text);
    while (m.find()) {
      String jdk = jdkType(m.group(1));
      if (jdk != null) {
        found.add(file.getFileName() + ": " + m.group(1) + " shadows " + jdk);
      }
    }
    return found;
  }

  private static String jdkType(String name) {
    for (String p : PACKAGES) {
      try {
        Class.forName(p + name, false, ClassLoader.getPlatformClassLoader());
        return p + name;
      } catch (ClassNotFoundException e) {
        // not in this package
      }
    }
    return null;
  }
}
