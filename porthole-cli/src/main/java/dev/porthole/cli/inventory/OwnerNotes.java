package dev.porthole.cli.inventory;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.porthole.checks.CheckResult;
import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.output.Terminal;
import dev.porthole.owners.WhyStopped;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Returns, for a target that is down, what porthole knows about who should be there ({@link
 * WhyStopped}), and adds it to {@code check}'s and {@code wait}'s output. The store is read only
 * when the data directory already has one: a check never creates it.
 */
public final class OwnerNotes {
  private OwnerNotes() {}

  /** Returns the lines for TCP {@code port}; never fails (a broken store is one line). */
  public static List<String> explain(Path dataDir, int port) {
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(3));
    Path file = DataDir.resolve(dataDir).resolve(DataDir.DATABASE);
    if (!Files.exists(file)) {
      return new WhyStopped(null, runner).explain(port, Instant.now());
    }
    try (Store store = Store.open(file)) {
      return new WhyStopped(store, runner).explain(port, Instant.now());
    } catch (StoreException e) {
      return List.of("the watch's history was not read: " + e.getMessage());
    }
  }

  /** Prints the lines under a diagnosis, as its details are printed. */
  public static void print(PrintWriter out, Terminal t, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.println("      " + t.bold("who was here:"));
    lines.forEach(l -> out.println("      - " + l));
    out.flush();
  }

  /** Returns the check's JSON with {@code ownerHistory} added. */
  public static Object withNotes(CheckResult result, List<String> lines) {
    ObjectNode node = JsonMapper.builder().findAndAddModules().build().valueToTree(result);
    node.putPOJO("ownerHistory", lines);
    return node;
  }
}
