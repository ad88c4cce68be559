/**
 * The JUnit 5 extension: {@link dev.porthole.junit5.ProxyTo} injects an in-process proxy with
 * Toxiproxy's toxics, {@link dev.porthole.junit5.FreePort} a port that cannot race; both as fields
 * or parameters, closed after the test, safe under parallel execution.
 *
 * @since 0.1
 */
package dev.porthole.junit5;
