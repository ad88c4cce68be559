package dev.porthole.server;

import dev.porthole.proxy.ProxyException;
import dev.porthole.proxy.ProxyRegistry.PopulateResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Returns the effect of {@code toxiproxy-server -config FILE}: a JSON array in the {@code
 * /populate} format applied at start-up.
 */
public final class ToxiproxyConfig {
  private ToxiproxyConfig() {}

  /**
   * Applies {@code file} to the daemon's proxies.
   *
   * @return {@code null} when every entry was applied, else the one-line problem (like Toxiproxy,
   *     the caller logs it and keeps serving)
   */
  public static String apply(Daemon daemon, Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      return "cannot read config "
          + file
          + ": "
          + e.getClass().getSimpleName()
          + " "
          + e.getMessage();
    }
    try {
      PopulateResult result =
          daemon.services().proxies().populate(RequestBodies.newProxies(RequestBodies.parse(json)));
      if (result.error() != null) {
        return "config " + file + ": " + result.error().getMessage();
      }
      return null;
    } catch (ApiError | ProxyException e) {
      return "config " + file + ": " + e.getMessage();
    }
  }
}
