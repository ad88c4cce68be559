package dev.porthole.sockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Returns the sockets of a system without {@code /proc/net} by running {@code lsof}, and says which
 * columns that costs.
 */
public final class LsofInventory {
  static final String[] COMMAND = {"lsof", "-nP", "-iTCP", "-iUDP", "-F", "pRcuLftPnT"};

  /** The note every lsof snapshot carries: what it cannot show. */
  static final String MISSING =
      "no /proc/net here: read through lsof, so command lines are not shown (name only) and"
          + " other users' sockets are missing unless run as root";

  private LsofInventory() {}

  /** Returns the sockets {@code which} accepts, read through lsof. */
  public static SocketSnapshot snapshot(Predicate<SocketEntry> which) {
    String output = run();
    LsofParser.Result parsed = LsofParser.parse(output);
    List<String> notes = new ArrayList<>();
    notes.add(MISSING);
    if (parsed.skipped() > 0) {
      notes.add(
          parsed.skipped() + " malformed lsof record(s) skipped (" + parsed.firstProblem() + ")");
    }
    List<OwnedSocket> kept = parsed.sockets().stream().filter(s -> which.test(s.socket())).toList();
    return new SocketSnapshot(kept, notes, parsed.skipped());
  }

  private static String run() {
    try {
      Process lsof = new ProcessBuilder(COMMAND).redirectErrorStream(false).start();
      lsof.getOutputStream().close();
      lsof.getErrorStream().close();
      byte[] out = lsof.getInputStream().readAllBytes();
      if (!lsof.waitFor(30, TimeUnit.SECONDS)) {
        lsof.destroyForcibly();
        throw new UncheckedIOException(new IOException("lsof did not finish within 30 s"));
      }
      // lsof exits 1 when it finds nothing: an empty answer, not a failure.
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException("no /proc/net and no lsof to read sockets with (install lsof)", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while running lsof", e));
    }
  }
}
