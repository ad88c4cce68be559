package dev.porthole.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Returns the WebSocket view (RFC 6455 framing) of one connection after its upgrade: each side's
 * copied bytes are cut into frames, whatever the chunking, and each frame's first {@link #PREVIEW}
 * payload bytes are kept, unmasked. Written here rather than with Netty's {@code
 * WebSocket08FrameDecoder} because that one holds a whole frame's payload in memory before it hands
 * it on, and a preview needs only its first bytes. A frame that breaks the framing (a reserved
 * opcode, a 64-bit length with its top bit set) throws {@link IllegalStateException}. With
 * {@code permessage-deflate} agreed, a compressed message is previewed inflated ({@link
 * PerMessageDeflate}).
 */
final class WebSocketFrames {
  /** Returns how many payload bytes of each frame are kept. */
  static final int PREVIEW = 1024;

  /** Returns how many frames of one connection are kept; later ones are only counted. */
  static final int MAX_FRAMES = 1000;

  private final Reader[] readers = {new Reader(Side.CLIENT), new Reader(Side.SERVER)};
  private final List<WebSocketFrame> frames = new ArrayList<>();
  private final Consumer<WebSocketFrame> done;
  private final PerMessageDeflate deflate;
  private long seen;

  WebSocketFrames(Consumer<WebSocketFrame> done) {
    this(done, null);
  }

  /** Returns frames whose compressed messages {@code deflate} inflates (null: none agreed). */
  WebSocketFrames(Consumer<WebSocketFrame> done, PerMessageDeflate deflate) {
    this.done = done;
    this.deflate = deflate;
  }

  /** Releases the inflaters. */
  void close() {
    if (deflate != null) {
      deflate.close();
    }
  }

  /** Feeds a copy of bytes {@code side} sent at {@code micros}. */
  void feed(Side side, long micros, byte[] data, int offset) {
    Reader r = readers[side.ordinal()];
    for (int i = offset; i < data.length; ) {
      i = r.take(micros, data, i);
    }
  }

  /** Returns the frames kept, in the order they ended. */
  List<WebSocketFrame> frames() {
    return List.copyOf(frames);
  }

  /** Returns how many frames were seen in all (kept or not). */
  long seen() {
    return seen;
  }

  private void ended(WebSocketFrame f) {
    seen++;
    if (frames.size() < MAX_FRAMES) {
      frames.add(f);
    }
    done.accept(f);
  }

  /** One direction's framing state. */
  private final class Reader {
    private final Side side;
    private final byte[] header = new byte[14];
    private int headerRead;
    private long remaining = -1; // payload bytes still to come; -1 while reading a header
    private long size;
    private long at;
    private final ByteArrayOutputStream preview = new ByteArrayOutputStream();
    private final ByteArrayOutputStream inflated = new ByteArrayOutputStream();
    private boolean textContinues;
    // The message being read is compressed (RSV1 on its first frame) and inflates.
    private boolean inflating;

    Reader(Side side) {
      this.side = side;
    }

    /** Consumes bytes from {@code i}; returns the index after what it consumed. */
    int take(long micros, byte[] b, int i) {
      if (remaining < 0) {
        if (headerRead == 0) {
          at = micros;
        }
        header[headerRead++] = b[i++];
        int need = headerLength();
        if (headerRead < need) {
          return i;
        }
        begin();
        if (remaining > 0) {
          return i;
        }
        end();
        return i;
      }
      int n = (int) Math.min(remaining, b.length - i);
      if (inflating && (header[0] & 0x0f) < 8) {
        byte[] plain = unmasked(b, i, n);
        deflate.inflate(side, plain, 0, n, inflated, PREVIEW);
      }
      int keep = Math.min(n, PREVIEW - preview.size());
      if (keep > 0) {
        int maskAt = masked() ? 2 + lengthBytes() : -1;
        long offset = size - remaining;
        for (int k = 0; k < keep; k++) {
          int v = b[i + k];
          if (maskAt >= 0) {
            v ^= header[maskAt + (int) ((offset + k) & 3)];
          }
          preview.write(v);
        }
      }
      remaining -= n;
      if (remaining == 0) {
        end();
      }
      return i + n;
    }

    private byte[] unmasked(byte[] b, int i, int n) {
      byte[] plain = java.util.Arrays.copyOfRange(b, i, i + n);
      if (masked()) {
        int maskAt = 2 + lengthBytes();
        long offset = size - remaining;
        for (int k = 0; k < n; k++) {
          plain[k] ^= header[maskAt + (int) ((offset + k) & 3)];
        }
      }
      return plain;
    }

    private boolean masked() {
      return (header[1] & 0x80) != 0;
    }

    private int lengthBytes() {
      int len = header[1] & 0x7f;
      return len == 126 ? 2 : len == 127 ? 8 : 0;
    }

    private int headerLength() {
      return headerRead < 2 ? 2 : 2 + lengthBytes() + (masked() ? 4 : 0);
    }

    private void begin() {
      int opcode = header[0] & 0x0f;
      if ((opcode > 2 && opcode < 8) || opcode > 10) {
        throw new IllegalStateException("not WebSocket: reserved opcode " + opcode);
      }
      int len = header[1] & 0x7f;
      size = len;
      if (len >= 126) {
        size = 0;
        for (int k = 0; k < lengthBytes(); k++) {
          size = (size << 8) | (header[2 + k] & 0xff);
        }
        if (size < 0) {
          throw new IllegalStateException("not WebSocket: a 64-bit length with its top bit set");
        }
      }
      remaining = size;
      if (opcode == 1 || opcode == 2) {
        inflating = deflate != null && (header[0] & 0x40) != 0 && deflate.inflating(side);
        if (inflating) {
          deflate.begin(side);
        }
      }
    }

    private void end() {
      int opcode = header[0] & 0x0f;
      boolean fin = (header[0] & 0x80) != 0;
      boolean compressed = (header[0] & 0x40) != 0;
      boolean data = opcode < 8;
      boolean shown = data && inflating; // previewed inflated
      if (shown && fin) {
        deflate.end(side, inflated, PREVIEW);
      }
      shown &= deflate != null && deflate.inflating(side);
      boolean text =
          (shown || !compressed) && (opcode == 1 || (opcode == 0 && textContinues));
      if (opcode == 1 || opcode == 2) {
        textContinues = opcode == 1 && !fin;
      } else if (opcode == 0 && fin) {
        textContinues = false;
      }
      byte[] p = shown ? inflated.toByteArray() : preview.toByteArray();
      String shownData =
          text ? new String(p, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(p);
      ended(new WebSocketFrame(side, at, opcode, fin, compressed, size, text, shownData));
      if (data && fin) {
        inflating = false;
      }
      preview.reset();
      inflated.reset();
      headerRead = 0;
      remaining = -1;
    }
  }
}
