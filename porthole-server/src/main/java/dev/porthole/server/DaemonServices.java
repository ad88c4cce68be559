package dev.porthole.server;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.routing.Routes;
import dev.porthole.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Returns what the daemon's modules share: its configuration, the store and the proxies.
 *
 * @param config how the daemon runs
 * @param dataDir the data directory, created and writable
 * @param store the SQLite store (in memory for the Toxiproxy drop-in)
 * @param proxies the named proxies (the control plane)
 * @param token the API token, or {@code null} when none is required
 * @param version porthole's version (the root POM's, from {@code BuildInfo})
 * @param started when the daemon started
 * @param routes the routes by name (kept in the store)
 * @param router where the router listens; its value is null until it does, or when it is off
 * @param capture the traffic capture of the proxies
 */
public record DaemonServices(
    DaemonConfig config,
    Path dataDir,
    Store store,
    ProxyRegistry proxies,
    String token,
    String version,
    Instant started,
    Routes routes,
    Supplier<RouterInfo> router,
    CaptureService capture) {}
