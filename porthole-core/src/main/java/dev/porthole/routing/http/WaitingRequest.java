package dev.porthole.routing.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The parts of one request that wait, in order, for an upstream connection, and the head of a
 * bodiless request kept to send it again if a kept connection dies before answering. On the
 * client's event loop only.
 */
final class WaitingRequest {
  private final ArrayDeque<Object> parts = new ArrayDeque<>();
  private HttpRequest head;

  /** Starts a new request: keeps its head while it has no body. */
  void started(HttpRequest req) {
    if (!(req instanceof FullHttpRequest full)) {
      head = req; // its body, if any, is yet to come: bodyPart forgets the head if it has bytes
    } else {
      head =
          full.content().isReadable()
              ? null
              : new DefaultHttpRequest(
                  full.protocolVersion(), full.method(), full.uri(), full.headers());
    }
  }

  /** Notes a part of the body on its way: a request that had bytes cannot be sent again. */
  void bodyPart(HttpContent content) {
    if (content.content().isReadable()) {
      head = null;
    }
  }

  /**
   * Queues the kept head again (once), ended when the client's request has ended; false when there
   * is none (the request had a body, or was sent again already).
   */
  boolean requeueForResend(boolean ended) {
    if (head == null) {
      return false;
    }
    parts.add(head);
    if (ended) {
      parts.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    head = null;
    return true;
  }

  /** Queues a part until the connection is there. */
  void add(Object part) {
    parts.add(part);
  }

  /** Writes every queued part to {@code ch}, in order, and flushes. */
  void writeTo(Channel ch) {
    Object msg;
    while ((msg = parts.poll()) != null) {
      ch.write(msg);
    }
    ch.flush();
  }

  /** Releases every queued part (nothing will send them). */
  void release() {
    Object m;
    while ((m = parts.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }
}
