package dev.porthole.watch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Returns {@link Policy} objects read from YAML, rejecting a broken file with its line and reason.
 *
 * <p>Unknown fields are errors (a misspelt {@code proces:} would otherwise silently allow every
 * process).
 */
public final class PolicyFile {
  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The largest policy file read: a policy is a few hundred lines. */
  public static final int MAX_BYTES = 1 << 20;

  private PolicyFile() {}

  /** Returns the policy in {@code file}, or throws a one-line {@link PolicyException}. */
  public static Policy load(Path file) {
    String text;
    try {
      text = read(file);
    } catch (NoSuchFileException e) {
      throw new PolicyException(file + ": no such file", e);
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Returns the text of {@code file}, refusing at once what is not a regular file or is over
   * {@link #MAX_BYTES}: {@code /dev/zero} or a FIFO would otherwise be read until memory runs out.
   */
  private static String read(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new PolicyException(file + ": not a regular file", null);
    }
    if (attributes.size() > MAX_BYTES) {
      throw new PolicyException(
          file + ": " + attributes.size() + " bytes (expected: at most 1 MiB)", null);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1); // it may have grown since
      if (bytes.length > MAX_BYTES) {
        throw new PolicyException(file + ": over 1 MiB (expected: at most 1 MiB)", null);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Returns the policy {@code yaml} describes; {@code source} names it in errors. */
  public static Policy parse(String yaml, String source) {
    if (yaml.isBlank()) {
      throw new PolicyException(source + ": empty policy (run 'porthole policy init')", null);
    }
    try {
      Policy policy = YAML.readValue(yaml, Policy.class);
      if (policy == null) {
        throw new PolicyException(source + ": empty policy (run 'porthole policy init')", null);
      }
      return policy;
    } catch (JsonProcessingException e) {
      MarkedYAMLException y = yamlCause(e);
      if (y != null && y.getProblemMark() != null) {
        // YAML syntax: SnakeYAML knows the line of the problem itself (0-based).
        throw new PolicyException(
            source + ": line " + (y.getProblemMark().getLine() + 1) + ": " + y.getProblem(), e);
      }
      int line = e instanceof JsonMappingException m ? lineOf(yaml, m.getPath()) : -1;
      if (line < 1 && e.getLocation() != null) {
        line = e.getLocation().getLineNr();
      }
      throw new PolicyException(
          source + ": " + (line < 1 ? "" : "line " + line + ": ") + reason(e), e);
    }
  }

  /**
   * Returns the line where {@code path} (the field or list item a binding error names) starts:
   * Jackson's own location is where the parser stopped, often a line later.
   */
  static int lineOf(String yaml, List<JsonMappingException.Reference> path) {
    try (JsonParser p = YAML.getFactory().createParser(yaml)) {
      p.nextToken();
      int line = -1;
      for (JsonMappingException.Reference ref : path) {
        if (ref.getFieldName() != null && p.currentToken() == JsonToken.START_OBJECT) {
          if (!toField(p, ref.getFieldName())) {
            return line;
          }
          line = p.currentTokenLocation().getLineNr();
          p.nextToken();
          continue;
        } else if (ref.getIndex() >= 0 && p.currentToken() == JsonToken.START_ARRAY) {
          for (int i = 0; i <= ref.getIndex(); i++) {
            if (p.nextToken() == JsonToken.END_ARRAY) {
              return line;
            }
            if (i < ref.getIndex()) {
              p.skipChildren();
            }
          }
        } else {
          return line;
        }
        line = p.currentTokenLocation().getLineNr();
      }
      return line;
    } catch (IOException e) {
      return -1;
    }
  }

  private static MarkedYAMLException yamlCause(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof MarkedYAMLException y) {
        return y;
      }
    }
    return null;
  }

  // Leaves the parser on the field's name token, or returns false when the object lacks it.
  private static boolean toField(JsonParser p, String name) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      if (name.equals(p.currentName())) {
        return true;
      }
      p.nextToken();
      p.skipChildren();
    }
    return false;
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '"
          + u.getPropertyName()
          + "' (expected one of: "
          + String.join(
              ", ", u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList())
          + ")";
    }
    // A constructor's IllegalArgumentException carries the precise reason ("port: 70000 …").
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof IllegalArgumentException && root.getMessage() != null) {
      return root.getMessage();
    }
    String message = e.getOriginalMessage();
    int cut = message.indexOf('\n');
    message = cut < 0 ? message : message.substring(0, cut);
    return message
        .replaceAll(" \\(class [^)]*\\)", "")
        .replaceAll("`dev\\.porthole\\.watch\\.", "`");
  }
}
