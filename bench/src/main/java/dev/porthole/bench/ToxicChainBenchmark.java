package dev.porthole.bench;

import dev.porthole.proxy.toxics.Bandwidth;
import dev.porthole.proxy.toxics.Latency;
import dev.porthole.proxy.toxics.LimitData;
import dev.porthole.proxy.toxics.Noop;
import dev.porthole.proxy.toxics.Slicer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Returns the cost per chunk of a link's toxic chain: a 16 KiB chunk goes through the chain's
 * handlers in an EmbeddedChannel (no sockets) and is released at the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ToxicChainBenchmark {
  /** Chains to measure: none, one pass-through, the zero-delay toxics, a slicer. */
  @Param({"none", "noop", "latency0", "latency0+bandwidth0+limit", "slicer1k"})
  public String chain;

  private EmbeddedChannel channel;
  private ByteBuf chunk;

  @Setup(Level.Trial)
  public void setUp() {
    channel = new EmbeddedChannel(handlers(chain));
    chunk = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024).writeZero(16 * 1024);
  }

  private static ChannelHandler[] handlers(String chain) {
    return switch (chain) {
      case "none" -> new ChannelHandler[0];
      case "noop" -> new ChannelHandler[] {new Noop()};
      case "latency0" -> new ChannelHandler[] {new Latency(0, 0)};
      case "latency0+bandwidth0+limit" ->
          new ChannelHandler[] {new Latency(0, 0), new Bandwidth(0), new LimitData(Long.MAX_VALUE)};
      case "slicer1k" -> new ChannelHandler[] {new Slicer(1024, 256, 0)};
      default -> throw new IllegalArgumentException("chain: unknown " + chain);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    chunk.release();
    channel.finishAndReleaseAll();
  }

  /** Returns the number of bytes that came out of the chain for one 16 KiB chunk. */
  @Benchmark
  public int chunkThroughChain() {
    channel.writeInbound(chunk.retainedDuplicate());
    int total = 0;
    for (ByteBuf out; (out = channel.readInbound()) != null; ) {
      total += out.readableBytes();
      out.release();
    }
    return total;
  }
}
