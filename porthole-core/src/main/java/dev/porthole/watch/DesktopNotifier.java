package dev.porthole.watch;

import java.io.File;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns a sink that shows alert events as desktop notifications through {@code notify-send}.
 *
 * <p>The command runs in the background and is not waited for; when it fails once (no display), the
 * notifier says so in the log and stays quiet after that.
 */
public final class DesktopNotifier implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(DesktopNotifier.class);
  private final String command;
  private volatile boolean broken;

  private DesktopNotifier(String command) {
    this.command = command;
  }

  /** Returns a notifier when {@code notify-send} is on the PATH, else null. */
  public static DesktopNotifier ifAvailable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, "notify-send");
      if (f.canExecute()) {
        return new DesktopNotifier(f.getPath());
      }
    }
    return null;
  }

  @Override
  public void accept(WatchEvent event) {
    if (!event.alert() || broken) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder(
                  command, "--app-name=porthole", "porthole: " + event.type(), event.message())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.onExit()
          .thenAccept(
              done -> {
                if (done.exitValue() != 0 && !broken) {
                  broken = true;
                  LOG.warn(
                      "notify-send exited with {}; desktop notifications off", done.exitValue());
                }
              });
      p.getOutputStream().close();
      p.waitFor(0, TimeUnit.MILLISECONDS);
    } catch (java.io.IOException | InterruptedException e) {
      broken = true;
      LOG.warn("notify-send failed: {}; desktop notifications off", e.getMessage());
    }
  }
}
