package dev.porthole.routing.http;

import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * The upstream side of one client connection (or HTTP/2 stream): the upstream connection it holds,
 * taken from the {@link UpstreamPool} or opened through {@link UpstreamConnector}; the request
 * parts that wait while it opens; and the one resend of a bodiless request whose kept connection
 * closed before answering. On the client's event loop only.
 */
final class UpstreamLink {
  private final RouterContext router;
  private final Exchange client;
  private final WaitingRequest pending = new WaitingRequest();

  /** Reads the client on once a write to the upstream succeeded; closes it when one failed. */
  private final ChannelFutureListener readClientOn;

  private final ChannelFutureListener closeClientOnFailure;
  private Channel backend;
  private Balancer route;
  private boolean connecting;

  UpstreamLink(RouterContext router, Exchange client) {
    this.router = router;
    this.client = client;
    readClientOn =
        f -> {
          if (f.isSuccess()) {
            client.read();
          } else {
            client.close();
          }
        };
    closeClientOnFailure =
        f -> {
          if (!f.isSuccess()) {
            client.close();
          }
        };
  }

  /** Sends the head of a request for {@code r}: on an idle pooled connection, or a new one. */
  void send(Balancer r, HttpRequest req, boolean last) {
    pending.started(req);
    if (backend != null) {
      backend.close(); // the last response left it unusable (cut short, or not kept alive)
      backend = null;
    }
    route = r;
    List<Upstream> order = r.order();
    Channel idle = router.pool().acquire(client.eventLoop(), order.getFirst());
    if (idle != null) {
      backend = idle;
      ((Backend) idle.pipeline().get("backend")).attach(client, r, true);
      write(req, last, false);
      return;
    }
    connecting = true;
    pending.add(req);
    if (!last) {
      client.read();
    }
    new UpstreamConnector(router, client).connect(r, order);
  }

  /** Passes on a part of the request's body; drops it when no upstream holds the request. */
  void content(HttpContent content, boolean last) {
    pending.bodyPart(content);
    if (connecting) {
      pending.add(content);
      if (!last) {
        client.read();
      }
    } else if (backend != null) {
      write(content, last, false);
    } else {
      content.release();
    }
  }

  /**
   * Writes {@code msg} to the upstream; the client is read on unless the request just ended (a
   * tunnel's bytes always read on). The end of a request flushes at once; parts of a streamed body
   * wait for the end of the client's read.
   */
  void write(Object msg, boolean endsRequest, boolean raw) {
    ChannelFutureListener then = !endsRequest || raw ? readClientOn : closeClientOnFailure;
    (endsRequest ? backend.writeAndFlush(msg) : backend.write(msg)).addListener(then);
  }

  /** Sends a bodiless request again on a new connection; false when it had a body. */
  boolean resend(boolean requestEnded) {
    boolean open = backend == null && client.isActive();
    if (!open || !pending.requeueForResend(requestEnded)) {
      return false;
    }
    connecting = true;
    new UpstreamConnector(router, client).connect(route, route.order());
    return true;
  }

  /** Takes the connection the connector opened and sends what waited for it. */
  void connected(Channel ch) {
    connecting = false;
    backend = ch;
    if (!client.isActive()) {
      ch.close();
      pending.release();
      return;
    }
    pending.writeTo(ch);
    ch.read();
  }

  /** Drops what waited: no upstream answered. */
  void failed() {
    connecting = false;
    pending.release();
  }

  /** Forgets the connection: it went back to the pool, or closed ({@code ch} when it did). */
  void released(Channel ch) {
    if (ch == null || ch == backend) {
      backend = null;
    }
  }

  /** Returns the route of the request in flight. */
  Balancer route() {
    return route;
  }

  /** Flushes what the client's read wrote: one flush for a request's head and body. */
  void flush() {
    if (backend != null) {
      backend.flush();
    }
  }

  /** Closes the connection and drops what waited: the client went away. */
  void close() {
    pending.release();
    if (backend != null) {
      backend.close();
    }
  }
}
