package dev.porthole.watch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Returns a sink that appends every event as one line of JSON to a file ({@code tail -f}, jq). */
public final class JsonLinesLog implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesLog.class);

  private final Path file;
  private final BufferedWriter out;
  private boolean failed;

  /** Opens {@code file} for appending, creating it; fails at once when it cannot be written. */
  public JsonLinesLog(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("file: null");
    }
    this.file = file;
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      this.out =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void accept(WatchEvent event) {
    try {
      out.write(WatchStore.json(event));
      out.newLine();
      out.flush();
      failed = false;
    } catch (IOException e) {
      if (!failed) { // once per outage, not once per event
        LOG.warn("event log {}: {}", file, e.getMessage());
      }
      failed = true;
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("event log {}: close failed: {}", file, e.getMessage());
    }
  }
}
