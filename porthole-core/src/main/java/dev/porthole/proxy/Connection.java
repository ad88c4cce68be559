package dev.porthole.proxy;

import dev.porthole.capture.EndReason;
import dev.porthole.capture.Side;
import dev.porthole.capture.Tap;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Returns one proxied TCP connection: the client channel, the upstream channel it dials, and the
 * two links between them. Everything runs on the client channel's event loop.
 */
final class Connection {
  private final TcpProxy proxy;
  // The connection of ours that dialed this one's client, when a proxy of ours is the client.
  private volatile Connection previousHop;
  private final long id;
  private final Channel client;
  private final long startNanos = System.nanoTime();
  private static final Direction[] BOTH = Direction.values();
  private final ToxicChain[] chains = new ToxicChain[2];
  private final long[] bytes = new long[2];
  private final LinkEnds ends = new LinkEnds(this);
  private final SpliceLinks splices;
  // The upstream socket's local address, recorded in the loop guard until that socket closes.
  private java.net.SocketAddress dialedFrom;
  private Channel server;
  private boolean dialed;
  private boolean closed;
  private String how = "closed";
  private final Tap tap;
  private EndReason end;

  Connection(TcpProxy proxy, long id, Channel client) {
    this.proxy = proxy;
    this.id = id;
    this.client = client;
    this.tap = proxy.tap(id, remote());
    this.splices = new SpliceLinks(this, SpliceLinks.AFTER, proxy::bodySpliceStarted);
  }

  /** Applies the connect-time toxics, then dials the upstream; wires both links on success. */
  void start(Bootstrap dialer, InetSocketAddress upstream) {
    client.closeFuture().addListener(f -> sourceInactive(Direction.UPSTREAM));
    client.pipeline().addLast(HeldInput.NAME, new HeldInput());
    ConnectPlan plan = ConnectPlan.roll(proxy.currentToxics());
    if (plan.refuse()) {
      proxy.listener().failed(id, remote(), "reset by the refuse toxic");
      how = "refused";
      end = EndReason.REFUSED;
      close(true);
    } else if (plan.blackHole()) {
      // Read and discard forever: the client's data vanishes and nothing answers.
      client.pipeline().replace(HeldInput.NAME, "black_hole", new BlackHoleSink());
      client.read();
    } else if (plan.delayMillis() > 0) {
      client.eventLoop().schedule(() -> dial(dialer, upstream), plan.delayMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } else {
      dial(dialer, upstream);
    }
  }

  private void dial(Bootstrap dialer, InetSocketAddress upstream) {
    if (closed) {
      return;
    }
    // On this event loop, registering happens at once and the connect is queued, so the links are
    // wired before any event of the new channel can run. A resolved upstream skips the Bootstrap,
    // which copies its options and attributes and adds (here: removes) a handler per connect.
    InFlightDials.Dial inFlight = proxy.loops().dials().begin(upstream.getPort()); // LoopGuard
    ChannelFuture f;
    Channel ch;
    if (upstream.isUnresolved()) {
      f = dialer.connect(upstream);
      ch = f.channel();
      if (ch.isRegistered()) {
        ch.pipeline().remove(Dialed.PLACEHOLDER);
      }
    } else {
      ch = proxy.newUpstreamChannel();
      client.eventLoop().register(ch);
      f = null;
    }
    server = ch;
    ch.closeFuture().addListener(x -> upstreamClosed());
    if (ch.isRegistered()) {
      chains[Direction.DOWNSTREAM.ordinal()] = wire(ch, Direction.DOWNSTREAM);
    }
    if (f == null) {
      f = ch.connect(upstream);
    }
    f.addListener(inFlight.then(this::connected));
  }

  private void upstreamClosed() {
    if (dialedFrom != null) {
      proxy.loops().forget(null, dialedFrom, this);
    }
    if (!dialed && end == null) {
      end = EndReason.DIAL_FAILED; // a failed connect closes the channel before its listener runs
    }
    sourceInactive(Direction.DOWNSTREAM);
  }

  private ToxicChain wire(Channel source, Direction direction) {
    LinkFlow flow = new LinkFlow();
    source.pipeline().addLast(ToxicChain.FLOW, flow);
    source.pipeline().addLast("relay", new Relay(this, direction, flow));
    return new ToxicChain(
        source.pipeline(), direction, flow, proxy.protocol(), proxy.sharedStates());
  }

  private void connected(ChannelFuture f) {
    if (!f.isSuccess()) {
      proxy.listener().failed(id, remote(), "upstream " + proxy.upstream() + ": "
          + ErrorText.of(f.cause()));
      end = EndReason.DIAL_FAILED;
      close(false);
      return;
    }
    dialed = true;
    if (chains[Direction.DOWNSTREAM.ordinal()] == null) {
      // Registered later than connect() returned (not expected on the dialing loop).
      if (f.channel().pipeline().get(Dialed.class) != null) {
        f.channel().pipeline().remove(Dialed.PLACEHOLDER);
      }
      chains[Direction.DOWNSTREAM.ordinal()] = wire(f.channel(), Direction.DOWNSTREAM);
    }
    tap.dialed();
    // Recorded even when this connection is closing: its socket may already have been accepted
    // by one of our proxies, which must recognise it.
    java.net.SocketAddress local = f.channel().localAddress();
    Connection looped = proxy.loops().dialed(local, f.channel().remoteAddress(), this);
    if (f.channel().isOpen()) {
      dialedFrom = local; // forgotten by upstreamClosed
    } else {
      proxy.loops().forget(null, local, this);
    }
    if (looped != null) {
      looped.client.eventLoop().execute(looped::cutLoop);
    }
    if (closed) {
      f.channel().close();
      return;
    }
    chains[Direction.UPSTREAM.ordinal()] = wire(client, Direction.UPSTREAM);
    proxy.listener().opened(id, remote());
    applyToxics(proxy.currentToxics());
    HeldInput held = (HeldInput) client.pipeline().get(HeldInput.NAME);
    if (held != null) {
      held.replay(client.pipeline());
    }
    chains[Direction.UPSTREAM.ordinal()].start(server);
    chains[Direction.DOWNSTREAM.ordinal()].start(client);
  }

  /** Applies the proxy's toxic list to both links; call on the event loop. */
  void applyToxics(List<ToxicSpec> toxics) {
    if (!closed) {
      for (Direction d : BOTH) {
        ToxicChain chain = chains[d.ordinal()];
        if (chain == null) {
          continue;
        }
        chain.apply(toxics);
        if (!chain.empty()) {
          unsplice(d);
          HalfClose.keepHalfOpen(source(d)); // a toxic may hold bytes past the source's end
        }
        maybeSplice(d);
      }
    }
  }

  /** Hands link {@code d} to splice when it may (see {@link SpliceLinks#maybe}). */
  void maybeSplice(Direction d) {
    if (!closed && dialed) {
      long carried = bytes[d.ordinal()];
      splices.maybe(d, chains[d.ordinal()], carried, tap.spliceable(side(d), carried));
    }
  }

  /** Returns the splice state of the two links. */
  SpliceLinks splices() {
    return splices;
  }

  /** Takes link {@code d} back to the pipeline after a bounded splice moved all its bytes. */
  void spliceEnded(Direction d) {
    ToxicChain chain = chains[d.ordinal()];
    if (chain != null && !closed) {
      chain.flow().spliced(false);
      chain.update();
    }
  }

  /** Takes link {@code d} back to the pipeline when it was spliced. */
  void unsplice(Direction d) {
    if (splices.stop(d)) {
      chains[d.ordinal()].flow().spliced(false);
      chains[d.ordinal()].update();
    }
  }

  /** Returns whether link {@code d} is spliced now (tests). */
  boolean splicing(Direction d) {
    return splices.running(d);
  }

  void moved(Direction d, long n) {
    bytes[d.ordinal()] += n;
    tap.skipped(side(d), n);
    proxy.counted(d, (int) n);
  }

  /**
   * Carries the end of link {@code d} through once its source is read empty. The source stops
   * being a splice endpoint: the other link, which writes into it, goes on through the pipeline.
   */
  void inputEnded(Direction d) {
    Direction other = d.other();
    unsplice(other);
    Splice.settle(d == Direction.UPSTREAM ? client : server);
    endOfStream(d);
  }

  Channel eventLoopChannel() {
    return client;
  }

  /**
   * Writes a chunk that crossed the link to its destination. A failed write reaches the
   * destination's relay as an exception, which closes the connection.
   */
  void write(Direction direction, ByteBuf buf, boolean flush) {
    bytes[direction.ordinal()] += buf.readableBytes();
    proxy.counted(direction, buf.readableBytes());
    // The tap copies (absolute reads) before the write may release the buffer.
    tap.data(side(direction), buf);
    Channel dest = destination(direction);
    if (flush) {
      dest.writeAndFlush(buf, dest.voidPromise());
    } else {
      dest.write(buf, dest.voidPromise());
    }
  }

  void flush(Direction direction) {
    destination(direction).flush();
  }

  /** Reacts to the writability of the channel that is the source of {@code sourceOf}. */
  void writabilityChanged(Direction sourceOf) {
    Direction other = sourceOf.other();
    ToxicChain chain = chains[other.ordinal()];
    if (chain != null) {
      chain.update();
    }
  }

  /** Carries EOF through (see {@link LinkEnds#endOfStream}). */
  void endOfStream(Direction direction) {
    ends.endOfStream(direction);
  }

  /** Handles the close of link {@code d}'s source (see {@link LinkEnds#sourceInactive}). */
  void sourceInactive(Direction d) {
    ends.sourceInactive(d);
  }

  /** Returns whether link {@code d} runs through its pipeline only: no toxic, no splice. */
  boolean pipelineOnly(Direction d) {
    ToxicChain chain = chains[d.ordinal()];
    return !closed && chain != null && chain.empty() && !splicing(d)
        && !splices.draining(d);
  }

  /** Sets why the connection ended, unless a reason is already set. */
  void ended(EndReason reason) {
    if (end == null) {
      end = reason;
    }
  }

  /** Reports a socket error (see {@link LinkEnds#failed}). */
  void failed(Direction direction, Throwable cause) {
    ends.failed(direction, cause);
  }

  /** Closes the connection because a toxic said so (RST when {@code reset}). */
  void closeByToxic(boolean reset) {
    ended(EndReason.TOXIC);
    close(reset);
  }

  /** Records the connection of ours whose upstream socket is this connection's client. */
  void previousHop(Connection previous) {
    previousHop = previous;
  }

  /** Returns the connection of ours that dialed this one, or null when the client is not ours. */
  Connection previousHop() {
    return previousHop;
  }

  /** Returns whether {@code other} was accepted by the same proxy as this connection. */
  boolean sameProxy(Connection other) {
    return proxy == other.proxy;
  }

  /** Resets a connection whose client is one of our own sockets (see {@link LinkEnds#cutLoop}). */
  void cutLoop() {
    if (!closed) {
      ends.cutLoop();
    }
  }

  /** Sets how the connection ended, as its summary says it ("reset", "loop"...). */
  void how(String how) {
    this.how = how;
  }

  /** Returns "proxy NAME: connection ID" for log lines. */
  String label() {
    return "proxy " + proxy.name() + ": connection " + id;
  }

  /** Reports a connection that failed before it was opened to the proxy's listener. */
  void reportFailed(String reason) {
    proxy.listener().failed(id, remote(), reason);
  }

  InetSocketAddress remote() {
    return (InetSocketAddress) client.remoteAddress();
  }

  /** Closes both sides after pending writes, or at once with RST when {@code reset}. */
  void close(boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    if (reset) {
      how = "reset";
    }
    splices.stopAll();
    HalfClose.close(client, reset);
    if (server != null) {
      HalfClose.close(server, reset);
    }
    proxy.loops().forget(client.remoteAddress(), null, this);
    proxy.closed(this);
    tap.closed(end == null ? EndReason.CLOSED : end, bytes[0], bytes[1]);
  }

  private static Side side(Direction d) {
    return d == Direction.UPSTREAM ? Side.CLIENT : Side.SERVER;
  }

  ConnectionListener.Closed summary() {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    return new ConnectionListener.Closed(id, remote(), bytes[0], bytes[1], ms, how);
  }

  /** Returns whether the upstream dial succeeded (only then is the end reported). */
  boolean opened() {
    return dialed;
  }

  /** Returns the channel link {@code direction} reads. */
  Channel source(Direction direction) {
    return direction == Direction.UPSTREAM ? client : server;
  }

  /** Returns the channel link {@code direction} writes. */
  Channel destination(Direction direction) {
    return direction == Direction.UPSTREAM ? server : client;
  }
}
