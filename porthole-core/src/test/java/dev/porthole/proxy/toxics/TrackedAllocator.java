package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a test can ask which are still
 * referenced once a channel closed: a leak found at once and in every run, where Netty's sampling
 * leak detector reports one only when a collection happens to find it.
 */
final class TrackedAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> handedOut = new ArrayList<>();

  TrackedAllocator() {
    super(false); // heap buffers only: where they live does not matter here
  }

  /** Returns the buffers still referenced, each as its allocation order and reference count. */
  List<String> unreleased() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < handedOut.size(); i++) {
      ByteBuf b = handedOut.get(i);
      if (b.refCnt() > 0) {
        out.add("buffer #" + i + " (" + b.getClass().getSimpleName() + ", refCnt " + b.refCnt()
            + ")");
      }
    }
    return out;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
    return track(super.compositeHeapBuffer(maxNumComponents));
  }

  @Override
  public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
    return track(super.compositeDirectBuffer(maxNumComponents));
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private <B extends ByteBuf> B track(B buf) {
    handedOut.add(buf);
    return buf;
  }
}
