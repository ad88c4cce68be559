package dev.porthole.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command of the picocli tree is documented on exactly one page of {@code docs/}: the page
 * with a heading that names it in a code span ({@code ## `porthole toxic add`}; arguments may
 * follow inside the span, and a heading may name several commands). Each page states this rule at
 * its top, and the README links every page.
 */
class DocsPagesTest {
  static final String RULE = "a heading that names it in a code span";

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(Markdown.root().resolve("docs"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".md"))
          .filter(p -> !p.getFileName().toString().equals("benchmarks.md"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyCommandIsDocumentedOnExactlyOnePage() throws IOException {
    Set<String> commands = CommandTree.paths();
    Map<String, Set<String>> pagesOf = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Path page : pages()) {
      String name = "docs/" + page.getFileName();
      for (Markdown.Line heading : Markdown.headings(page)) {
        for (List<String> words : Markdown.commandSpans(heading.text())) {
          String command = CommandTree.longestCommand(words, commands);
          if (command.isEmpty()) {
            unknown.add(
                name
                    + ":"
                    + heading.number()
                    + ": `porthole "
                    + String.join(" ", words)
                    + "` is no command of the picocli tree");
          } else {
            pagesOf.computeIfAbsent(command, c -> new TreeSet<>()).add(name);
          }
        }
      }
    }
    assertThat(unknown).as("headings naming no command (renamed or removed?)").isEmpty();
    List<String> wrong = new ArrayList<>();
    for (String command : commands) {
      Set<String> where = pagesOf.getOrDefault(command, Set.of());
      if (where.size() != 1) {
        wrong.add(
            "porthole "
                + command
                + ": "
                + (where.isEmpty()
                    ? "no heading `porthole " + command + "` on any docs/*.md page"
                    : "headings on " + where.size() + " pages " + where + ", expected one"));
      }
    }
    assertThat(wrong).as("commands not documented on exactly one docs/ page").isEmpty();
  }

  @Test
  void everyPageStatesTheRuleAndIsLinkedFromTheReadme() throws IOException {
    String readme = Files.readString(Markdown.root().resolve("README.md"));
    assertThat(pages()).hasSizeGreaterThanOrEqualTo(11);
    for (Path page : pages()) {
      String top = String.join("\n", Files.readAllLines(page).stream().limit(8).toList());
      assertThat(top).as(page.getFileName() + " states the heading rule at its top").contains(RULE);
      assertThat(readme)
          .as("README links " + page.getFileName())
          .contains("(docs/" + page.getFileName() + ")");
    }
  }
}
