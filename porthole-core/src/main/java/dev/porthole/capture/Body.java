package dev.porthole.capture;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Returns one HTTP body being captured: its true size, and its first bytes up to a limit, decoded
 * from gzip or deflate when the message says so (a truncated or broken encoding keeps what could be
 * decoded).
 */
final class Body {
  private static final byte[] NONE = new byte[0];

  private final int limit;
  // The kept bytes are kept[0, used): grown to what is needed, never past the limit (one copy
  // per piece, where a stream doubling from 32 bytes copied a 600-byte body five times).
  private byte[] kept = NONE;
  private int used;
  private long size;
  private boolean skipped;

  Body(int limit) {
    this.limit = limit;
  }

  /** Counts {@code n} bytes of {@code data} from {@code offset} and keeps what fits. */
  void add(byte[] data, int offset, int n) {
    size += n;
    int room = room(n);
    if (room > 0) {
      System.arraycopy(data, offset, kept, used, room);
      used += room;
    }
  }

  /**
   * Counts {@code n} bytes that went by unseen (spliced); the preview ends where they began, so it
   * never has a hole.
   */
  void skip(long n) {
    size += n;
    skipped = true;
  }

  /** Counts the readable bytes of {@code content} and keeps what fits (indexes untouched). */
  void add(ByteBuf content) {
    int n = content.readableBytes();
    size += n;
    int room = room(n);
    if (room > 0) {
      content.getBytes(content.readerIndex(), kept, used, room);
      used += room;
    }
  }

  /** Returns how many of {@code n} more bytes are kept, with the array grown to hold them. */
  private int room(int n) {
    int room = skipped ? 0 : Math.min(n, limit - used);
    if (room > 0 && used + room > kept.length) {
      int grown = (int) Math.min(limit, Math.max(used + room, 2L * kept.length));
      kept = Arrays.copyOf(kept, grown);
    }
    return room;
  }

  long size() {
    return size;
  }

  /** Returns the kept bytes, decoded per {@code contentEncoding} and cut to the limit. */
  byte[] bytes(String contentEncoding) {
    byte[] raw = used == kept.length ? kept : Arrays.copyOf(kept, used);
    if (contentEncoding == null || raw.length == 0) {
      return raw;
    }
    String e = contentEncoding.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      return switch (e) {
        case "gzip", "x-gzip" ->
            inflate(new GZIPInputStream(new java.io.ByteArrayInputStream(raw)));
        case "deflate" -> deflate(raw);
        case "br" -> inflate(new BrotliInputStream(new java.io.ByteArrayInputStream(raw)));
        default -> raw;
      };
    } catch (IOException broken) {
      return raw;
    }
  }

  private byte[] deflate(byte[] raw) throws IOException {
    // "deflate" is zlib-wrapped by the RFC, raw deflate by some servers: try both.
    try {
      return inflate(new InflaterInputStream(new java.io.ByteArrayInputStream(raw)));
    } catch (IOException notZlib) {
      return inflate(
          new InflaterInputStream(new java.io.ByteArrayInputStream(raw), new Inflater(true)));
    }
  }

  private byte[] inflate(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while (out.size() < limit && (n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException truncated) {
      // The kept prefix ended mid-stream: what was decoded so far is the preview (brotli says
      // so with a plain IOException, gzip with an EOFException). Nothing decoded: not encoded.
      if (out.size() == 0) {
        throw truncated;
      }
    }
    byte[] all = out.toByteArray();
    return all.length > limit ? Arrays.copyOf(all, limit) : all;
  }
}
