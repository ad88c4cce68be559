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
 * opcode, a 64-bit length with its top bit set) throws {@link IllegalStateException}.
 */
final class WebSocketFrames {
  /** Returns how many payload bytes of each frame are kept. */
  static final int PREVIEW = 1024;

  /** Returns how many frames of one connection are kept; later ones are only counted. */
  static final int MAX_FRAMES = 1000;

  private final Reader[] readers = {new Reader(Side.CLIENT), new Reader(Side.SERVER)};
  private final List<WebSocketFrame> frames = new ArrayList<>();
  private final Consumer<WebSocketFrame> done;
  private long seen;

  WebSocketFrames(Consumer<WebSocketFrame> done) {
    this.done = done;
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
    private boolean textContinues;

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
    }

    private void end() {
      int opcode = header[0] & 0x0f;
      boolean fin = (header[0] & 0x80) != 0;
      boolean compressed = (header[0] & 0x40) != 0;
      boolean text = !compressed && (opcode == 1 || (opcode == 0 && textContinues));
      if (opcode == 1 || opcode == 2) {
        textContinues = opcode == 1 && !fin;
      } else if (opcode == 0 && fin) {
        textContinues = false;
      }
      byte[] p = preview.toByteArray();
      String data =
          text ? new String(p, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(p);
      ended(new WebSocketFrame(side, at, opcode, fin, compressed, size, text, data));
      preview.reset();
      headerRead = 0;
      remaining = -1;
    }
  }
}
