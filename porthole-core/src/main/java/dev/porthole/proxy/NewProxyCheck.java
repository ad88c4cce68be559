package dev.porthole.proxy;

import dev.porthole.proxy.ProxyRegistry.NewProxy;
import dev.porthole.sockets.Protocol;

/** Returns the checks a create or populate request passes before any proxy is built. */
final class NewProxyCheck {
  private NewProxyCheck() {}

  /** Throws 400 when the name or the upstream is missing; {@code where} locates the entry. */
  static void required(NewProxy req, String where) {
    if (req.name() == null || req.name().isEmpty()) {
      throw ProxyException.bad("missing required field: name" + where);
    }
    if (req.upstream() == null || req.upstream().isEmpty()) {
      throw ProxyException.bad("missing required field: upstream" + where);
    }
  }

  /** Returns a new, stopped proxy after checking its name and addresses. */
  static ManagedProxy build(NewProxy req, ListenRules listenRules) {
    Names.check("name", req.name());
    Protocol protocol = req.protocol() == null ? Protocol.TCP : req.protocol();
    String listen = req.listen() == null ? "" : req.listen();
    listenRules.bindAddress(protocol, listen);
    ListenRules.checkUpstream(req.upstream());
    return new ManagedProxy(req.name(), protocol, listen, req.upstream());
  }
}
