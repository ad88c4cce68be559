package dev.porthole.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the repository's Markdown files the way the docs tests need: headings and shell lines. */
final class Markdown {
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
  private static final Pattern PORTHOLE_SPAN = Pattern.compile("`porthole ([^`]+)`");

  /** One line of a file, numbered from 1 as an editor shows it. */
  record Line(int number, String text) {}

  private Markdown() {}

  /** Returns the checkout's root: the folder above the module that holds README.md and docs/. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no README.md with a docs/ folder above " + Path.of("").toAbsolutePath());
  }

  /** Returns the headings outside code blocks (a `# comment` in a YAML block is no heading). */
  static List<Line> headings(Path file) {
    List<Line> out = new ArrayList<>();
    boolean fence = false;
    List<String> lines = read(file);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.strip().startsWith("```")) {
        fence = !fence;
      } else if (!fence) {
        Matcher m = HEADING.matcher(text);
        if (m.matches()) {
          out.add(new Line(i + 1, m.group(1)));
        }
      }
    }
    return out;
  }

  /** Returns the words after "porthole" of every `porthole ...` code span in a heading. */
  static List<List<String>> commandSpans(String heading) {
    List<List<String>> out = new ArrayList<>();
    Matcher m = PORTHOLE_SPAN.matcher(heading);
    while (m.find()) {
      out.add(List.of(m.group(1).strip().split("\\s+")));
    }
    return out;
  }

  /**
   * Returns the shell lines of code blocks that start with {@code $ porthole }, without the prompt,
   * a trailing backslash joining the next line; the number is the line of the prompt.
   */
  static List<Line> portholeCommands(Path file) {
    List<Line> out = new ArrayList<>();
    boolean fence = false;
    List<String> lines = read(file);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.strip().startsWith("```")) {
        fence = !fence;
      } else if (fence && text.startsWith("$ porthole ")) {
        int first = i + 1;
        StringBuilder command = new StringBuilder(text.substring(2));
        while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
          command.setLength(command.length() - 1);
          command.append(' ').append(lines.get(++i).strip());
        }
        out.add(new Line(first, command.toString()));
      }
    }
    return out;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
