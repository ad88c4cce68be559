package dev.porthole.routing.http;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.routing.Routes;

/**
 * Returns what every router connection shares.
 *
 * @param routes the route table, read on every request
 * @param engine the event loops and transport for upstream connections
 * @param diagnosis the off-loop diagnosis of upstreams that did not answer
 * @param pool the idle upstream connections, reused across requests and HTTP/2 streams
 */
record RouterContext(
    Routes routes, ProxyEngine engine, UpstreamDiagnosis diagnosis, UpstreamPool pool) {}
