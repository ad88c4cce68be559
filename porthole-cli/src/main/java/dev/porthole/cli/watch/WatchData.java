package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the store of the data directory for the watch commands, with one-line errors. */
public final class WatchData {
  private WatchData() {}

  /** Returns the store to write to, creating the data directory; exit 3 when it is unwritable. */
  public static Store openForWriting(Path dir) {
    try {
      Path resolved = DataDir.ensureWritable(dir);
      return Store.open(resolved.resolve(DataDir.DATABASE));
    } catch (StoreException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  /** Returns the existing store to read; exit 1 when nothing was ever recorded there. */
  public static Store openForReading(Path dir) {
    Path file = dir.resolve(DataDir.DATABASE);
    if (!Files.exists(file)) {
      throw new CliException(
          ExitCodes.NO,
          "nothing recorded yet: "
              + file
              + " does not exist (run 'porthole up' or 'porthole watch')");
    }
    try {
      return Store.open(file);
    } catch (StoreException e) {
      throw CliException.failure(e.getMessage());
    }
  }
}
