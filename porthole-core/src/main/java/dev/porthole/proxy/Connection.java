package dev.porthole.proxy;

import dev.porthole.capture.EndReason;
import dev.porthole.capture.Side;
import dev.porthole.capture.Tap;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns one proxied TCP connection: the client channel, the upstream channel it dials, and the
 * two links between them. Everything runs on the client channel's event loop.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final TcpProxy proxy;
  // The connection of ours that dialed this one's client, when a proxy of ours is the client.
  private volatile Connection previousHop;
  private final long id;
  private final Channel client;
  private final long startNanos = System.nanoTime();
  private final Map<Direction, ToxicChain> chains = new EnumMap<>(Direction.class);
  private final long[] bytes = new long[2];
  private final boolean[] linkDone = new boolean[2];
  private final SpliceLinks splices;
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
    this.splices = new SpliceLinks(this, SpliceLinks.AFTER);
  }

  /** Applies the connect-time toxics, then dials the upstream; wires both links on success. */
  void start(Bootstrap dialer, InetSocketAddress upstream) {
    client.closeFuture().addListener(f -> close(false));
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
    // On this event loop, connect() registers the channel at once and queues the connect itself,
    // so the links are wired before any event of the new channel can run.
    InFlightDials.Dial inFlight = proxy.loops().dials().begin(upstream.getPort()); // LoopGuard
    ChannelFuture f = dialer.connect(upstream);
    Channel ch = f.channel();
    server = ch;
    ch.closeFuture().addListener(x -> upstreamClosed());
    if (ch.isRegistered()) {
      ch.pipeline().remove(Dialed.PLACEHOLDER);
      chains.put(Direction.DOWNSTREAM, wire(ch, Direction.DOWNSTREAM));
    }
    f.addListener(inFlight.then(this::connected));
  }

  private void upstreamClosed() {
    if (!dialed && end == null) {
      end = EndReason.DIAL_FAILED; // a failed connect closes the channel before its listener runs
    }
    close(false);
  }

  private ToxicChain wire(Channel source, Direction direction) {
    LinkFlow flow = new LinkFlow();
    source.pipeline().addLast(ToxicChain.FLOW, flow);
    source.pipeline().addLast("relay", new Relay(this, direction, flow));
    return new ToxicChain(source.pipeline(), direction, flow, proxy.protocol(), proxy::shared);
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
    if (!chains.containsKey(Direction.DOWNSTREAM)) {
      // Registered later than connect() returned (not expected on the dialing loop).
      f.channel().pipeline().remove(Dialed.PLACEHOLDER);
      chains.put(Direction.DOWNSTREAM, wire(f.channel(), Direction.DOWNSTREAM));
    }
    tap.dialed();
    // Recorded even when this connection is closing: its socket may already have been accepted
    // by one of our proxies, which must recognise it.
    java.net.SocketAddress local = f.channel().localAddress();
    Connection looped = proxy.loops().dialed(local, f.channel().remoteAddress(), this);
    f.channel().closeFuture().addListener(x -> proxy.loops().forget(null, local, this));
    if (looped != null) {
      looped.client.eventLoop().execute(looped::cutLoop);
    }
    if (closed) {
      f.channel().close();
      return;
    }
    chains.put(Direction.UPSTREAM, wire(client, Direction.UPSTREAM));
    proxy.listener().opened(id, remote());
    applyToxics(proxy.currentToxics());
    HeldInput held = (HeldInput) client.pipeline().get(HeldInput.NAME);
    if (held != null) {
      held.replay(client.pipeline());
    }
    chains.get(Direction.UPSTREAM).start(server);
    chains.get(Direction.DOWNSTREAM).start(client);
  }

  /** Applies the proxy's toxic list to both links; call on the event loop. */
  void applyToxics(List<ToxicSpec> toxics) {
    if (!closed) {
      chains.values().forEach(chain -> chain.apply(toxics));
      for (Direction d : chains.keySet()) {
        if (!chains.get(d).empty()) {
          unsplice(d);
        }
        maybeSplice(d);
      }
    }
  }

  /** Hands link {@code d} to splice when it may (see {@link SpliceLinks#maybe}). */
  void maybeSplice(Direction d) {
    if (!closed && dialed) {
      splices.maybe(d, chains.get(d), bytes[d.ordinal()]);
    }
  }

  private void unsplice(Direction d) {
    if (splices.stop(d)) {
      chains.get(d).flow().spliced(false);
      chains.get(d).update();
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
   * Handles the end of a spliced link's source: Netty shuts the input down when the peer's FIN is
   * seen, which may be before the socket is read empty; the rest is read through the pipeline and
   * the half-close waits for {@link #drained}. Returns false when the link was not spliced.
   */
  boolean drainAfterSplice(Direction d) {
    if (!splicing(d)) {
      return false;
    }
    unsplice(d);
    splices.draining(d, true);
    Channel source = source(d);
    source.config().setAutoRead(true);
    source.read();
    return true;
  }

  /** Carries the end of a drained link through. */
  void drained(Direction d) {
    if (splices.draining(d)) {
      splices.draining(d, false);
      inputEnded(d);
    }
  }

  /**
   * Carries the end of link {@code d} through once its source is read empty. The source stops
   * being a splice endpoint: the other link, which writes into it, goes on through the pipeline.
   */
  void inputEnded(Direction d) {
    Direction other = d == Direction.UPSTREAM ? Direction.DOWNSTREAM : Direction.UPSTREAM;
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
    Direction other = sourceOf == Direction.UPSTREAM ? Direction.DOWNSTREAM : Direction.UPSTREAM;
    ToxicChain chain = chains.get(other);
    if (chain != null) {
      chain.update();
    }
  }

  /** Carries EOF through: half-closes the destination once what was written is flushed. */
  void endOfStream(Direction direction) {
    Channel dest = destination(direction);
    Direction other = direction == Direction.UPSTREAM ? Direction.DOWNSTREAM : Direction.UPSTREAM;
    dest.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            f -> {
              if (f.isSuccess() && linkDone[other.ordinal()] && SpliceLinks.inputShut(dest)) {
                // The last half-close: the destination's input was read to its end, so closing
                // sends the same FIN, without the exception Netty builds for every shutdownOutput.
                linkDone(direction);
              } else if (f.isSuccess() && dest instanceof DuplexChannel duplex && dest.isActive()) {
                duplex.shutdownOutput().addListener(x -> linkDone(direction));
              } else {
                close(false);
              }
            });
  }

  private void linkDone(Direction direction) {
    linkDone[direction.ordinal()] = true;
    if (linkDone[0] && linkDone[1]) {
      if (end == null) {
        end = EndReason.FIN;
      }
      close(false);
    }
  }

  /** Reports a socket error: resets become an RST on the other side, others a close. */
  void failed(Direction direction, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("proxy {}: connection {} {} failed: {}", proxy.name(), id, direction, cause.toString());
      how = "reset";
      if (end == null) {
        // The relay of UPSTREAM reads the client: its socket error is the client's reset.
        end =
            direction == Direction.UPSTREAM
                ? EndReason.RESET_BY_CLIENT
                : EndReason.RESET_BY_SERVER;
      }
      close(true);
    } else {
      log.warn("proxy {}: connection {} failed", proxy.name(), id, cause);
      close(false);
    }
  }

  /** Closes the connection because a toxic said so (RST when {@code reset}). */
  void closeByToxic(boolean reset) {
    if (end == null) {
      end = EndReason.TOXIC;
    }
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

  /**
   * Resets a connection whose client is one of our own upstream sockets (a proxy loop), so the
   * loop ends at this hop instead of dialing itself until the descriptors run out.
   */
  void cutLoop() {
    if (closed) {
      return;
    }
    log.warn(
        "proxy {}: connection {} from {} cut: it is porthole's own upstream socket, so some"
            + " proxy's upstream leads back here (a loop)",
        proxy.name(),
        id,
        remote());
    proxy.listener().failed(id, remote(), "proxy loop cut: the client is porthole itself");
    how = "loop";
    end = EndReason.LOOP;
    close(true);
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
    for (Channel ch : new Channel[] {client, server}) {
      if (ch == null) {
        continue;
      }
      if (reset && ch.isActive()) {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        ch.close();
      } else if (ch.isActive()) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
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

  private InetSocketAddress remote() {
    return (InetSocketAddress) client.remoteAddress();
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
