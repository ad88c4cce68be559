package dev.porthole.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a README shell line into the words the shell would pass (quotes removed), up to the first
 * unquoted pipe, redirection, separator or comment, and reads a trailing {@code # exit N}.
 */
record ShellWords(List<String> words, OptionalInt statedExit) {
  private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)\\s*$");

  static ShellWords of(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    int i = 0;
    for (; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        word = flush(word, words);
      } else if ("|;&<>".indexOf(c) >= 0 || (c == '#' && word == null)) {
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed " + quote + " quote");
    }
    flush(word, words);
    Matcher exit = EXIT.matcher(line.substring(i));
    OptionalInt stated =
        exit.find() ? OptionalInt.of(Integer.parseInt(exit.group(1))) : OptionalInt.empty();
    return new ShellWords(List.copyOf(words), stated);
  }

  private static StringBuilder flush(StringBuilder word, List<String> words) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }
}
