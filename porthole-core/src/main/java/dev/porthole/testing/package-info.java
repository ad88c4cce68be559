/**
 * The library for tests against a bad network, in-process: ports that cannot race ({@link
 * dev.porthole.testing.Ports}, {@link dev.porthole.testing.PortReservation}) and proxies with
 * Toxiproxy's toxics ({@link dev.porthole.testing.LocalProxy}), with no daemon and no Docker.
 *
 * <p>A package of its own, apart from {@code proxy} and {@code ports}: those are the engine's
 * internals and change with it, while this is the small surface that users' tests compile against,
 * kept stable and documented with {@code @since}.
 *
 * @since 0.1
 */
package dev.porthole.testing;
