package dev.porthole.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The HAR entries that wait for their turn, smallest key first: in memory up to a budget of bytes,
 * beyond it written out as sorted runs to files that are merged back as the entries are taken. So
 * however many connections overlap (all of a log's exchanges may start after the last connection
 * opened), the heap holds the budget and one entry per run, not the log.
 */
final class HarEntryQueue implements AutoCloseable {
  /** Where an entry goes in the log: by start (µs), then the record's rank, then its index. */
  record Key(long started, long rank, int index) {
    static final Comparator<Key> ORDER =
        Comparator.comparingLong(Key::started)
            .thenComparingLong(Key::rank)
            .thenComparingInt(Key::index);
  }

  private record Held(Key key, ObjectNode entry, long bytes) {}

  private static final ObjectMapper COMPACT = new ObjectMapper();

  private final PriorityQueue<Held> memory =
      new PriorityQueue<>(Comparator.comparing(Held::key, Key.ORDER));
  private final List<Run> runs = new ArrayList<>();
  private final Path dir;
  private final long budget;
  private long heldBytes;

  /**
   * Returns an empty queue that keeps up to {@code budget} bytes (as estimated by the caller) in
   * memory and writes the rest to files in {@code dir}.
   */
  HarEntryQueue(Path dir, long budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget: " + budget + " (expected: >= 0)");
    }
    this.dir = dir;
    this.budget = budget;
  }

  /** Adds an entry of about {@code bytes} bytes; spills what memory holds past the budget. */
  void add(Key key, ObjectNode entry, long bytes) throws IOException {
    memory.add(new Held(key, entry, bytes));
    heldBytes += bytes;
    if (heldBytes > budget) {
      spill();
    }
  }

  /** Returns and removes the first entry if it starts before {@code micros}, else null. */
  ObjectNode pollBefore(long micros) throws IOException {
    Key first = firstKey();
    return first != null && first.started() < micros ? poll() : null;
  }

  /** Returns and removes the first entry, or null when none waits. */
  ObjectNode poll() throws IOException {
    Run run = firstRun();
    Held held = memory.peek();
    if (held != null && (run == null || Key.ORDER.compare(held.key(), run.head) < 0)) {
      memory.poll();
      heldBytes -= held.bytes();
      return held.entry();
    }
    return run == null ? null : run.take();
  }

  /** Returns how many runs were written to disk (0 while everything fitted). */
  int runs() {
    return runs.size();
  }

  private Key firstKey() {
    Run run = firstRun();
    Key first = memory.isEmpty() ? null : memory.peek().key();
    boolean runFirst = run != null && (first == null || Key.ORDER.compare(run.head, first) < 0);
    return runFirst ? run.head : first;
  }

  /** Returns the run whose next entry comes first, or null when every run is read out. */
  private Run firstRun() {
    Run first = null;
    for (Run r : runs) {
      if (r.head != null && (first == null || Key.ORDER.compare(r.head, first.head) < 0)) {
        first = r;
      }
    }
    return first;
  }

  /** Writes every entry in memory, in order, to a new run file, and empties memory. */
  private void spill() throws IOException {
    Path file = Files.createTempFile(dir, "porthole-har-", ".run");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      for (Held h; (h = memory.poll()) != null; ) {
        byte[] json = COMPACT.writeValueAsBytes(h.entry());
        out.writeLong(h.key().started());
        out.writeLong(h.key().rank());
        out.writeInt(h.key().index());
        out.writeInt(json.length);
        out.write(json);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    heldBytes = 0;
    runs.add(new Run(file));
  }

  /** Closes and deletes the run files. */
  @Override
  public void close() throws IOException {
    IOException failed = null;
    for (Run r : runs) {
      try {
        r.close();
      } catch (IOException e) {
        failed = e;
      }
    }
    runs.clear();
    memory.clear();
    if (failed != null) {
      throw failed;
    }
  }

  /** One sorted run on disk, read one entry ahead. */
  private static final class Run {
    private final Path file;
    private final DataInputStream in;
    private Key head;
    private ObjectNode entry;

    Run(Path file) throws IOException {
      this.file = file;
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
      advance();
    }

    ObjectNode take() throws IOException {
      ObjectNode taken = entry;
      advance();
      return taken;
    }

    private void advance() throws IOException {
      long started;
      try {
        started = in.readLong();
      } catch (EOFException end) {
        head = null;
        entry = null;
        close();
        return;
      }
      long rank = in.readLong();
      int index = in.readInt();
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      head = new Key(started, rank, index);
      entry = (ObjectNode) COMPACT.readTree(json);
    }

    void close() throws IOException {
      in.close();
      Files.deleteIfExists(file);
    }
  }
}
